import { z } from 'zod';
import { objectIdSchema } from '../http/object-id';

/** Every event CIM publishes; a subscription lists some of them, or `*` for all. */
export const eventTypes = [
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'contact.merged',
  'interaction.leg.saved',
  'schema.changed',
  'mapping.changed',
  'import.finished',
] as const;
export type EventType = (typeof eventTypes)[number];
/** The test event of POST /webhooks/{id}/ping: sent whatever the subscription lists. */
export const pingEvent = 'webhook.ping';

const urlSchema = z
  .string()
  .max(2_000)
  .refine((text) => URL.canParse(text), 'must be an absolute URL')
  .describe('Where events are POSTed: https (http only for hosts in CIM_WEBHOOK_ALLOWED_HOSTS)');

const eventsSchema = z
  .array(z.enum([...eventTypes, '*']))
  .min(1)
  .max(eventTypes.length + 1)
  .meta({ uniqueItems: true })
  .refine((events) => new Set(events).size === events.length, 'names an event twice')
  .describe('The events to send, or ["*"] for every event');

const descriptionSchema = z.string().max(500).describe('What the receiver is, for the admins');

export const webhookInputSchema = z.strictObject({
  url: urlSchema,
  events: eventsSchema,
  description: descriptionSchema.optional(),
});
export type WebhookInput = z.output<typeof webhookInputSchema>;

export const webhookUpdateSchema = z
  .strictObject({
    url: urlSchema.optional(),
    events: eventsSchema.optional(),
    active: z.boolean().optional().describe('false stops deliveries; a 410 Gone answer sets it'),
    description: descriptionSchema.nullable().optional(),
  })
  .refine((update) => Object.keys(update).length > 0, 'must change something');
export type WebhookUpdate = z.output<typeof webhookUpdateSchema>;

export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    active: z.boolean(),
    description: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Webhook' });

export const webhookWithSecretSchema = webhookSchema
  .extend({
    secret: z.string().describe('whsec_…: verifies the signatures; shown only in this answer'),
  })
  .meta({ id: 'WebhookWithSecret' });

export const webhookIdParams = z.object({ id: objectIdSchema('a webhook id').describe('The webhook id') });

export const deliveryStates = ['pending', 'delivered', 'failed'] as const;

export const deliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    type: z.string(),
    status: z.enum(deliveryStates),
    attempts: z.array(
      z.object({
        at: z.string(),
        statusCode: z.number().int().optional().describe('The receiver’s answer; absent when none came'),
        durationMs: z.number(),
        error: z.string().optional().describe('Why no 2xx came: timeout, refused address, connection error'),
      }),
    ),
    nextAttemptAt: z.string().optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });
