// How operations are declared. Every operation has an operationId, its security, and the
// error responses it can send, generated from the problem catalog: the standard ones of
// its kind (authenticated, admin, public) plus the types the route lists in `errors`.
// Each error response's schema narrows Problem.type to the types that status can carry
// there, so a generated client knows exactly which problems an operation answers with.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { PROBLEMS, type ProblemType, problemUri } from '../../schemas/api/problems.ts';
import type { Scope } from '../domain/keys.ts';
import { requireAdmin } from './middleware/admin-auth.ts';
import { requireKey } from './middleware/auth.ts';

export type Operation = Omit<RouteConfig, 'security' | 'middleware' | 'operationId'> & {
  operationId: string;
  /** problem types this operation sends besides the standard ones of its kind */
  errors?: readonly ProblemType[];
};

const RETRY_AFTER = {
  'retry-after': { schema: { type: 'integer', minimum: 0 }, description: 'seconds to wait before trying again' },
} as const;

/** problem+json responses for these types, one per status, each type named with its title */
export function errorResponses(types: readonly ProblemType[]): Record<never, never> {
  const byStatus = new Map<number, ProblemType[]>();
  for (const t of new Set(types)) byStatus.set(PROBLEMS[t][0], [...(byStatus.get(PROBLEMS[t][0]) ?? []), t]);
  const responses: Record<number, unknown> = {};
  for (const [status, ts] of [...byStatus].sort(([a], [b]) => a - b)) {
    const schema = {
      allOf: [
        { $ref: '#/components/schemas/Problem' },
        { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ts.map(problemUri) } } },
      ],
    };
    responses[status] = {
      description: ts.map((t) => `\`${t}\`: ${PROBLEMS[t][1]}`).join('; '),
      content: { 'application/problem+json': { schema } },
      ...(status === 429 ? { headers: RETRY_AFTER } : {}),
    };
  }
  // typed as empty: handlers never return these (they throw ApiError), so the route's
  // own responses alone type what a handler may return
  return responses as Record<never, never>;
}

/** What reading the request can fail with: a JSON body (malformed, not UTF-8, too big) and
 * any zod-validated part. Raw-body routes list their own body problems. */
function inputProblems(route: Operation): ProblemType[] {
  const { request } = route;
  const json = Object.entries(request?.body?.content ?? {}).filter(([type]) => type.includes('json'));
  // a zod schema is validated (and its media type enforced); a raw one is only documented
  const validatedJson = json.some(([, media]) => {
    const schema = (media as { schema?: object } | undefined)?.schema;
    return schema !== undefined && '_zod' in schema;
  });
  const validated = Boolean(request?.params || request?.query || request?.headers || validatedJson);
  return [
    ...(json.length ? (['bad-request', 'bad-encoding', 'body-too-large'] as const) : []),
    ...(validatedJson ? (['unsupported-media-type'] as const) : []),
    ...(validated ? (['validation'] as const) : []),
  ];
}

/** What any keyed operation can answer a page on another origin with (middleware/auth.ts). */
const BROWSER_PROBLEMS = ['origin-not-allowed', 'secret-key-in-browser'] as const;

/** An operation behind an API key with `scope`; its handler sees c.var.caller. */
export const authedRoute = <R extends Operation>(scope: Scope, { errors = [], ...route }: R) =>
  createRoute({
    ...route,
    security: [{ bearer: [] }],
    middleware: [requireKey(scope)] as const,
    responses: {
      ...errorResponses(['unauthorized', 'forbidden', 'rate-limited', 'internal', ...BROWSER_PROBLEMS, ...inputProblems(route), ...errors]),
      ...route.responses,
    },
  });

/** An inference operation: a secret key with scope infer, or a publishable key (in the
 * Authorization header or the `key` query parameter) naming the model; the handler checks
 * the model against c.var.caller.models. */
export const inferenceRoute = <R extends Operation>({ errors = [], ...route }: R) =>
  createRoute({
    ...route,
    security: [{ bearer: [] }, { publishableKey: [] }] as Record<string, string[]>[],
    middleware: [requireKey('infer', { publishable: true })] as const,
    responses: {
      ...errorResponses([
        'unauthorized',
        'forbidden',
        'model-not-allowed',
        'rate-limited',
        'internal',
        ...BROWSER_PROBLEMS,
        ...inputProblems(route),
        ...errors,
      ]),
      ...route.responses,
    },
  });

/** An operation behind the ADMIN_TOKEN. */
export const adminRoute = <R extends Operation>({ errors = [], ...route }: R) =>
  createRoute({
    ...route,
    tags: ['admin'],
    security: [{ adminToken: [] }],
    middleware: [requireAdmin] as const,
    responses: {
      ...errorResponses(['unauthorized', 'origin-not-allowed', 'admin-disabled', 'internal', ...inputProblems(route), ...errors]),
      ...route.responses,
    },
  });

/** An operation anyone may call (health checks; hooks, which carry their own signature). */
export const publicRoute = <R extends Operation>({ errors = [], ...route }: R) =>
  createRoute({
    ...route,
    security: [],
    responses: { ...errorResponses(['internal', ...inputProblems(route), ...errors]), ...route.responses },
  });
