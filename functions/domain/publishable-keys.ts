// Issuing and changing publishable keys, for the tenant API, the admin API and the CLI:
// the models they name must exist for the tenant (a typo is caught when the key is made,
// not when a page first calls), and a missing key is answered as a catalog problem.
import { ApiError } from '../../schemas/api/problems.ts';
import type { Db } from '../infra/db.ts';
import { issueKey, type KeyRow, updatePublishableKey } from './keys.ts';
import { parseModelRef } from './origins.ts';
import { findModel } from './registry.ts';

export interface PublishableRequest {
  name?: string;
  models: string[];
  /** undefined or null: the tenant's default origins */
  origins?: string[] | null;
}

async function requireModels(db: Db, tenantId: string, refs: string[]): Promise<void> {
  for (const name of new Set(refs.map((r) => parseModelRef(r).model))) await findModel(db, tenantId, name);
}

export async function issuePublishableKey(db: Db, tenantId: string, req: PublishableRequest): Promise<{ key: string; row: KeyRow }> {
  await requireModels(db, tenantId, req.models);
  return issueKey(db, tenantId, ['infer'], req.name ?? '', { models: [...new Set(req.models)], origins: req.origins ?? null });
}

export async function changePublishableKey(
  db: Db,
  tenantId: string,
  keyId: string,
  patch: { name?: string; models?: string[]; origins?: string[] | null },
): Promise<KeyRow> {
  if (patch.models) await requireModels(db, tenantId, patch.models);
  const row = await updatePublishableKey(db, tenantId, keyId, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.models ? { models: [...new Set(patch.models)] } : {}),
    ...(patch.origins !== undefined ? { origins: patch.origins } : {}),
  });
  if (!row) throw new ApiError('key-not-found', `no live publishable key "${keyId}"`);
  return row;
}
