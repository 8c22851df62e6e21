// fast-check arbitraries from the JSON Schemas of an OpenAPI 3.1 document: values the
// document calls valid, drawn with a bias toward the ones a test can use (hints name pools
// of values for properties and parameters by their name, e.g. real model names and ids).
import fc from 'fast-check';

export type Schema = { [k: string]: unknown } | boolean;
type Obj = { [k: string]: unknown };

export interface Hints {
  /** values to draw for a property or parameter of this name, mixed with generated ones */
  named: Record<string, readonly unknown[]>;
  /** strings of this format */
  formats: Record<string, fc.Arbitrary<string>>;
  /** raw bodies (application/octet-stream) worth sending besides random bytes */
  bytes?: readonly Uint8Array[];
}

export interface Ctx {
  components: { schemas: Record<string, Schema> };
  hints: Hints;
}

const MAX_DEPTH = 8;
const SHORT = 24; // strings and arrays stay small unless a minimum says otherwise

export function resolve(schema: Schema, ctx: Ctx): Schema {
  if (typeof schema === 'object' && typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = ctx.components.schemas[name];
    if (target === undefined) throw new Error(`unresolved ${schema.$ref}`);
    const { $ref: _, ...rest } = schema;
    return Object.keys(rest).length ? merge(resolve(target, ctx) as Obj, rest) : resolve(target, ctx);
  }
  return schema;
}

/** allOf, folded into one schema (properties and required merged). */
function merge(a: Obj, b: Obj): Obj {
  const props = { ...(a.properties as Obj | undefined) };
  for (const [k, v] of Object.entries((b.properties as Obj | undefined) ?? {}))
    props[k] = k in props ? merge(props[k] as Obj, v as Obj) : v;
  return {
    ...a,
    ...b,
    ...(Object.keys(props).length ? { properties: props } : {}),
    ...(a.required || b.required
      ? { required: [...new Set([...((a.required as string[]) ?? []), ...((b.required as string[]) ?? [])])] }
      : {}),
  };
}

/** allOf folded in, except its if/then rules, which are applied to what is drawn (repair). */
function flatten(schema: Obj, ctx: Ctx): Obj {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  const items = allOf as Schema[];
  const rules = items.filter((s) => typeof s === 'object' && 'if' in s);
  const folded = items.filter((s) => !rules.includes(s)).reduce<Obj>((acc, s) => merge(acc, flatten(resolve(s, ctx) as Obj, ctx)), rest);
  return rules.length ? { ...folded, 'x-rules': rules } : folded;
}

/** An `if` of the form {properties: {k: {const: v}}, required: [...]}: does the value match? */
const matches = (cond: Obj, o: Obj) =>
  ((cond.required as string[] | undefined) ?? []).every((k) => k in o) &&
  Object.entries((cond.properties as Record<string, Obj> | undefined) ?? {}).every(([k, p]) => !('const' in p) || o[k] === p.const);

/** Makes a drawn object meet a `then`: keys it forbids dropped, keys it requires added from the hints. */
function repair(o: Obj, then: Obj, ctx: Ctx): Obj {
  const out = { ...o };
  for (const [k, p] of Object.entries((then.properties as Record<string, Schema> | undefined) ?? {})) {
    if (p === false) delete out[k];
    else if (typeof p === 'object' && out[k] && typeof out[k] === 'object') {
      if (p.additionalProperties === false && p.properties && !Array.isArray(out[k]))
        out[k] = Object.fromEntries(Object.entries(out[k] as Obj).filter(([key]) => key in (p.properties as Obj)));
      const itemProps = (p.items as Obj | undefined)?.properties as Record<string, Schema> | undefined;
      if (itemProps && Array.isArray(out[k]))
        out[k] = (out[k] as unknown[]).map((item) =>
          item && typeof item === 'object' ? Object.fromEntries(Object.entries(item).filter(([key]) => itemProps[key] !== false)) : item,
        );
    }
  }
  for (const k of (then.required as string[] | undefined) ?? [])
    if (!(k in out) && ctx.hints.named[k]?.length) out[k] = ctx.hints.named[k]![0];
  return out;
}

const pooled = <T>(pool: readonly unknown[] | undefined, generated: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  pool?.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: generated }) : generated;

const codePoints = (s: string) => [...s].length;

function stringArb(s: Obj, ctx: Ctx): fc.Arbitrary<string> {
  const min = (s.minLength as number | undefined) ?? 0;
  const max = Math.min((s.maxLength as number | undefined) ?? Number.POSITIVE_INFINITY, min + SHORT);
  const format = s.format as string | undefined;
  if (format && ctx.hints.formats[format]) return ctx.hints.formats[format]!;
  if (format === 'date-time')
    return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (format === 'date')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (typeof s.pattern === 'string') {
    return fc
      .stringMatching(new RegExp(s.pattern))
      .filter((v) => codePoints(v) >= min && codePoints(v) <= ((s.maxLength as number) ?? Number.POSITIVE_INFINITY));
  }
  // printable ASCII mostly; any code point sometimes (JSON Schema lengths count code points)
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: max }) },
    )
    .filter((v) => codePoints(v) >= min && codePoints(v) <= ((s.maxLength as number) ?? Number.POSITIVE_INFINITY));
}

