// Hono's environment: Worker bindings and the per-request variables middleware sets.
import type { Context } from 'hono';

export interface Caller {
  tenantId: string;
  keyId: string;
  scopes: string[];
}

/** What a handler reports for the usage row written after the response. */
export interface UsageDraft {
  operation: string;
  model?: string;
  version?: number;
  tasks?: string[];
  items?: number;
  inputTokens?: number;
  backend?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { requestId: string; caller?: Caller; usage?: UsageDraft; startedAt: number };
}
export type AppContext = Context<AppEnv>;
