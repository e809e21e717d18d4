import { z } from 'zod';
import type { IdempotencyStore } from '../http/idempotency';
import { limitQuery, pageSizeSchema } from '../http/paging';
import { route } from '../http/route';
import { contactIdSchema, contactListSchema } from './contact-response';
import type { ContactsService } from './contact.service';
import { duplicateListSchema } from './duplicate-response';
import { maxCandidatesPerProbe, type DuplicatesService } from './duplicates.service';

const contactBody = z.record(z.string(), z.unknown());
const contact = { component: 'Contact' };
const contactParams = z.object({ contact_id: contactIdSchema.describe('The contact id') });

export function contactRoutes(service: ContactsService, idempotency: IdempotencyStore, duplicates: DuplicatesService) {
  return [
    route({
      method: 'post',
      path: '/saveContact',
      permission: 'contacts:write',
      tag: 'Contacts',
      summary: 'Create a new contact',
      description:
        'Values are normalised by type: phones to E.164, emails lower-cased, dates to ISO 8601. Send an ' +
        'Idempotency-Key header to make retries safe: a retry with the same key and body returns the first result ' +
        '(Idempotent-Replayed: true) without creating a second contact; the same key with another body is 422, and ' +
        'a retry while the first is still running is 409. Keys are kept 24 hours.',
      body: contactBody,
      bodyDoc: { component: 'ContactInput' },
      response: contact,
      errors: [409, 422],
      links: {
        GetContact: { operationId: 'getContactsContactId', parameters: { contact_id: '$response.body#/_id' } },
        UpdateContact: { operationId: 'putContactsContactId', parameters: { contact_id: '$response.body#/_id' } },
        DeleteContact: { operationId: 'deleteContactsContactId', parameters: { contact_id: '$response.body#/_id' } },
        ContactHistory: { operationId: 'loadInteractions', parameters: { id: '$response.body#/_id' } },
      },
      handle: ({ body, context, req, res }) =>
        idempotency.run(req, res, body, (reservedId) => service.createContact(body, context, reservedId)),
    }),
    route({
      method: 'get',
      path: '/getContactList',
      permission: 'contacts:read',
      tag: 'Contacts',
      summary: 'The first page of contacts, newest first',
      description:
        '25 contacts unless `limit` says otherwise; for the next page, pass the `_id` of the last one to /contacts/loadMore/{last_id}.',
      query: limitQuery,
      response: contactListSchema,
      handle: ({ query }) => service.listContacts(query.limit),
    }),
    route({
      method: 'get',
      path: '/contacts/loadMore/{last_id}',
      permission: 'contacts:read',
      tag: 'Contacts',
      summary: 'The page of contacts after last_id, same order as /getContactList',
      description: 'The contacts created before last_id, newest first: the page after the one that ended with last_id.',
      params: z.object({ last_id: contactIdSchema.describe('Id of the last contact of the previous page') }),
      query: limitQuery,
      response: contactListSchema,
      handle: ({ params, query }) => service.listContacts(query.limit, params.last_id),
    }),
    route({
      method: 'get',
      path: '/contacts/export',
      permission: 'contacts:export',
      tag: 'Contacts',
      summary: 'Every contact, as CSV or NDJSON, streamed',
      description:
        'Columns: _id, the attribute keys in definition order, createdAt, updatedAt. Text a spreadsheet would run ' +
        'as a formula is prefixed with an apostrophe; numbers and E.164 phones are kept as they are. With ' +
        'updatedSince, only the contacts changed at or after it (incremental sync). Admins only.',
      query: z.strictObject({
        format: z.enum(['csv', 'ndjson']).default('csv').describe('csv (with a header row) or ndjson'),
        updatedSince: z.iso
          .datetime({ offset: true })
          .optional()
          .describe('Only contacts changed at or after this instant'),
      }),
      response: z.string().describe('The contacts, one per line'),
      responseMediaType: ['text/csv', 'application/x-ndjson'],
      handle: ({ query, res }) =>
        service.exportContacts(query.format, query.updatedSince ? new Date(query.updatedSince) : undefined, res),
    }),
    route({
      method: 'get',
      path: '/contacts/{contact_id}',
      permission: 'contacts:read',
      tag: 'Contacts',
      summary: 'Get the contact with the given id',
      description:
        "The contact's attributes, its `_id` and its timestamps, as PUT takes them back; `mergedFrom` once it " +
        'absorbed others. A contact merged into another answers 301 with the survivor in Location.',
      params: contactParams,
      response: contact,
      errors: [301, 404],
      handle: ({ params }) => service.getContact(params.contact_id),
    }),
    route({
      method: 'get',
      path: '/contacts/{contact_id}/duplicates',
      permission: 'contacts:read',
      tag: 'Contacts',
      summary: 'Contacts that may be duplicates of the given one, best first',
      description:
        'Candidates share a phone number, an email, a unique value or the full name (case- and ' +
        'accent-insensitively), or have a similar name (typos, transliteration: `Jon Smyth` ~ `John Smith`). Each ' +
        'carries a score from 0 to 1 and its reasons; `key` is what they share (number, `key:value`, folded name). ' +
        `Found by indexed lookups only, at most ${maxCandidatesPerProbe} contacts read per lookup. 10 unless \`limit\` says otherwise.`,
      params: contactParams,
      query: z.strictObject({ limit: pageSizeSchema(25, 10) }),
      response: duplicateListSchema,
      errors: [404],
      handle: ({ params, query }) => duplicates.findDuplicates(params.contact_id, query.limit),
    }),
    route({
      method: 'put',
      path: '/contacts/{contact_id}',
      permission: 'contacts:write',
      tag: 'Contacts',
      summary: 'Update the contact with the given id (merge)',
      description:
        "Attributes sent are set (null or blank removes one), others are kept. The contact GET returned may be sent back whole: `_id` must be the path's, and an `updatedAt` older than the stored one is 409 (someone changed the contact since it was read).",
      params: contactParams,
      body: contactBody,
      bodyDoc: { component: 'ContactPatch' },
      response: contact,
      errors: [404, 409],
      handle: ({ params, body, context }) => service.updateContact(params.contact_id, body, context),
    }),
    route({
      method: 'delete',
      path: '/contacts/{contact_id}',
      permission: 'contacts:delete',
      tag: 'Contacts',
      summary: 'Delete the contact with the given id',
      description:
        'Returns the deleted contact. Its call history is kept unless erase=true, which also deletes every ' +
        'interaction tree of its phone numbers (right to erasure) and reports how many in _erasedInteractions.',
      params: contactParams,
      query: z.strictObject({
        erase: z.enum(['true', 'false']).default('false').describe('Also delete the contact’s call history'),
      }),
      response: { component: 'DeletedContact' },
      errors: [404, 409],
      handle: ({ params, query, context }) => service.deleteContact(params.contact_id, query.erase === 'true', context),
    }),
  ];
}
