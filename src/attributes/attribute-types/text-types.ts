import { z } from 'zod';
import { storedAsText, trimmed, type AttributeTypeSpec } from './attribute-type-spec';

export const stringType: AttributeTypeSpec = {
  valueSchema: () => z.string().trim().max(1_000),
  matchKind: 'prefix',
  inputFromStored: storedAsText,
  exampleValue: () => 'Example',
};

export const textType: AttributeTypeSpec = {
  valueSchema: () => z.string().max(10_000),
  matchKind: 'prefix',
  inputFromStored: storedAsText,
  exampleValue: () => 'Called about the May invoice.',
};

export const emailType: AttributeTypeSpec = {
  valueSchema: () => trimmed(z.email().max(254).toLowerCase()),
  matchKind: 'prefix',
  inputFromStored: storedAsText,
  exampleValue: () => 'ann@example.com',
};

export const urlType: AttributeTypeSpec = {
  valueSchema: () =>
    trimmed(
      z
        .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
        .max(2_000, 'must be at most 2,000 characters'),
    ),
  matchKind: 'prefix',
  inputFromStored: storedAsText,
  exampleValue: () => 'https://example.com/ann',
};
