import { z } from 'zod';
import { contactListSchema } from './contact-response';
import { duplicateReasonKinds } from './duplicate-score';

const duplicateReasonSchema = z.object({
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
