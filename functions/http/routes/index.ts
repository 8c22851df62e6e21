// Every operation, registered in one place: routes/<resource>/<operation>.ts, each file
// named after its URL.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.ts';
import { registerCreateTenant } from './admin/tenants/create.ts';
import { registerCreateKey } from './admin/tenants/keys/create.ts';
import { registerListKeys } from './admin/tenants/keys/list.ts';
import { registerRevokeKey } from './admin/tenants/keys/revoke.ts';
import { registerRotateKey } from './admin/tenants/keys/rotate.ts';
import { registerListTenants } from './admin/tenants/list.ts';
import { registerAdminUsage } from './admin/usage/get.ts';
import { registerCancelBatch } from './batches/cancel.ts';
import { registerCreateBatch } from './batches/create.ts';
import { registerBatchErrors } from './batches/errors.ts';
import { registerGetBatch } from './batches/get.ts';
import { registerListBatches } from './batches/list.ts';
import { registerBatchResults } from './batches/results.ts';
import { registerCreateFile } from './files/create.ts';
import { registerHealthz } from './healthz.ts';
import { registerHook } from './hooks/receive.ts';
import { registerCreateMerge } from './merges/create.ts';
import { registerGetMerge } from './merges/get.ts';
import { registerListMerges } from './merges/list.ts';
import { registerAliasHistory } from './models/aliases/history.ts';
import { registerPutAlias } from './models/aliases/put.ts';
import { registerRollbackAlias } from './models/aliases/rollback.ts';
import { registerGetModel } from './models/get.ts';
import { registerInfer } from './models/infer.ts';
import { registerListModels } from './models/list.ts';
import { registerGetPackageFile } from './models/package/files/get.ts';
import { registerGetPackage } from './models/package/get.ts';
import { registerCreateVersion } from './models/versions/create.ts';
import { registerGetVersion } from './models/versions/get.ts';
import { registerOpenAiRoutes } from './openai/index.ts';
import { registerKeyRoutes } from './publishable-keys/index.ts';
import { registerReadyz } from './readyz.ts';
import { registerCreateTrigger } from './triggers/create.ts';
import { registerCommitUpload } from './uploads/commit.ts';
import { registerPutUploadFile } from './uploads/files/put.ts';
import { registerCreateClientRuns } from './usage/client-runs/create.ts';
import { registerGetUsage } from './usage/get.ts';
import { registerListDeliveries } from './webhooks/deliveries/list.ts';
import { registerRedeliver } from './webhooks/deliveries/redeliver.ts';
import { registerListEndpoints } from './webhooks/endpoints/list.ts';
import { registerGetSecret } from './webhooks/secret/get.ts';
import { registerRotateSecret } from './webhooks/secret/rotate.ts';

const REGISTRATIONS = [
  registerHealthz,
  registerReadyz,
  registerListModels,
  registerGetModel,
  registerInfer,
  registerGetPackage,
  registerGetPackageFile,
  registerCreateVersion,
  registerGetVersion,
  registerPutAlias,
  registerRollbackAlias,
  registerAliasHistory,
  registerPutUploadFile,
  registerCommitUpload,
  registerCreateMerge,
  registerGetMerge,
  registerListMerges,
  registerCreateFile,
  registerCreateBatch,
  registerListBatches,
  registerGetBatch,
  registerCancelBatch,
  registerBatchResults,
  registerBatchErrors,
  registerGetSecret,
  registerRotateSecret,
  registerListDeliveries,
  registerRedeliver,
  registerListEndpoints,
  registerCreateTrigger,
  registerHook,
  registerGetUsage,
  registerCreateClientRuns,
  registerCreateTenant,
  registerListTenants,
  registerCreateKey,
  registerListKeys,
  registerRotateKey,
  registerRevokeKey,
  registerAdminUsage,
];

export function registerRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const register of REGISTRATIONS) register(app);
  registerKeyRoutes(app); // issue 16: publishable keys and origins
  registerOpenAiRoutes(app); // issue 16: /openai/v1, documented at /openai/openapi.json
}
