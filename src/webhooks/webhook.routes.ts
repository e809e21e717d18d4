import { z } from 'zod';
import { pageSizeSchema } from '../http/paging';
import { route } from '../http/route';
import type { WebhookService } from './webhook.service';
import {
  deliverySchema,
  deliveryStates,
  eventTypes,
  webhookIdParams,
  webhookInputSchema,
  webhookSchema,
  webhookUpdateSchema,
  webhookWithSecretSchema,
} from './webhook.schemas';

const tag = 'Webhooks';
const permission = 'webhooks:manage' as const;
const deliveryParams = webhookIdParams.extend({
  deliveryId: z
    .string()
    .regex(/^[0-9a-f]{24}-[0-9a-f]{24}$/, 'must be a delivery id')
    .describe('The delivery id'),
});

export function webhookRoutes(service: WebhookService) {
  return [
    route({
      method: 'post',
      path: '/webhooks',
      permission,
      tag,
      summary: 'Subscribe a receiver to events',
      description:
        `Events: ${eventTypes.join(', ')}, or \`*\` for all. Each is POSTed as \`{ type, timestamp, data }\`, signed as ` +
        'Standard Webhooks specify (webhook-id, webhook-timestamp, webhook-signature). The answer holds the ' +
        'secret that verifies them, shown only here and by rotate-secret. The URL must be https and resolve to a ' +
        'public address (hosts in CIM_WEBHOOK_ALLOWED_HOSTS excepted).',
      body: webhookInputSchema.meta({
        examples: [{ url: 'https://crm.example.com/cim-events', events: ['contact.created', 'contact.updated'] }],
      }),
      response: webhookWithSecretSchema,
      handle: ({ body, context }) => service.createWebhook(body, context),
    }),
    route({
      method: 'get',
      path: '/webhooks',
      permission,
      tag,
      summary: 'Every webhook (secrets are never shown)',
      description: 'Oldest first, each with its url, events, whether it is active and its description.',
      response: z.array(webhookSchema),
      handle: () => service.listWebhooks(),
    }),
    route({
      method: 'get',
      path: '/webhooks/{id}',
      permission,
      tag,
      summary: 'One webhook',
      description: 'As GET /webhooks lists it; the secret is never shown after creation.',
      params: webhookIdParams,
      response: webhookSchema,
      errors: [404],
      handle: ({ params }) => service.getWebhook(params.id),
    }),
    route({
      method: 'put',
      path: '/webhooks/{id}',
      permission,
      tag,
      summary: 'Change a webhook: url, events, active, description',
      description: 'Members sent are set, others kept; `description: null` removes it. A new URL is checked again.',
      params: webhookIdParams,
      body: webhookUpdateSchema.meta({ examples: [{ active: false }] }),
      response: webhookSchema,
      errors: [404],
      handle: ({ params, body, context }) => service.updateWebhook(params.id, body, context),
    }),
    route({
      method: 'delete',
      path: '/webhooks/{id}',
      permission,
      tag,
      summary: 'Remove a webhook; its pending deliveries are given up',
      description:
        'Returns the removed webhook. Its deliveries stay listed; those still pending fail at their next attempt.',
      params: webhookIdParams,
      response: webhookSchema,
      errors: [404],
      handle: ({ params, context }) => service.deleteWebhook(params.id, context),
    }),
    route({
      method: 'post',
      path: '/webhooks/{id}/rotate-secret',
      permission,
      tag,
      summary: 'A new signing secret; the old one stays valid for 24 hours',
      description: 'Until then each delivery carries a signature by each secret, so receivers switch at their pace.',
      params: webhookIdParams,
      response: webhookWithSecretSchema,
      errors: [404],
      handle: ({ params, context }) => service.rotateSecret(params.id, context),
    }),
    route({
      method: 'post',
      path: '/webhooks/{id}/ping',
      permission,
      tag,
      summary: 'Send a test event (webhook.ping) to this webhook',
      description: 'Delivered, signed and retried as any event; the answer is its delivery, to follow.',
      params: webhookIdParams,
      response: deliverySchema,
      successStatus: 202,
      errors: [404],
      handle: ({ params }) => service.ping(params.id),
    }),
    route({
      method: 'get',
      path: '/webhooks/{id}/deliveries',
      permission,
      tag,
      summary: 'The deliveries of a webhook, newest first',
      description: 'Each with its attempts (status codes, durations) and, while pending, its next attempt.',
      params: webhookIdParams,
      query: z.strictObject({
        status: z.enum(deliveryStates).optional().describe('Only deliveries in this state'),
        limit: pageSizeSchema(100, 25),
        before: deliveryParams.shape.deliveryId.optional().describe('The id of the last delivery of the previous page'),
      }),
      response: z.array(deliverySchema),
      errors: [404],
      handle: ({ params, query }) => service.listDeliveries(params.id, query),
    }),
    route({
      method: 'post',
      path: '/webhooks/{id}/deliveries/{deliveryId}/retry',
      permission,
      tag,
      summary: 'Attempt a delivery again now',
      description: 'Whatever its state: a failed delivery is tried anew, a delivered one sent again (same webhook-id).',
      params: deliveryParams,
      response: deliverySchema,
      successStatus: 202,
      errors: [404],
      handle: ({ params }) => service.retryDelivery(params.id, params.deliveryId),
    }),
  ];
}
