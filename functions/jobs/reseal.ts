// Key rotation for secrets at rest (cron): rows sealed under an older key of SECRETS_KEYS
// (or stored before sealing) are sealed again under the current one, a bounded number per
// run. Once none are left, the old key can be dropped from SECRETS_KEYS.
import { eq, like, not, or } from 'drizzle-orm';
import { triggers, webhookSecrets } from '../../schemas/db/schema.ts';
import { triggerContext } from '../domain/triggers.ts';
import { webhookSecretContext } from '../domain/webhooks/secrets.ts';
import { dbOf } from '../infra/db.ts';
import { needsResealing, seal, sealingKeys, unseal } from '../infra/sealed.ts';

const PER_RUN = 200;

/** Reseals what is not under the current key; how many rows it rewrote. */
export async function resealSecrets(env: Env): Promise<number> {
  const db = dbOf(env.DB);
  const current = `sealed:v1:${(await sealingKeys(env)).current.id}:%`;
  let rewritten = 0;
  const stale = await db
    .select()
    .from(webhookSecrets)
    .where(or(not(like(webhookSecrets.secret, current)), not(like(webhookSecrets.previous, current))))
    .limit(PER_RUN);
  for (const row of stale) {
    const context = webhookSecretContext(row.tenantId);
    const again = async (v: string) => ((await needsResealing(env, v)) ? seal(env, await unseal(env, v, context), context) : v);
    await db
      .update(webhookSecrets)
      .set({ secret: await again(row.secret), previous: row.previous === null ? null : await again(row.previous) })
      .where(eq(webhookSecrets.tenantId, row.tenantId));
    rewritten++;
  }
  const staleTriggers = await db
    .select()
    .from(triggers)
    .where(not(like(triggers.secret, current)))
    .limit(PER_RUN);
  for (const row of staleTriggers) {
    const context = triggerContext(row.id);
    await db
      .update(triggers)
      .set({ secret: await seal(env, await unseal(env, row.secret, context), context) })
      .where(eq(triggers.id, row.id));
    rewritten++;
  }
  return rewritten;
}
