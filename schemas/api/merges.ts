import { z } from '@hono/zod-openapi';
import {
  describeRange,
  MERGE_METHODS,
  MERGE_PARAMETERS,
  METHODS,
  type MergeMethod,
  methodSpec,
  type NumberParameter,
  needsUnlabelled,
  parameterDefaults,
  requestParameters,
} from '../merge-methods.ts';
import { ModelName } from '../names.ts';

// Validation comes from the method table (schemas/merge-methods.ts): the ranges of every
// parameter, which method needs a base, and which parameters each method takes. One
// object schema with refinements, rather than a union per method, keeps the request
// shape of every earlier version and names the offending field in each error.

function numberFrom(spec: NumberParameter) {
  let s = spec.kind === 'integer' ? z.number().int() : z.number();
  if (spec.min !== undefined) s = spec.exclusiveMin ? s.gt(spec.min) : s.min(spec.min);
  if (spec.max !== undefined) s = spec.exclusiveMax ? s.lt(spec.max) : s.max(spec.max);
  return s;
}
const numberParameter = (p: 'lambda' | 'density' | 'gamma' | 'seed' | 'init' | 'budget') =>
  numberFrom(MERGE_PARAMETERS[p])
    .optional()
    .openapi({ description: `${MERGE_PARAMETERS[p].description}; ${describeRange(p)}, default ${MERGE_PARAMETERS[p].default}` });

const booleanParameter = (p: 'normalize' | 'layerwise') => {
  const d = MERGE_PARAMETERS[p] as { description: string; default?: boolean };
  return z
    .boolean()
    .optional()
    .openapi({ description: `${d.description}; default ${d.default ?? 'per method'}` });
};

const showDefaults = (m: MergeMethod) =>
  Object.entries(parameterDefaults(m))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** Markdown for the OpenAPI document: what each method takes and does. */
const METHOD_RULES = [
  '| method | mergekit | base | parameters (defaults) | what it does |',
  '|---|---|---|---|---|',
  ...METHODS.map((m) => {
    const spec = methodSpec(m);
    return `| ${m} | ${spec.mergekit ?? '—'} | ${spec.needsBase ? 'required' : 'not used'} | ${showDefaults(m)} | ${spec.summary} |`;
  }),
].join('\n');

const Parameters = z
  .object({
    lambda: numberParameter('lambda'),
    density: numberParameter('density'),
    gamma: numberParameter('gamma'),
    seed: numberParameter('seed'),
    normalize: booleanParameter('normalize'),
    layerwise: booleanParameter('layerwise'),
    init: numberParameter('init'),
    budget: numberParameter('budget'),
  } satisfies Record<Exclude<keyof typeof MERGE_PARAMETERS, 'weight'>, z.ZodType>)
  .strict()
  .default({})
  .openapi({ description: `Each method takes only its own parameters (any other is a 422 naming it):\n\n${METHOD_RULES}` });

export const CreateMerge = z
  .object({
    // describe(), not openapi(): ModelName is plain zod, made before @hono/zod-openapi may have extended it
    model: ModelName.describe('your model: base and experts are its versions, and the result becomes its next version'),
    base: z
      .number()
      .int()
      .positive()
      .optional()
      .openapi({
        description: `base version (required by ${METHODS.filter((m) => methodSpec(m).needsBase).join(', ')})`,
      }),
    experts: z
      .array(
        z.object({
          version: z.number().int().positive(),
          weight: numberFrom(MERGE_PARAMETERS.weight)
            .optional()
            .openapi({ description: `${describeRange('weight')}, default ${MERGE_PARAMETERS.weight.default}` }),
        }),
      )
      .min(1)
      .max(8),
    method: z.enum(METHODS).openapi({ description: 'the merge method (see `parameters` for what each takes)' }),
    parameters: Parameters,
    unlabelled_file: z
      .string()
      .min(1)
      .optional()
      .openapi({
        description: `a file from POST /v1/files whose lines are {"input": text, "task"?: head} (custom_id is ignored): the unlabelled texts ${METHODS.filter(needsUnlabelled).join(', ')} learns its weights on; a line's task names the head whose predictions count for it (none: every head). Required by ${METHODS.filter(needsUnlabelled).join(', ')}, refused by the other methods`,
      }),
    quantize: z.boolean().default(false).openapi({ description: 'int8 output from float inputs (int8 inputs always give int8)' }),
    alias: z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/)
      .optional()
      .openapi({ description: 'point this alias at the result' }),
    webhook: z
      .object({ url: z.string().url(), events: z.array(z.string()).optional() })
      .optional()
      .openapi({ description: 'merge.completed / merge.failed, signed per Standard Webhooks' }),
  })
  .superRefine((body, ctx) => {
    const spec = MERGE_METHODS[body.method];
    if (spec.needsBase && body.base === undefined)
      ctx.addIssue({ code: 'custom', path: ['base'], message: `${body.method} needs a base version` });
    if (needsUnlabelled(body.method) !== (body.unlabelled_file !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['unlabelled_file'],
        message: needsUnlabelled(body.method)
          ? `${body.method} learns its weights from unlabelled texts: give unlabelled_file`
          : `${body.method} takes no unlabelled_file`,
      });
    if (!methodSpec(body.method).takes.includes('weight'))
      for (const [i, e] of body.experts.entries())
        if (e.weight !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['experts', i, 'weight'],
            message: `${body.method} learns the experts' weights: give none`,
          });
    const takes: string[] = requestParameters(body.method);
    for (const key of Object.keys(body.parameters).filter((k) => !takes.includes(k)))
      ctx.addIssue({
        code: 'custom',
        path: ['parameters', key],
        message: `${body.method} does not take ${key} (it takes ${takes.join(', ')})`,
      });
  })
  .openapi('CreateMerge');
export type CreateMerge = z.infer<typeof CreateMerge>;

export const MergeJob = z
  .object({
    id: z.string(),
    model: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    progress: z.number().min(0).max(1),
    attempts: z.number().int(),
    error: z.string().nullable(),
    version: z.number().int().nullable().openapi({ description: 'the version the merge produced' }),
    request: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('MergeJob');

export const MergeList = z.object({ merges: z.array(MergeJob) }).openapi('MergeList');

export const MergeParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
