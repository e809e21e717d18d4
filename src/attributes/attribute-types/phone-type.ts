import { z } from 'zod';
import { toE164 } from '../../values/phone-number';
import { invalid, storedAsText, type AttributeTypeSpec } from './attribute-type-spec';

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/);

export const phoneType: AttributeTypeSpec = {
  valueSchema: (_rule, phoneRegion) =>
    // A JSON number (4155550100) is a phone number written without punctuation.
    z
      .union([z.string().max(64), z.number().int().nonnegative().transform(String)])
      .transform((value, ctx) => toE164(value, phoneRegion) ?? invalid(ctx, 'is not a phone number'))
      .pipe(e164)
      .describe('Phone number, in any format or as a JSON number; stored as E.164'),
  matchKind: 'phone',
  inputFromStored: storedAsText,
  exampleValue: () => '+14155550123',
};
