// Requests drawn from an OpenAPI operation: path, query and header parameters, a body of
// each media type the operation takes, and credentials; each request knows whether the
// document calls it valid, which is what the oracle needs.
import { Validator } from '@cfworker/json-schema';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { arbitraryOf, type Ctx, type Schema, withInvalid } from './arbitrary.ts';

type Obj = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }>; headers?: Obj }>;
  security: { [scheme: string]: string[] }[];
}

export interface Credentials {
  bearer: string;
  adminToken: string;
  /** trigger id → secret, to sign hooks the way their senders do */
  triggerSecrets: Record<string, string>;
}

export interface Drawn {
  op: Operation;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** every part is what the document asks for */
  docValid: boolean;
}

const validators = new WeakMap<object, Validator>();
/** A validator for a schema of the document (its $refs resolved against the components). */
export function validatorFor(schema: Schema, components: Ctx['components']): Validator {
  const key = typeof schema === 'object' ? schema : { const: schema };
  let v = validators.get(key);
  if (!v) {
    v = new Validator({ ...(typeof schema === 'object' ? schema : { allOf: [schema] }), components } as never, '2020-12', false);
    validators.set(key, v);
  }
  return v;
}

export function operationsOf(doc: { paths: Record<string, Record<string, Operation>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );
}

const ok = (schema: Schema | undefined, value: unknown, ctx: Ctx) => !schema || validatorFor(schema, ctx.components).validate(value).valid;

/** Rules the document states in words only, applied to what is drawn (see fuzz.test.ts). */
export type Fixup = (body: Obj) => Obj;

function bodyArb(op: Operation, ctx: Ctx, fixup: Fixup | undefined) {
  const content = op.requestBody?.content ?? {};
  const kinds = Object.keys(content);
  if (!kinds.length) return fc.constant(undefined);
  const media = kinds[0]!;
  if (media.includes('json')) {
    const schema = content[media]!.schema!;
    const value = withInvalid(arbitraryOf(schema, ctx)).map((v) =>
      fixup && v && typeof v === 'object' && !Array.isArray(v) ? fixup(v as Obj) : v,
    );
    return fc.oneof(
      { weight: 12, arbitrary: value.map((v) => ({ media, value: v, text: JSON.stringify(v) })) },
      { weight: 1, arbitrary: fc.constantFrom('{"unterminated', '', 'null', '[]').map((text) => ({ media, value: undefined, text })) },
      { weight: 1, arbitrary: value.map((v) => ({ media: 'text/plain', value: v, text: JSON.stringify(v) })) },
    );
  }
  if (media === 'application/x-ndjson') {
    const line = fc.oneof(
      { weight: 4, arbitrary: arbitraryOf({ $ref: '#/components/schemas/BatchInput' }, ctx).map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    );
    return fc.array(line, { maxLength: 12 }).map((lines) => ({ media, value: undefined, text: lines.map((l) => `${l}\n`).join('') }));
  }
  const known = ctx.hints.bytes?.length ? [{ weight: 1, arbitrary: fc.constantFrom(...ctx.hints.bytes) }] : [];
  return fc
    .oneof({ weight: 2, arbitrary: fc.uint8Array({ maxLength: 512 }) }, ...known)
    .map((bytes) => ({ media, value: undefined, bytes }));
}

export function requestArb(op: Operation, ctx: Ctx, creds: Credentials, fixup?: Fixup): fc.Arbitrary<Drawn> {
  const params = op.parameters ?? [];
  const paramArb = (p: Parameter) => {
    const drawn = arbitraryOf(p.schema, ctx).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    // header values are visible ASCII (RFC 9110), whatever the schema allows
    const generated = p.in === 'header' ? drawn.filter((v) => /^[\x21-\x7e]( *[\x21-\x7e])*$/.test(v)) : drawn;
    const pool = ctx.hints.named[p.name];
    const value = pool?.length
      ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...pool.map(String)) }, { weight: 1, arbitrary: generated })
      : generated;
    return p.in === 'path' || p.required ? value : fc.option(value, { nil: undefined, freq: 3 });
  };
  const scheme = Object.keys(op.security[0] ?? {})[0];
  const secret = scheme === 'adminToken' ? creds.adminToken : creds.bearer;
  const auth = scheme
    ? fc.oneof(
        { weight: 18, arbitrary: fc.constant(secret) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant('chm_wrong') },
      )
    : fc.constant(undefined);
  return fc
    .record({
      values: fc.tuple(...params.map(paramArb)),
      body: bodyArb(op, ctx, fixup),
      auth,
      signed: fc.boolean(),
    })
    .map(({ values, body, auth, signed }) => {
      let docValid = auth === secret || !scheme;
      let path = op.path;
      const query = new URLSearchParams();
      const headers: Record<string, string> = {};
      params.forEach((p, i) => {
        const v = values[i] as string | undefined;
        if (v === undefined) {
          if (p.required) docValid = false;
          return;
        }
        if (!ok(p.schema, v, ctx)) docValid = false;
        if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(v));
        else if (p.in === 'query') query.set(p.name, v);
        else headers[p.name] = v;
      });
      if (auth) headers.authorization = `Bearer ${auth}`;
      let sent: string | Uint8Array | undefined;
      if (body) {
        headers['content-type'] = body.media;
        sent = 'bytes' in body ? body.bytes : body.text;
        const declared = op.requestBody!.content[body.media];
        if (!declared) docValid = false;
        else if (body.media.includes('json')) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(sent as string);
          } catch {
            docValid = false;
          }
          if (docValid && !ok(declared.schema, parsed, ctx)) docValid = false;
        }
      } else if (op.requestBody?.required) docValid = false;
      // a hook for a real trigger is signed as its sender would, half the time
      const trigger = path.match(/^\/v1\/hooks\/([^/]+)$/)?.[1];
      const hookSecret = trigger && creds.triggerSecrets[decodeURIComponent(trigger)];
      if (hookSecret && signed && typeof sent === 'string') {
        const id = `msg_${crypto.randomUUID()}`;
        const at = new Date();
        Object.assign(headers, {
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(hookSecret).sign(id, at, sent),
        });
      }
      const qs = query.toString();
      return { op, method: op.method, url: `http://chimera.test${path}${qs ? `?${qs}` : ''}`, headers, body: sent, docValid };
    });
}
