import { Types } from 'mongoose';
import type { VersionedCache } from '../db/versioned-cache';
import type { WebhookDispatcher } from './webhook-dispatcher';
import type { DeliveryDocument, WebhookDocument, WebhookRepository } from './webhook.repository';
import type { EventType } from './webhook.schemas';

/** Publishes an event of a change that is done; resolves once it is stored, before the change is acknowledged. */
export type PublishEvent = (type: EventType, data: Record<string, unknown>, eventId?: Types.ObjectId) => Promise<void>;

/** A body larger than this sends only what identifies the change (the receiver reads the rest through the API). */
const maxBodyBytes = 256 * 1024;

function eventBody(type: string, at: Date, data: Record<string, unknown>): string {
  const body = JSON.stringify({ type, timestamp: at.toISOString(), data });
  if (Buffer.byteLength(body) <= maxBodyBytes) return body;
  const contact = data.contact as { _id?: unknown } | undefined;
  const identity = { ...(contact?._id ? { contactId: contact._id } : {}), truncated: true };
  return JSON.stringify({ type, timestamp: at.toISOString(), data: identity });
}

function subscribes(webhook: WebhookDocument, type: string): boolean {
  return webhook.active && (webhook.events.includes('*') || webhook.events.includes(type));
}

function deliveryOf(event: { id: Types.ObjectId; type: string; body: string }, webhookId: string, at: Date) {
  const id = String(event.id);
  return {
    _id: `${id}-${webhookId}`,
    webhookId,
    eventId: id,
    type: event.type,
    body: event.body,
    state: 'scheduled',
    nextAttemptAt: at,
    attempts: [],
    createdAt: at,
  } satisfies DeliveryDocument;
}

/** Stores the event as one delivery per webhook, then hands them to this instance's dispatcher. */
export async function storeEvent(
  deps: { repository: WebhookRepository; dispatcher: WebhookDispatcher },
  event: { type: string; data: Record<string, unknown>; id?: Types.ObjectId },
  webhooks: WebhookDocument[],
): Promise<DeliveryDocument[]> {
  const { type, data, id = new Types.ObjectId() } = event;
  const at = new Date();
  const body = eventBody(type, at, data);
  const due: DeliveryDocument[] = webhooks.map((webhook) => deliveryOf({ id, type, body }, String(webhook._id), at));
  await deps.repository.insertDeliveries(due);
  deps.dispatcher.enqueuePublished(due);
  return due;
}

/**
 * The outbox: an event is stored as one delivery per subscribed webhook before the change it reports is
 * acknowledged, so no crash after the answer loses it; with no webhook subscribed, publishing writes nothing.
 * An event id given by the caller (a merge's journal id) makes publishing again after a crash a no-op.
 */
export function createEventPublisher(deps: {
  repository: WebhookRepository;
  webhooks: VersionedCache<WebhookDocument[]>;
  dispatcher: WebhookDispatcher;
}): PublishEvent {
  return async (type, data, id) => {
    const subscribers = (await deps.webhooks.get()).filter((webhook) => subscribes(webhook, type));
    if (subscribers.length) await storeEvent(deps, { type, data, id }, subscribers);
  };
}
