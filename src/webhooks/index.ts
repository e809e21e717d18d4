import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import type { KeyedLock } from '../db/keyed-lock';
import { createVersionedCache } from '../db/versioned-cache';
import type { Logger } from '../logger';
import { createWebhookDispatcher } from './webhook-dispatcher';
import { createEventPublisher } from './webhook-events';
import { createWebhookRepository, type WebhookDocument } from './webhook.repository';
import { webhookRoutes } from './webhook.routes';
import { createWebhookService } from './webhook.service';

export async function createWebhooksFeature(deps: {
  connection: Connection;
  lock: KeyedLock;
  audit: AuditTrail;
  logger: Logger;
  allowedHosts: readonly string[];
  refreshMs: number;
}) {
  const repository = await createWebhookRepository(deps.connection);
  const webhooks = createVersionedCache<WebhookDocument[]>({
    connection: deps.connection,
    name: 'webhooks',
    refreshMs: deps.refreshMs,
    load: () => repository.listWebhooks(),
  });
  const dispatcher = createWebhookDispatcher({ ...deps, repository, webhooks });
  const service = createWebhookService({ ...deps, repository, webhooks, dispatcher });
  return {
    routes: webhookRoutes(service),
    publish: createEventPublisher({ repository, webhooks, dispatcher }),
    async close(): Promise<void> {
      await dispatcher.stop();
      webhooks.close();
    },
  };
}
