import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookDocument } from './webhook.repository';

/** A new signing secret in the Standard Webhooks form: `whsec_` and 24 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The Standard Webhooks headers of one attempt: the event's id (the same on every retry, for receivers to drop
 * repeats), the attempt's time, and a `v1,` signature per valid secret (during a rotation, the old one's too).
 */
export function signatureHeaders(
  webhook: Pick<WebhookDocument, 'secret' | 'previousSecret' | 'previousSecretUntil'>,
  eventId: string,
  body: string,
  at: Date,
): Record<string, string> {
  const id = `evt_${eventId}`;
  const secrets = [webhook.secret];
  if (webhook.previousSecret && (webhook.previousSecretUntil?.getTime() ?? 0) > at.getTime()) {
    secrets.push(webhook.previousSecret);
  }
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
  };
}
