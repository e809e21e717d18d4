import { z } from 'zod';
import { specOf, type AttributeRule } from './attribute-type-specs';

// The phone region changes which numbers parse, never the shape of the value.
const anyRegion = 'US';

/**
 * The JSON Schema of one attribute's value for the live API document, from the type's own zod schema: `input`
 * for what a client may send, `output` for what a contact holds.
 */
export function valueJsonSchema(rule: AttributeRule & { label: string }, io: 'input' | 'output') {
  const { $schema: _ignored, ...shape } = z.toJSONSchema(specOf(rule.type).valueSchema(rule, anyRegion), {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      // A stored date leaves the API as JSON writes a Date: its ISO date-time.
      if (zodSchema._zod.def.type === 'date') Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
    },
  });
  return { title: rule.label, 'x-cim-type': rule.type, ...shape };
}
