import { z } from 'zod';
import { storedAsText, type AttributeTypeSpec, type TypeRule } from './attribute-type-spec';

export const enumType: AttributeTypeSpec = {
  valueSchema: ({ options = [] }) =>
    z
      .preprocess(
        (value) => (typeof value === 'string' ? (optionOf(options, value) ?? value) : value),
        z.enum(options, { error: optionsMessage(options) }),
      )
      .describe('One of the options, in any case'),
  matchKind: 'exact',
  inputFromStored: storedAsText,
  exampleValue: ({ options }: TypeRule) => options?.[0] ?? '',
};

/** The option as it is spelled, for a value matching it exactly or, failing that, in another case (`retail`). */
function optionOf(options: readonly string[], value: string): string | undefined {
  const folded = value.trim().toLowerCase();
  return options.find((option) => option === value) ?? options.find((option) => option.toLowerCase() === folded);
}

function optionsMessage(options: readonly string[]): string {
  return `must be one of ${options.map((option) => JSON.stringify(option)).join(', ')}`;
}
