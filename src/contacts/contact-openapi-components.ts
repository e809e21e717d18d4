import { exampleValue, valueJsonSchema } from '../attributes/attribute-types';
import type { Definitions } from '../attributes/definitions';
import type { JsonSchema } from '../http/openapi';
import { z } from 'zod';
import { contactReadOnlyMembers, mergedFromMember, mergedFromSchema } from './contact-response';
import { duplicateHintsSchema } from './duplicate-response';

/** The contact shapes of the live API document, built from the current attribute definitions. */
export function contactOpenApiComponents(definitions: Definitions): Record<string, JsonSchema> {
  const attributes = attributeJsonSchemas(definitions, 'output');
  const example = Object.fromEntries(
    definitions.list
      .filter((definition) => definition.system || definition.required)
      .map((definition) => [definition.key, exampleValue(definition)]),
  );
  const required = definitions.list.filter((definition) => definition.required).map((definition) => definition.key);
  const contactProperties = {
    _id: { type: 'string', pattern: '^[0-9a-f]{24}$' },
    ...attributes,
    [mergedFromMember]: { ...jsonSchemaOf(mergedFromSchema), readOnly: true },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  };
  const contactRequired = ['_id', ...required, 'createdAt', 'updatedAt'];
  const nullable = Object.fromEntries(
    Object.entries(attributeJsonSchemas(definitions, 'input')).map(([key, schema]) => [
      key,
      { anyOf: [schema, { type: 'null' }] },
    ]),
  );
  return {
    AttributeKey: {
      type: 'string',
      enum: definitions.list.map((definition) => definition.key),
      description: 'The key of a contact attribute defined by the schema API',
    },
    Contact: {
      type: 'object',
      description: 'A contact: the attributes defined by the schema API, with its id and timestamps',
      properties: contactProperties,
      required: contactRequired,
      additionalProperties: false,
    },
    PoppedContact: {
      type: 'object',
      description: 'A contact found by screen pop, with the other contacts of the answer it may duplicate',
      properties: { ...contactProperties, duplicateOf: jsonSchemaOf(duplicateHintsSchema) },
      required: contactRequired,
      additionalProperties: false,
    },
    DeletedContact: {
      type: 'object',
      description: 'The deleted contact; with erase=true, also how many of its calls were erased',
      properties: {
        ...contactProperties,
        _erasedInteractions: { type: 'integer', minimum: 0, description: 'Interaction trees erased' },
      },
      required: contactRequired,
      additionalProperties: false,
    },
    ContactInput: {
      type: 'object',
      description: 'Attribute key → value. Unknown keys are refused; null or blank means no value.',
      properties: nullable,
      ...(required.length ? { required } : {}),
      additionalProperties: false,
      minProperties: 1,
      examples: [example],
    },
    ContactPatch: {
      type: 'object',
      description:
        'Attributes to set; an attribute sent as null is removed; others are kept. The contact GET returned may be ' +
        'sent back whole: _id must be the id of the path, createdAt as stored, and an updatedAt older than the ' +
        'stored one is 409 (someone changed the contact since it was read); leave updatedAt out to merge regardless.',
      properties: {
        ...nullable,
        ...Object.fromEntries(
          contactReadOnlyMembers.map((name) => [name, { ...contactProperties[name], readOnly: true }]),
        ),
        [mergedFromMember]: { ...contactProperties[mergedFromMember], description: 'As GET returned it; ignored' },
      },
      additionalProperties: false,
      examples: [example],
    },
  };
}

function attributeJsonSchemas(definitions: Definitions, io: 'input' | 'output'): Record<string, JsonSchema> {
  return Object.fromEntries(definitions.list.map((definition) => [definition.key, valueJsonSchema(definition, io)]));
}

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12' });
  return json;
}
