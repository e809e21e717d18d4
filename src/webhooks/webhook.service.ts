import { Types } from 'mongoose';
import type { AuditTrail } from '../audit/audit-trail';
import type { VersionedCache } from '../db/versioned-cache';
import { AppError, validationError } from '../http/app-error';
import type { RequestContext } from '../http/request-context';
import { RefusedDestinationError, resolveDestination } from './webhook-address';
import type { WebhookDispatcher } from './webhook-dispatcher';
import { storeEvent } from './webhook-events';
import { newSecret } from './webhook-signature';
import type { DeliveryDocument, WebhookDocument, WebhookRepository } from './webhook.repository';
import { pingEvent, type WebhookInput, type WebhookUpdate } from './webhook.schemas';

/** The old secret keeps signing this long after a rotation, for receivers to switch over. */
const previousSecretValidMs = 24 * 60 * 60 * 1000;

export interface DeliveryPage {
  limit: number;
  before?: string;
  status?: 'pending' | 'delivered' | 'failed';
}

/** A webhook as the API answers it: never its secret. */
function toWebhook({ _id, url, events, active, description, createdAt, updatedAt }: WebhookDocument) {
  return {
    id: String(_id),
    url,
    events,
    active,
    ...(description ? { description } : {}),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

function toDelivery({ _id, eventId, type, state, attempts, nextAttemptAt, createdAt }: DeliveryDocument) {
  return {
    id: _id,
    eventId,
    type,
    status: state === 'scheduled' ? ('pending' as const) : state,
    attempts: attempts.map((attempt) => ({ ...attempt, at: attempt.at.toISOString() })),
    ...(state === 'scheduled' && nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}),
    createdAt: createdAt.toISOString(),
  };
}

const webhookNotFound = (id: string) =>
  new AppError('webhook-not-found', `No webhook has the id ${id}.`, { status: 404 });

export function createWebhookService(deps: {
  repository: WebhookRepository;
  webhooks: VersionedCache<WebhookDocument[]>;
  dispatcher: WebhookDispatcher;
  allowedHosts: readonly string[];
  audit: AuditTrail;
}) {
  const { repository } = deps;
  const audited = deps.audit.forResource('webhooks');

  async function checkUrl(url: string): Promise<void> {
    try {
      await resolveDestination(url, deps.allowedHosts);
    } catch (error) {
      if (!(error instanceof RefusedDestinationError)) throw error;
      throw validationError([{ path: 'url', message: error.message }], `CIM will not call ${url}: ${error.message}.`);
    }
  }

  async function findWebhook(id: string): Promise<WebhookDocument> {
    const webhook = await repository.findWebhook(id);
    if (!webhook) throw webhookNotFound(id);
    return webhook;
  }

  async function replace(webhook: WebhookDocument, context: RequestContext, changed: string[]) {
    await audited(context, 'update', String(webhook._id), changed, async () => {
      if (!(await repository.replaceWebhook(webhook))) throw webhookNotFound(String(webhook._id));
    });
    await deps.webhooks.invalidate();
  }

  return {
    async createWebhook(input: WebhookInput, context: RequestContext) {
      await checkUrl(input.url);
      const now = new Date();
      const webhook: WebhookDocument = {
        _id: new Types.ObjectId(),
        ...input,
        active: true,
        secret: newSecret(),
        createdAt: now,
        updatedAt: now,
      };
      await audited(context, 'create', String(webhook._id), Object.keys(input), () =>
        repository.insertWebhook(webhook),
      );
      await deps.webhooks.invalidate();
      return { ...toWebhook(webhook), secret: webhook.secret };
    },

    listWebhooks: async () => (await repository.listWebhooks()).map(toWebhook),
    getWebhook: async (id: string) => toWebhook(await findWebhook(id)),

    async updateWebhook(id: string, update: WebhookUpdate, context: RequestContext) {
      if (update.url) await checkUrl(update.url);
      const { description, ...rest } = update;
      const existing = await findWebhook(id);
      const webhook = { ...existing, ...rest, updatedAt: new Date() };
      if (description === null) delete webhook.description;
      else if (description !== undefined) webhook.description = description;
      await replace(webhook, context, Object.keys(update));
      return toWebhook(webhook);
    },

    async deleteWebhook(id: string, context: RequestContext) {
      const deleted = await audited(context, 'delete', id, [], () => repository.deleteWebhook(id));
      if (!deleted) throw webhookNotFound(id);
      await deps.webhooks.invalidate();
      return toWebhook(deleted);
    },

    /** A new secret; the old one signs beside it for 24 hours. */
    async rotateSecret(id: string, context: RequestContext) {
      const existing = await findWebhook(id);
      const webhook = {
        ...existing,
        secret: newSecret(),
        previousSecret: existing.secret,
        previousSecretUntil: new Date(Date.now() + previousSecretValidMs),
        updatedAt: new Date(),
      };
      await replace(webhook, context, ['secret']);
      return { ...toWebhook(webhook), secret: webhook.secret };
    },

    /** A test event to this webhook alone, delivered as any other: the answer is its delivery, pending. */
    async ping(id: string) {
      const webhook = await findWebhook(id);
      const [delivery] = await storeEvent(deps, { type: pingEvent, data: { webhookId: id } }, [webhook]);
      return toDelivery(delivery);
    },

    async listDeliveries(id: string, page: DeliveryPage) {
      await findWebhook(id);
      const states = page.status ? [page.status === 'pending' ? ('scheduled' as const) : page.status] : undefined;
      return (await repository.deliveriesOf(id, { ...page, states })).map(toDelivery);
    },

    /** Schedules the delivery now, whatever its state (a delivered one is sent again). */
    async retryDelivery(id: string, deliveryId: string) {
      const delivery = await repository.findDelivery(deliveryId);
      if (!delivery || delivery.webhookId !== id) {
        throw new AppError('delivery-not-found', `Webhook ${id} has no delivery ${deliveryId}.`, { status: 404 });
      }
      const at = new Date();
      await repository.reschedule(deliveryId, at);
      deps.dispatcher.enqueue([delivery]);
      return toDelivery({ ...delivery, state: 'scheduled', nextAttemptAt: at });
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
