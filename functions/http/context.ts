// Hono's environment: Worker bindings and the per-request variables middleware sets.
// Routes behind the key check see `caller` typed as present (AuthedEnv), so no handler
// asserts it.
import type { Context } from 'hono';
import type { KeyKind } from '../../schemas/vocabulary.ts';
import type { UsageDraft } from '../domain/usage/record.ts';
import type { Db } from '../infra/db.ts';

export interface Caller {
  tenantId: string;
  keyId: string;
  scopes: string[];
  kind: KeyKind;
  /** publishable keys: the models they may call ("name" or "name@alias") */
  models?: string[];
}

export interface AppEnv {
  /** ASSETS serves /docs/*; optional so that tests and tools without it still type-check */
  Bindings: Env & { ASSETS?: Fetcher };
  Variables: {
    requestId: string;
    startedAt: number;
    /** D1 through Drizzle, for this request's domain calls */
    db: Db;
    /** set by the key check */
    caller?: Caller;
    /** what the handler reports for the request's usage row */
    usage?: UsageDraft;
    /** a cross-origin page may read this answer (middleware/cors.ts sets the headers) */
    corsOrigin?: string;
  };
}

/** The environment of a route behind requireKey. */
export interface AuthedEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { caller: Caller };
}

export type AppContext = Context<AppEnv>;
