// Each tenant's Standard Webhooks signing secret (the `standardwebhooks` library signs):
// after a rotation both the new and the previous secret sign, so receivers can switch
// over without dropping deliveries. Both are stored sealed (infra/sealed.ts).
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { webhookSecrets } from '../../../schemas/db/schema.ts';
import type { Db } from '../../infra/db.ts';
import { seal, unseal } from '../../infra/sealed.ts';

export interface SigningSecrets {
  secret: string;
  previous: string | null;
}

/** A new Standard Webhooks secret (outbound signing, inbound triggers). */
export const newSecret = () => `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`;

/** What a tenant's sealed webhook secrets are bound to (AES-GCM additional data). */
export const webhookSecretContext = (tenantId: string) => `webhook-secret:${tenantId}`;

/** The tenant's secrets, made on first use. */
export async function secretsFor(env: Env, db: Db, tenantId: string): Promise<SigningSecrets> {
  const context = webhookSecretContext(tenantId);
  const [existing] = await db.select().from(webhookSecrets).where(eq(webhookSecrets.tenantId, tenantId));
  if (!existing)
    await db
      .insert(webhookSecrets)
      .values({ tenantId, secret: await seal(env, newSecret(), context) })
      .onConflictDoNothing();
  const [row] = existing ? [existing] : await db.select().from(webhookSecrets).where(eq(webhookSecrets.tenantId, tenantId));
  return {
    secret: await unseal(env, row!.secret, context),
    previous: row!.previous === null ? null : await unseal(env, row!.previous, context),
  };
}

export async function rotateSecret(env: Env, db: Db, tenantId: string): Promise<SigningSecrets> {
  const current = await secretsFor(env, db, tenantId);
  const secret = newSecret();
  const context = webhookSecretContext(tenantId);
  await db
    .update(webhookSecrets)
    .set({ secret: await seal(env, secret, context), previous: await seal(env, current.secret, context), rotatedAt: Date.now() })
    .where(eq(webhookSecrets.tenantId, tenantId));
  return { secret, previous: current.secret };
}

/** webhook-id, webhook-timestamp and one signature per live secret. */
export function signedHeaders(secrets: SigningSecrets, id: string, payload: string, at = new Date()): Record<string, string> {
  const signatures = [secrets.secret, ...(secrets.previous ? [secrets.previous] : [])].map((s) => new Webhook(s).sign(id, at, payload));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
    'content-type': 'application/json',
  };
}
