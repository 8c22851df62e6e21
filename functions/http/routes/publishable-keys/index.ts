// The operations of issue 16 besides the OpenAI surface, registered together (routes/
// index.ts calls this): inference by GET, publishable keys and a tenant's browser origins.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerAdminUpdateKey } from '../admin/tenants/keys/update.ts';
import { registerAdminGetOrigins } from '../admin/tenants/origins/get.ts';
import { registerAdminPutOrigins } from '../admin/tenants/origins/put.ts';
import { registerAdminCreatePublishableKey } from '../admin/tenants/publishable-keys/create.ts';
import { registerGetInfer } from '../models/infer/get.ts';
import { registerVersionInfer } from '../models/versions/infer.ts';
import { registerGetOrigins } from '../origins/get.ts';
import { registerPutOrigins } from '../origins/put.ts';
import { registerCreatePublishableKey } from './create.ts';
import { registerListPublishableKeys } from './list.ts';
import { registerRevokePublishableKey } from './revoke.ts';
import { registerRotatePublishableKey } from './rotate.ts';
import { registerUpdatePublishableKey } from './update.ts';

export function registerKeyRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const register of [
    registerGetInfer,
    registerVersionInfer,
    registerCreatePublishableKey,
    registerListPublishableKeys,
    registerUpdatePublishableKey,
    registerRotatePublishableKey,
    registerRevokePublishableKey,
    registerGetOrigins,
    registerPutOrigins,
    registerAdminCreatePublishableKey,
    registerAdminUpdateKey,
    registerAdminGetOrigins,
    registerAdminPutOrigins,
  ])
    register(app);
}
