// Rows → API shapes for webhooks and triggers.
import { Trigger } from '../../../schemas/api/triggers.ts';
import { Delivery } from '../../../schemas/api/webhooks.ts';
import type { TriggerRow } from '../../domain/triggers.ts';
import type { AttemptRow, DeliveryRow } from '../../domain/webhooks/deliveries.ts';
import { iso } from './time.ts';

export const deliveryView = (d: DeliveryRow & { attemptLog: AttemptRow[] }) =>
  Delivery.parse({
    id: d.id,
    event: d.event,
    url: d.url,
    status: d.status,
    created_at: iso(d.createdAt),
    delivered_at: iso(d.deliveredAt),
    attempts: d.attemptLog.map((a) => ({ status_code: a.statusCode, error: a.error, duration_ms: a.durationMs, at: iso(a.createdAt) })),
  });

export const triggerView = (t: TriggerRow) =>
  Trigger.parse({ id: t.id, name: t.name, url: `/v1/hooks/${t.id}`, secret: t.secret, batch: t.batch, created_at: iso(t.createdAt) });
