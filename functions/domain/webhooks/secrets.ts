// Each tenant's Standard Webhooks signing secret (the `standardwebhooks` library signs):
// after a rotation both the new and the previous secret sign, so receivers can switch
// over without dropping deliveries.
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { webhookSecrets } from '../../../schemas/db/schema.ts';
import type { Db } from '../../infra/db.ts';

export interface SigningSecrets {
  secret: string;
  previous: string | null;
}

/** A new Standard Webhooks secret (outbound signing, inbound triggers). */
export const newSecret = () => `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`;

/** The tenant's secrets, made on first use. */
export async function secretsFor(db: Db, tenantId: string): Promise<SigningSecrets> {
  await db.insert(webhookSecrets).values({ tenantId, secret: newSecret() }).onConflictDoNothing();
  const [row] = await db.select().from(webhookSecrets).where(eq(webhookSecrets.tenantId, tenantId));
  return { secret: row!.secret, previous: row!.previous };
}

export async function rotateSecret(db: Db, tenantId: string): Promise<SigningSecrets> {
  const current = await secretsFor(db, tenantId);
  const secret = newSecret();
  await db
    .update(webhookSecrets)
    .set({ secret, previous: current.secret, rotatedAt: Date.now() })
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
