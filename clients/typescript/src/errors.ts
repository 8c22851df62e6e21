// Typed problem errors: every error Chimera sends is RFC 9457 problem+json whose `type`
// names an entry of the problem catalog. ChimeraError carries the problem, typed from the
// OpenAPI document, and its short name (`model-not-found`) for switch statements.
import type { components } from './schema.ts';

export type Problem = components['schemas']['Problem'];
export const PROBLEM_BASE = 'https://chimera.dev/problems/';
/** Every problem type the API can send, by its short name. */
export type ProblemType = Problem['type'] extends `${typeof PROBLEM_BASE}${infer T}` ? T : never;

export class ChimeraError extends Error {
  /** the problem type's short name; 'unknown' when the answer was not a Chimera problem (a proxy's error page) */
  readonly type: ProblemType | 'unknown';
  readonly status: number;
  readonly problem: Problem | undefined;
  /** the request id (x-request-id): quote it when reporting a problem */
  readonly requestId: string | undefined;
  /** for 429 and 503: seconds the server asked to wait, when it said */
  readonly retryAfter: number | undefined;

  constructor(status: number, problem: Problem | undefined, headers?: Headers) {
    super(problem ? `${problem.title}: ${problem.detail}` : `HTTP ${status}`);
    this.name = 'ChimeraError';
    this.status = status;
    this.problem = problem;
    this.type = problem?.type.startsWith(PROBLEM_BASE) ? (problem.type.slice(PROBLEM_BASE.length) as ProblemType) : 'unknown';
    this.requestId = problem?.instance ?? headers?.get('x-request-id') ?? undefined;
    this.retryAfter = retryAfterSeconds(headers?.get('retry-after'));
  }

  /** what went wrong this time, in words (the problem's detail) */
  get detail(): string {
    return this.problem?.detail ?? this.message;
  }

  /** every invalid field of a validation problem */
  get errors(): { path: string; message: string }[] {
    return this.problem?.errors ?? [];
  }

  /** Narrows on the problem type: `if (e instanceof ChimeraError && e.is('model-not-found'))`. */
  is<T extends ProblemType>(type: T): this is ChimeraError & { type: T } {
    return this.type === type;
  }
}

/** Retry-After in seconds, from either of its forms (seconds, or an HTTP date). */
export function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** The error of a response that is not 2xx (the body is read). */
export async function errorOf(response: Response, parsed?: unknown): Promise<ChimeraError> {
  let body = parsed;
  if (body === undefined) {
    try {
      body = await response.clone().json();
    } catch {
      body = undefined;
    }
  }
  const problem = isProblem(body) ? body : undefined;
  return new ChimeraError(response.status, problem, response.headers);
}

function isProblem(value: unknown): value is Problem {
  const p = value as Partial<Problem> | undefined;
  return typeof p === 'object' && p !== null && typeof p.type === 'string' && typeof p.status === 'number' && typeof p.detail === 'string';
}
