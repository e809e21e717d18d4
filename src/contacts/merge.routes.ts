import { z } from 'zod';
import { pageSizeSchema } from '../http/paging';
import { route } from '../http/route';
import { contactIdSchema, contactListSchema } from './contact-response';
import { groupKinds, parseGroupCursor } from './duplicate-groups';
import { duplicateReasonSchema } from './duplicate-response';
import type { DuplicatesService } from './duplicates.service';
import type { MergeService } from './merge.service';

const maxMerged = 24;

const mergeBody = z
  .strictObject({
    survivorId: contactIdSchema.describe('The contact that stays'),
    mergedIds: z
      .array(contactIdSchema)
      .min(1)
      .max(maxMerged)
      .meta({ uniqueItems: true })
      .describe('The contacts merged into the survivor, in the order their values fill what it lacks'),
    fieldSources: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be an attribute key'), contactIdSchema)
      .default({})
      .describe('Attribute key → the contact (survivor or merged) whose value the survivor keeps where they differ'),
    dryRun: z.boolean().default(false).describe('Answer what the merge would make, and change nothing'),
  })
  .meta({
    examples: [
      {
        survivorId: '665f1c2e8b3e4a0012345678',
        mergedIds: ['665f1c2e8b3e4a0012345679'],
        fieldSources: { phone1: '665f1c2e8b3e4a0012345679' },
        dryRun: true,
      },
    ],
  });

const mergeAnswer = z.object({
  contact: contactListSchema.element,
  mergedIds: z.array(z.string()),
  conflicts: z
    .array(
      z.object({
        key: z.string(),
        values: z.array(z.object({ contactId: z.string(), value: z.unknown() })),
        chosenFrom: z.string().describe('The contact whose value the survivor keeps'),
      }),
    )
    .describe('The attributes whose values differed among the contacts'),
  dryRun: z.boolean(),
});

const groupList = z.array(
  z.object({
    reason: duplicateReasonSchema,
    contactIds: z.array(z.string()).describe('The contacts of the group by id (the first 200 of a larger one)'),
    size: z.number().int().describe('How many contacts share it'),
    cursor: z.string().describe('`after` for the page that follows this group'),
  }),
);

export function mergeRoutes(merges: MergeService, duplicates: DuplicatesService) {
  return [
    route({
      method: 'post',
      path: '/contacts/merge',
      permission: 'contacts:merge',
      tag: 'Contacts',
      summary: 'Merge duplicates into one contact',
      description:
        'The survivor keeps its values; those it lacks are filled from the merged contacts in order, and ' +
        '`fieldSources` picks another contact’s value where they differ. The merged contacts are gone from lists, ' +
        'searches and screen pop; their numbers stay in the survivor’s `mergedFrom`, so screen pop by any of them ' +
        'and the survivor’s call history still find them. GET of a merged id answers 301 to the survivor; PUT and ' +
        'DELETE of it 409. Writes to the contacts wait for the merge; another merge touching one of them is 409.',
      body: mergeBody,
      response: mergeAnswer,
      errors: [404, 409],
      handle: ({ body, context }) => merges.mergeContacts(body, context),
    }),
    route({
      method: 'get',
      path: '/contacts/duplicates',
      permission: 'contacts:read',
      tag: 'Contacts',
      summary: 'Every group of contacts that share a phone, an email, a unique value or a full name',
      description:
        'Groups by kind (phone, email, unique, full-name), then by key; pass the last group’s `cursor` as `after` ' +
        'for the next page (stable: groups added meanwhile before it are not revisited). 100 groups unless `limit` ' +
        'says otherwise.',
      query: z.strictObject({
        limit: pageSizeSchema(1000, 100),
        after: z
          .string()
          .max(2_100)
          .regex(new RegExp(`^(${groupKinds.join('|')}):`), 'must be the cursor of a group')
          .optional()
          .describe('The `cursor` of the last group of the previous page'),
      }),
      response: groupList,
      handle: ({ query }) =>
        duplicates.findDuplicateGroups(query.after ? parseGroupCursor(query.after) : undefined, query.limit),
    }),
  ];
}