function integerArb(s: Obj): fc.Arbitrary<number> {
  const min =
    s.exclusiveMinimum !== undefined ? (s.exclusiveMinimum as number) + 1 : ((s.minimum as number | undefined) ?? Number.MIN_SAFE_INTEGER);
  const max =
    s.exclusiveMaximum !== undefined ? (s.exclusiveMaximum as number) - 1 : ((s.maximum as number | undefined) ?? Number.MAX_SAFE_INTEGER);
  const small = fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) });
  const edges = fc.constantFrom(min, max);
  // beyond 32 bits only where the range reaches there (a filter on a narrow range never ends)
  const wide = max - min > 2 ** 32 ? [{ weight: 1, arbitrary: fc.maxSafeInteger().map((n) => Math.min(max, Math.max(min, n))) }] : [];
  return fc.oneof({ weight: 4, arbitrary: small }, { weight: 1, arbitrary: edges }, ...wide);
}

function numberArb(s: Obj): fc.Arbitrary<number> {
  const min = (s.minimum as number | undefined) ?? (s.exclusiveMinimum as number | undefined);
  const max = (s.maximum as number | undefined) ?? (s.exclusiveMaximum as number | undefined);
  return fc
    .double({
      min,
      max,
      noNaN: true,
      noDefaultInfinity: true,
      minExcluded: s.exclusiveMinimum !== undefined,
      maxExcluded: s.exclusiveMaximum !== undefined,
    })
    .map((n) => (Object.is(n, -0) ? 0 : n));
}

function objectArb(s: Obj, ctx: Ctx, depth: number): fc.Arbitrary<unknown> {
  const props = (s.properties as Record<string, Schema> | undefined) ?? {};
  const extra = s.additionalProperties;
  if (!Object.keys(props).length && extra && typeof extra === 'object')
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), arbitraryOf(extra as Schema, ctx, depth + 1), { maxKeys: 3 });
  // oneOf of `required`-only branches (inputs | input_file): draw a branch, require its
  // keys and leave out the other branches' keys, or several branches would match
  const branches =
    Array.isArray(s.oneOf) && (s.oneOf as Obj[]).every((b) => Array.isArray(b.required) && !b.type) ? (s.oneOf as Obj[]) : undefined;
  const dependents = s.dependentSchemas as Record<string, Obj> | undefined;
  const build = (choice: number | undefined) => {
    const required = new Set((s.required as string[] | undefined) ?? []);
    const excluded = new Set<string>();
    branches?.forEach((b, i) => {
      for (const k of b.required as string[]) (i === choice ? required : excluded).add(k);
    });
    const keys = Object.keys(props).filter((k) => !excluded.has(k) && props[k] !== false);
    const arbs = Object.fromEntries(keys.map((k) => [k, pooled(ctx.hints.named[k], arbitraryOf(props[k]!, ctx, depth + 1))]));
    return (fc.record(arbs, { requiredKeys: keys.filter((k) => required.has(k)) }) as fc.Arbitrary<Obj>).map((drawn) => {
      const o = { ...drawn };
      // dependentSchemas of the form {a: {properties: {b: false}}}: a excludes b
      for (const [k, dep] of Object.entries(dependents ?? {}))
        if (k in o) for (const [p, v] of Object.entries((dep.properties as Obj | undefined) ?? {})) if (v === false) delete o[p];
      return o;
    });
  };
  const drawn = branches ? fc.nat({ max: branches.length - 1 }).chain(build) : build(undefined);
  const rules = s['x-rules'] as Obj[] | undefined;
  return rules ? drawn.map((o) => rules.reduce((acc, r) => (matches(r.if as Obj, acc) ? repair(acc, r.then as Obj, ctx) : acc), o)) : drawn;
}

export function arbitraryOf(input: Schema, ctx: Ctx, depth = 0): fc.Arbitrary<unknown> {
  if (input === true) return fc.jsonValue({ maxDepth: 2 });
  if (input === false) return fc.constant(undefined);
  const s = flatten(resolve(input, ctx) as Obj, ctx);
  if (depth > MAX_DEPTH) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? (s.type ? undefined : s.oneOf)) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryOf(a, ctx, depth + 1)));
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => arbitraryOf({ ...s, type: t }, ctx, depth)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerArb(s);
    case 'number':
      return numberArb(s);
    case 'string':
      return stringArb(s, ctx);
    case 'array': {
      const min = (s.minItems as number | undefined) ?? 0;
      const max = Math.min((s.maxItems as number | undefined) ?? min + 6, min + 6);
      const item = arbitraryOf((s.items as Schema | undefined) ?? true, ctx, depth + 1);
      return s.uniqueItems
        ? fc.uniqueArray(item, { minLength: min, maxLength: max, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength: min, maxLength: max });
    }
    case 'object':
      return objectArb(s, ctx, depth);
    default:
      return s.properties ? objectArb(s, ctx, depth) : fc.jsonValue({ maxDepth: 2 });
  }
}

/** A valid value, or (1 in 4) one broken on purpose: any JSON, or a property replaced by any JSON. */
export function withInvalid(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const broken = fc.tuple(valid, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })).map(([v, k, junk]) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return junk;
    const keys = Object.keys(v);
    const key = keys.length ? keys[k.length % keys.length]! : k;
    return { ...v, [key]: junk };
  });
  return fc.oneof(
    { weight: 6, arbitrary: valid },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: broken },
  );
}
