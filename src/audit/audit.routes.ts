import { objectIdSchema } from '../http/object-id';
import { z } from 'zod';
import { limitSchema } from '../http/paging';
import { route } from '../http/route';
import { auditActions, auditedResources } from './audit.model';
import type { AuditTrail } from './audit-trail';

const auditEntrySchema = z.object({
  _id: z.string(),
  at: z.iso.datetime(),
  keyId: z.string().describe('Non-secret id of the API key (auth-disabled when auth is off)'),
  role: z.string(),
  requestId: z.string(),
  action: z.enum(auditActions),
  resource: z.enum(auditedResources),
  entityId: z.string(),
  contactId: z.string().optional(),
  changed: z.array(z.string()).describe('Attribute keys or fields changed, never their values'),
  count: z.number().optional().describe('Records removed by an erasure'),
  mergedIds: z.array(z.string()).optional().describe('For a merge: the contacts merged into entityId'),
  keysTaken: z
    .array(z.object({ contactId: z.string(), keys: z.array(z.string()) }))
    .optional()
    .describe('For a merge: the attribute keys the survivor took from each merged contact'),
});

export function auditRoutes(trail: AuditTrail) {
  return [
    route({
      method: 'get',
      path: '/audit',
      permission: 'audit:read',
      tag: 'Operations',
      summary: 'The audit trail of changes, newest first',
      description:
        'Who changed which contact, attribute or mapping, when, and which keys (never the values). Admins only. Page with `before`; filter with `contactId`.',
      query: z.strictObject({
        limit: limitSchema,
        before: objectIdSchema('an audit entry id').optional().describe('Id of the last entry of the previous page'),
        contactId: objectIdSchema('a contact id').optional().describe('Only entries about this contact'),
      }),
      response: z.array(auditEntrySchema),
      handle: ({ query }) => trail.list(query),
    }),
  ];
}
