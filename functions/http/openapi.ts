// How operations are declared. Every operation has an operationId, its security, and the
// error responses it can send, generated from the problem catalog: the standard ones of
// its kind (authenticated, admin, public) plus the types the route lists in `errors`.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { PROBLEMS, Problem, type ProblemType } from '../../schemas/api/problems.ts';
import type { Scope } from '../domain/keys.ts';
import { requireAdmin } from './middleware/admin-auth.ts';
import { requireKey } from './middleware/auth.ts';

export type Operation = Omit<RouteConfig, 'security' | 'middleware' | 'operationId'> & {
  operationId: string;
  /** problem types this operation sends besides the standard ones of its kind */
  errors?: readonly ProblemType[];
};

/** problem+json responses for these types, one per status, each type named with its title */
export function errorResponses(types: readonly ProblemType[]): Record<never, never> {
  const byStatus = new Map<number, ProblemType[]>();
  for (const t of new Set(types)) byStatus.set(PROBLEMS[t][0], [...(byStatus.get(PROBLEMS[t][0]) ?? []), t]);
  const responses: Record<number, unknown> = {};
  for (const [status, ts] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: ts.map((t) => `\`${t}\`: ${PROBLEMS[t][1]}`).join('; '),
      content: { 'application/problem+json': { schema: Problem } },
      ...(status === 429 ? { headers: { 'retry-after': { schema: { type: 'integer' }, description: 'seconds to wait' } } } : {}),
    };
  }
  // typed as empty: handlers never return these (they throw ApiError), so the route's
  // own responses alone type what a handler may return
  return responses as Record<never, never>;
}

const withBody = (route: Operation): ProblemType[] => (route.request?.body ? ['body-too-large'] : []);

/** An operation behind an API key with `scope`; its handler sees c.var.caller. */
export const authedRoute = <R extends Operation>(scope: Scope, { errors = [], ...route }: R) =>
  createRoute({
    ...route,
    security: [{ bearer: [] }],
    middleware: [requireKey(scope)] as const,
    responses: {
      ...errorResponses(['unauthorized', 'forbidden', 'validation', 'rate-limited', ...withBody(route), ...errors]),
      ...route.responses,
    },
  });

/** An operation behind the ADMIN_TOKEN. */
export const adminRoute = <R extends Operation>({ errors = [], ...route }: R) =>
  createRoute({
    ...route,
    tags: ['admin'],
    security: [{ bearer: [] }],
    middleware: [requireAdmin] as const,
    responses: { ...errorResponses(['unauthorized', 'admin-disabled', 'validation', ...withBody(route), ...errors]), ...route.responses },
  });

/** An operation anyone may call (health checks; hooks, which carry their own signature). */
export const publicRoute = <R extends Operation>({ errors = [], ...route }: R) =>
  createRoute({ ...route, security: [], responses: { ...errorResponses(errors), ...route.responses } });
