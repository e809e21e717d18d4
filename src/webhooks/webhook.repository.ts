import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { ignoreDuplicateKeys } from '../db/duplicate-key';

export interface WebhookDocument {
  _id: Types.ObjectId;
  url: string;
  events: string[];
  active: boolean;
  description?: string;
  secret: string;
  /** The secret before the last rotation, still signing until `previousSecretUntil`. */
  previousSecret?: string;
  previousSecretUntil?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface Attempt {
  at: Date;
  statusCode?: number;
  durationMs: number;
  error?: string;
}

/** One event for one webhook: `_id` is `<event id>-<webhook id>`, so publishing an event twice makes it once. */
export interface DeliveryDocument {
  _id: string;
  webhookId: string;
  eventId: string;
  type: string;
  /** The event's JSON body, `{ type, timestamp, data }`, exactly as signed and sent: stored with the delivery, so
   * that publishing is one write. */
  body: string;
  /** `scheduled` until delivered or given up: due once `nextAttemptAt` has passed. */
  state: 'scheduled' | 'delivered' | 'failed';
  nextAttemptAt?: Date;
  attempts: Attempt[];
  createdAt: Date;
}

const webhooksCollection = 'webhooks';
const deliveriesCollection = 'webhook_deliveries';
/** The attempts a delivery keeps (a receiver down for 3 days makes about a dozen). */
const attemptsKept = 20;

export async function createWebhookRepository(connection: Connection) {
  const webhooks = connection.collection<WebhookDocument>(webhooksCollection);
  const deliveries = connection.collection<DeliveryDocument>(deliveriesCollection);
  // One index a command: FerretDB v1 fails a createIndexes of several indexes that all exist already.
  await deliveries.createIndex({ state: 1 });
  await deliveries.createIndex({ webhookId: 1 });

  return {
    listWebhooks: () => webhooks.find({}, { sort: { _id: 1 } }).toArray(),
    findWebhook: (id: string) => webhooks.findOne({ _id: new Types.ObjectId(id) }),
    insertWebhook: async (document: WebhookDocument) => void (await webhooks.insertOne(document)),
    replaceWebhook: async (document: WebhookDocument) =>
      (await webhooks.replaceOne({ _id: document._id }, document)).matchedCount > 0,
    deleteWebhook: (id: string) => webhooks.findOneAndDelete({ _id: new Types.ObjectId(id) }),
    deactivateWebhook: async (id: string) =>
      void (await webhooks.updateOne(
        { _id: new Types.ObjectId(id) },
        { $set: { active: false, updatedAt: new Date() } },
      )),

    /** An event's deliveries, one write; written again (a repeated step), each is kept as first written. */
    async insertDeliveries(due: DeliveryDocument[]): Promise<void> {
      // An empty insertMany is an error on every engine ("Batch cannot be empty").
      if (due.length) await deliveries.insertMany(due, { ordered: false }).catch(ignoreDuplicateKeys);
    },

    findDelivery: (id: string) => deliveries.findOne({ _id: id }),
    /** Deliveries not yet delivered nor given up (an indexed equality; few unless receivers are down). */
    scheduledDeliveries: (limit: number) =>
      deliveries.find({ state: 'scheduled' }, { limit, projection: { attempts: 0, body: 0 } }).toArray(),

    async recordAttempt(
      delivery: DeliveryDocument,
      attempt: Attempt,
      next: Pick<DeliveryDocument, 'state' | 'nextAttemptAt'>,
    ): Promise<void> {
      const attempts = [...delivery.attempts, attempt].slice(-attemptsKept);
      await deliveries.updateOne(
        { _id: delivery._id },
        next.nextAttemptAt
          ? { $set: { attempts, state: next.state, nextAttemptAt: next.nextAttemptAt } }
          : { $set: { attempts, state: next.state }, $unset: { nextAttemptAt: '' } },
      );
    },
    reschedule: async (id: string, at: Date) =>
      (await deliveries.updateOne({ _id: id }, { $set: { state: 'scheduled', nextAttemptAt: at } })).matchedCount > 0,

    /** A webhook's deliveries, newest first, keyset-paged by id. */
    deliveriesOf(webhookId: string, page: { limit: number; before?: string; states?: DeliveryDocument['state'][] }) {
      const filter = {
        webhookId,
        ...(page.states ? { state: page.states.length === 1 ? page.states[0] : { $in: page.states } } : {}),
        ...(page.before ? { _id: { $lt: page.before } } : {}),
      };
      return deliveries.find(filter, { sort: { _id: -1 }, limit: page.limit, projection: { body: 0 } }).toArray();
    },
  };
}

export type WebhookRepository = Awaited<ReturnType<typeof createWebhookRepository>>;
