import { objectIdSchema } from '../http/object-id';
import { readOnlyMembers } from '../http/read-only';
import { z } from 'zod';
import { attributeTypes } from './attribute-types';

// A contact's own members, the search terms phone and name, and keys request bodies may not hold
// (constructor, prototype: src/http/json-body.ts), so that no contact could set them.
// mergedFrom and duplicateOf are members of contact answers (merge, screen pop).
const reservedKeys = [
  '_id',
  'id',
  'createdAt',
  'updatedAt',
  '__v',
  'phone',
  'name',
  'constructor',
  'prototype',
  'mergedFrom',
  'duplicateOf',
];
const reservedLowerCase = new Set(reservedKeys.map((key) => key.toLowerCase()));

const attributeKeySchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must start with a letter and hold only letters, digits and _, at most 64')
  .refine((key) => !reservedLowerCase.has(key.toLowerCase()), `is reserved (${reservedKeys.join(', ')})`);

const typeSchema = z.enum(attributeTypes, {
  error: (issue) => `${issue.input === undefined ? 'is required: ' : 'must be '}one of ${attributeTypes.join(', ')}`,
});

const optionsSchema = z
  .array(z.string().trim().min(1).max(200))
  .min(1)
  .max(200)
  .refine((options) => new Set(options).size === options.length, 'must be distinct')
  .meta({ uniqueItems: true });

const attributeFields = {
  key: attributeKeySchema,
  label: z.string().trim().min(1).max(100),
  type: typeSchema,
  required: z.boolean(),
  unique: z.boolean(),
  options: optionsSchema,
};

export const createAttributeSchema = z
  .strictObject({
    ...attributeFields,
    required: attributeFields.required.default(false),
    unique: attributeFields.unique.default(false),
    options: attributeFields.options.optional(),
  })
  .meta({
    description: 'A new attribute of the contact object',
    examples: [{ key: 'accountNo', label: 'Account number', type: 'string', required: false, unique: true }],
  });

export const updateAttributeSchema = z
  .strictObject({ ...attributeFields, options: attributeFields.options.nullable() })
  .partial()
  .extend(readOnlyMembers)
  .meta({
    description:
      'Fields to change; key and a system attribute type cannot change. The object GET returned may be sent back ' +
      'whole: its read-only members must be as stored.',
    examples: [{ label: 'Account no.' }],
  });

export const attributeDefinitionSchema = z.object({
  _id: z.string(),
  key: z.string(),
  label: z.string(),
  type: typeSchema,
  required: z.boolean(),
  unique: z.boolean(),
  options: z.array(z.string()).optional(),
  system: z.boolean().describe('Seeded attribute: can be relabelled and made required, not retyped or deleted'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const attributeIdParams = z.object({
  schema_id: objectIdSchema('an attribute id').describe('The attribute definition id'),
});

export type CreateAttributeInput = z.output<typeof createAttributeSchema>;
export type UpdateAttributeInput = z.output<typeof updateAttributeSchema>;
