import type { KeyedLock } from '../db/keyed-lock';
import type { Lease } from '../db/lock-lease';
import type { VersionedCache } from '../db/versioned-cache';
import type { Logger } from '../logger';
import { RefusedDestinationError, resolveDestination } from './webhook-address';
import { sendEvent, type SendResult } from './webhook-sender';
import { signatureHeaders } from './webhook-signature';
import { nextAttemptAt } from './retry-schedule';
import type { Attempt, DeliveryDocument, WebhookDocument, WebhookRepository } from './webhook.repository';

/** Attempts in flight per webhook and instance: a slow receiver holds at most this many connections. */
const perWebhook = 4;
/** How often each instance looks for due retries, and for fresh deliveries their publisher did not attempt. */
const pollEveryMs = 2_000;
/** A fresh delivery is its publisher's for this long; then any instance takes it (its publisher may have died). */
const publisherHoldsMs = 30_000;
/**
 * Its publisher makes the first attempt without the delivery's lock while it starts this soon: no other instance
 * takes the delivery before `publisherHoldsMs`, and an attempt's send ends within 10 s, leaving 5 s to record it.
 */
const publisherAttemptsAloneMs = 15_000;

interface Queued {
  id: string;
  /** The delivery as stored, when this instance published it just now: no lock nor read back while it is fresh. */
  published?: DeliveryDocument;
}

export interface DispatcherDependencies {
  repository: WebhookRepository;
  webhooks: VersionedCache<WebhookDocument[]>;
  lock: KeyedLock;
  allowedHosts: readonly string[];
  logger: Logger;
}

const succeeded = (result: SendResult) =>
  result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;

/**
 * Delivers apart from request handling: a queue per webhook with bounded concurrency, fed by this instance's
 * publishes and by a poll of due deliveries. A fresh delivery's first attempt is its publisher's alone; every
 * other attempt runs under the delivery's lock on every instance and re-reads the delivery under it. So no
 * delivery is attempted by two instances at once, nor again once delivered.
 */
export function createWebhookDispatcher(deps: DispatcherDependencies) {
  const queues = new Map<string, Queued[]>();
  const inFlight = new Map<string, number>();
  const known = new Set<string>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  let polling: Promise<void> | undefined;

  async function outcomeOf(webhook: WebhookDocument | undefined, delivery: DeliveryDocument, body: string) {
    if (!webhook) return { durationMs: 0, error: 'the webhook was deleted' };
    if (!webhook.active) return { durationMs: 0, error: 'the webhook is inactive' };
    try {
      const destination = await resolveDestination(webhook.url, deps.allowedHosts);
      return await sendEvent(destination, body, signatureHeaders(webhook, delivery.eventId, body, new Date()));
    } catch (error) {
      if (error instanceof RefusedDestinationError) return { durationMs: 0, error: `refused: ${error.message}` };
      throw error;
    }
  }

  /** What follows an attempt: delivered, tried again later, or given up (410 Gone also turns the webhook off). */
  async function settle(delivery: DeliveryDocument, webhook: WebhookDocument | undefined, result: SendResult) {
    const attempt: Attempt = { at: new Date(), ...result };
    if (succeeded(result)) return deps.repository.recordAttempt(delivery, attempt, { state: 'delivered' });
    const final = !webhook?.active || result.statusCode === 410;
    const next = final ? undefined : nextAttemptAt(delivery.attempts.length + 1, delivery.createdAt);
    await deps.repository.recordAttempt(
      delivery,
      attempt,
      next ? { state: 'scheduled', nextAttemptAt: next } : { state: 'failed' },
    );
    if (result.statusCode === 410 && webhook) {
      await deps.repository.deactivateWebhook(String(webhook._id));
      await deps.webhooks.invalidate();
      deps.logger.warn(
        { webhookId: String(webhook._id) },
        'a webhook receiver answered 410 Gone: the webhook is now inactive',
      );
    }
  }

  async function deliver(delivery: DeliveryDocument, lease?: Lease): Promise<void> {
    const webhook =
      (await deps.webhooks.get()).find((cached) => String(cached._id) === delivery.webhookId) ??
      (await deps.repository.findWebhook(delivery.webhookId)) ??
      undefined;
    const result = await outcomeOf(webhook, delivery, delivery.body);
    lease?.assertHeld();
    await settle(delivery, webhook, result);
  }

  async function attempt(item: Queued): Promise<void> {
    const { published } = item;
    if (published && Date.now() - published.createdAt.getTime() < publisherAttemptsAloneMs) return deliver(published);
    await deps.lock.tryRun(`webhook-delivery:${item.id}`, async (lease) => {
      const delivery = await deps.repository.findDelivery(item.id);
      if (delivery?.state !== 'scheduled' || (delivery.nextAttemptAt?.getTime() ?? 0) > Date.now()) return;
      await deliver(delivery, lease);
    });
  }

  function pump(webhookId: string): void {
    const queue = queues.get(webhookId) ?? [];
    while (!stopped && queue.length && (inFlight.get(webhookId) ?? 0) < perWebhook) {
      const item = queue.shift()!;
      inFlight.set(webhookId, (inFlight.get(webhookId) ?? 0) + 1);
      const run = attempt(item)
        .catch((error: unknown) =>
          deps.logger.error({ err: error, deliveryId: item.id }, 'a webhook delivery attempt failed; it is retried'),
        )
        .finally(() => {
          known.delete(item.id);
          running.delete(run);
          inFlight.set(webhookId, (inFlight.get(webhookId) ?? 1) - 1);
          pump(webhookId);
        });
      running.add(run);
    }
    if (!queue.length) queues.delete(webhookId);
  }

  function queueUp(items: (Queued & { webhookId: string })[]): void {
    for (const { webhookId, ...item } of items) {
      if (known.has(item.id)) continue;
      known.add(item.id);
      const queue = queues.get(webhookId) ?? [];
      queues.set(webhookId, queue);
      queue.push(item);
    }
    for (const webhookId of new Set(items.map((item) => item.webhookId))) pump(webhookId);
  }

  const enqueue = (deliveries: Pick<DeliveryDocument, '_id' | 'webhookId'>[]) =>
    queueUp(deliveries.map(({ _id, webhookId }) => ({ id: _id, webhookId })));

  /** Due retries, and fresh deliveries their publisher has held past its time (it may have died). */
  async function poll(): Promise<void> {
    const now = Date.now();
    const scheduled = await deps.repository.scheduledDeliveries(500);
    const due = scheduled.filter(({ nextAttemptAt, createdAt }) => {
      const at = nextAttemptAt?.getTime() ?? now;
      const retry = at > createdAt.getTime();
      return at <= now && (retry || now - createdAt.getTime() > publisherHoldsMs);
    });
    enqueue(due);
  }

  const timer = setInterval(() => {
    polling ??= poll()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'looking for due webhook deliveries failed'))
      .finally(() => (polling = undefined));
  }, pollEveryMs);
  timer.unref();

  return {
    /** Deliveries to attempt, each under its lock, as stored when attempted. */
    enqueue,
    /** Deliveries this instance has just stored: it makes their first attempts alone. */
    enqueuePublished: (deliveries: DeliveryDocument[]) =>
      queueUp(deliveries.map((delivery) => ({ id: delivery._id, webhookId: delivery.webhookId, published: delivery }))),
    /** Stops taking work and waits for the attempts under way (each ends within 10 s). */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await polling;
      await Promise.all(running);
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
