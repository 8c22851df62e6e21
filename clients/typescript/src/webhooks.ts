// Verifying the webhooks Chimera sends (Standard Webhooks: webhook-id, webhook-timestamp,
// webhook-signature over `id.timestamp.body`, HMAC-SHA256 with the whsec_ secret, a
// 5-minute window). During a rotation both the new and the previous secret sign: pass both.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { components } from './schema.ts';

export type WebhookEvent = components['schemas']['BatchEvent'] | components['schemas']['MergeEvent'];
export { WebhookVerificationError };

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

const pick = (headers: HeaderSource, name: string): string => {
  const value = headers instanceof Headers ? headers.get(name) : headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

/**
 * The event, once its signature checks out with one of `secrets` (GET /v1/webhooks/secret
 * gives `secret` and, after a rotation, `previous`); throws WebhookVerificationError
 * otherwise. `payload` is the raw body, exactly as received.
 */
export function verifyWebhook(
  payload: string,
  headers: HeaderSource,
  secrets: string | readonly (string | null | undefined)[],
): WebhookEvent {
  const signing = {
    'webhook-id': pick(headers, 'webhook-id'),
    'webhook-timestamp': pick(headers, 'webhook-timestamp'),
    'webhook-signature': pick(headers, 'webhook-signature'),
  };
  const candidates = (typeof secrets === 'string' ? [secrets] : secrets).filter((s): s is string => Boolean(s));
  if (!candidates.length) throw new WebhookVerificationError('no secret to verify with');
  let failure: unknown;
  for (const secret of candidates) {
    try {
      return new Webhook(secret).verify(payload, signing) as WebhookEvent;
    } catch (e) {
      failure = e;
    }
  }
  throw failure;
}

/** verifyWebhook for a fetch Request (a Worker, Deno, Bun, or Node's Request). */
export async function verifyWebhookRequest(
  request: Request,
  secrets: string | readonly (string | null | undefined)[],
): Promise<WebhookEvent> {
  return verifyWebhook(await request.text(), request.headers, secrets);
}
