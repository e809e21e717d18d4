import { z } from 'zod';
import { contactListSchema } from './contact-response';
import { duplicateReasonKinds } from './duplicate-score';

export const duplicateReasonSchema = z.object({
  kind: z.enum(duplicateReasonKinds).describe('What the two contacts share'),
  key: z.string().describe('The shared value: E.164 number, `key:value` token or folded name'),
});

/** The answer of GET /contacts/{contact_id}/duplicates. */
export const duplicateListSchema = z.array(
  z.object({
    contact: contactListSchema.element,
    score: z.number().min(0).max(1).describe('How likely a duplicate, 0 to 1'),
    reasons: z.array(duplicateReasonSchema),
  }),
);

/** The `duplicateOf` of a screen-pop contact: one source for the zod answer and the PoppedContact component. */
export const duplicateHintsSchema = z
  .array(
    z.object({
      id: z
        .string()
        .regex(/^[0-9a-f]{24}$/)
        .describe('The other contact'),
      score: z.number().min(0).max(1).describe('How likely a duplicate, 0 to 1'),
      reasons: z.array(duplicateReasonSchema),
    }),
  )
  .describe(
    'Only when the screen pop returns several contacts: the other contacts of this answer that ' +
      'GET /contacts/{contact_id}/duplicates would pair with this one, best first, so a merge can be offered on the spot',
  );

/** A contact of the screen-pop answer; the document refers to its PoppedContact schema, built from the definitions. */
export const poppedContactSchema = z
  .looseObject({ duplicateOf: duplicateHintsSchema.optional() })
  .meta({ id: 'PoppedContact' });
