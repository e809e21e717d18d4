import { objectIdSchema } from '../http/object-id';
import { readOnlyMembers } from '../http/read-only';
import { z } from 'zod';

// On a key every database has (a system attribute), so that /docs' prefilled example works on a fresh one.
const exampleMapping = { callVariable: 'callVariable2', varNumber: '2', callVar: 'Callback number', key: 'phone1' };

export const mappingInputSchema = z
  .strictObject({
    callVariable: z.string().trim().min(1).max(100).meta({
      pattern: '\\S',
      description:
        'The CTI variable as the call delivers it: callVariable3, or an expanded one such as user.cim.accountNo',
    }),
    varNumber: z
      .union([z.string().regex(/^\d{1,10}$/, 'must be digits'), z.number().int().min(0).max(9_999_999_999)])
      .transform(String)
      .optional()
      .describe('The variable’s number, where it has one: digits, or a JSON number (stored as digits)'),
    callVar: z.string().trim().max(100).optional().describe('A display label'),
    // The document names the keys defined when it is served (src/contacts/contact-openapi-components.ts).
    key: z.string().min(1).max(64).meta({ id: 'AttributeKey' }),
  })
  .meta({ description: 'One condition of the screen-pop search criteria', examples: [exampleMapping] });

export const mappingUpdateSchema = mappingInputSchema.extend({ _id: readOnlyMembers._id }).meta({
  description: 'The condition that replaces the stored one; the object GET returned may be sent back whole',
  examples: [{ ...exampleMapping, callVar: 'Number to call back' }],
});

export const mappingSchema = z.object({
  _id: z.string(),
  callVariable: z.string(),
  varNumber: z.string().optional(),
  callVar: z.string().optional(),
  key: z.string(),
});

export const mappingIdParams = z.object({
  id: objectIdSchema('a mapping id').describe('The mapping id'),
});

export type MappingInput = z.output<typeof mappingInputSchema>;
export type MappingUpdate = z.output<typeof mappingUpdateSchema>;
export type Mapping = z.output<typeof mappingSchema>;
