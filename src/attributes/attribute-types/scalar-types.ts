import { z } from 'zod';
import { storedAsSent, trimmed, type AttributeTypeSpec } from './attribute-type-spec';

const numberPattern = /^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$/;

export const numberType: AttributeTypeSpec = {
  valueSchema: () =>
    z
      .union([z.number(), z.string().trim().regex(numberPattern).transform(Number)], { error: 'must be a number' })
      .pipe(z.number().finite()),
  matchKind: 'exact',
  inputFromStored: storedAsSent,
  exampleValue: () => 42,
};

export const booleanType: AttributeTypeSpec = {
  valueSchema: () =>
    z
      .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')], {
        error: 'must be true or false',
      })
      .pipe(z.boolean()),
  matchKind: 'exact',
  inputFromStored: storedAsSent,
  exampleValue: () => true,
};

const isoDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date (2024-05-01) or a date-time with its offset (2024-05-01T10:30:00Z)',
});

export const dateType: AttributeTypeSpec = {
  valueSchema: () =>
    trimmed(isoDate)
      .transform((value) => new Date(value))
      .pipe(z.date()),
  matchKind: 'exact',
  inputFromStored: storedAsSent,
  exampleValue: () => '1990-04-12',
};
