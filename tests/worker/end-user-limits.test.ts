// Per-end-user limits (issue 16): publishable-key traffic is counted per key and client
// address (END_USER_LIMITER, 5 a minute in tests) beside the key's and tenant's limits.
// One address over its limit gets 429 with Retry-After, readable by its page, while
// another address goes on; usage is attributed to the key.
import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { usageEvents } from '../../schemas/db/schema.ts';
import { db, eventually, type Seeded, seed } from './helpers.ts';

const SITE = 'https://shop.example';
let s: Seeded;
let pk: { key: string; id: string };

beforeAll(async () => {
  s = await seed();
  const issued = await issueKey(db(), s.tenantId, ['infer'], 'shop', { models: ['fixture-multitask'], origins: [SITE] });
  pk = { key: issued.key, id: issued.row.id };
});

const fromAddress = (ip: string) =>
  SELF.fetch(`http://chimera.test/v1/models/fixture-multitask/infer?key=${pk.key}`, {
    method: 'POST',
    headers: { origin: SITE, 'cf-connecting-ip': ip, 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: ['a fine film'], tasks: ['sentiment'] }),
  });

describe('a publishable key used by many end users', () => {
  it('answers 429 to the one address over its limit while another goes on', async () => {
    for (let i = 0; i < 5; i++) expect((await fromAddress('203.0.113.7')).status).toBe(200);
    const over = await fromAddress('203.0.113.7');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('60');
    expect(over.headers.get('access-control-allow-origin')).toBe(SITE); // the page can read it and back off
    expect(((await over.json()) as { detail: string }).detail).toMatch(/your address with this publishable key/);
    expect((await fromAddress('198.51.100.4')).status).toBe(200);
    expect((await fromAddress('2001:db8::1')).status).toBe(200);
  });

  it('is metered under its own key', async () => {
    const rows = await eventually(async () => {
      const r = await db().select().from(usageEvents).where(eq(usageEvents.keyId, pk.id));
      return r.length >= 7 ? r : undefined;
    });
    // the seven answered; the refused one ran nothing and is not metered
    expect(rows.map((r) => r.status)).toEqual(Array(7).fill(200));
    expect(rows.every((r) => r.operation === 'infer' && r.items === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.tenantId))).toEqual(new Set([s.tenantId]));
  });
});
