import { z } from 'zod';
import { objectIdSchema } from '../http/object-id';
import type { ContactDocument } from './contact.model';
import type { AttributeValue } from '../attributes/attribute-types';
import type { ContactAttributes } from './search-fields';

export type ContactResponse = Record<string, unknown> & { _id: string };

/** What a contact's JSON holds beside its attributes; a PUT may send them back as GET returned them. */
export const contactReadOnlyMembers = ['_id', 'createdAt', 'updatedAt'] as const;

const internalKeys = new Set(['createdAt', 'updatedAt', '__v']);

/** Answered on a contact that absorbed others; read-only: a PUT that sends it back has it ignored. */
export const mergedFromMember = 'mergedFrom';

export const mergedFromSchema = z
  .array(
    z.object({
      id: z.string().describe('A contact merged into this one'),
      phones: z.array(z.string()).describe('Every phone number it had (E.164): screen pop and history find them'),
    }),
  )
  .describe('The contacts merged into this one (POST /contacts/merge); read-only');

/** The one place that decides a contact's JSON: attributes plus _id and timestamps, no internal field. */
export function toContactResponse(document: ContactDocument): ContactResponse {
  const attributes = Object.entries(attributesOf(document)).map(([key, value]): [string, unknown] => [
    key,
    value instanceof Date ? value.toISOString() : value,
  ]);
  return {
    _id: String(document._id),
    ...Object.fromEntries(attributes),
    ...(document._mergedFrom?.length ? { [mergedFromMember]: document._mergedFrom } : {}),
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
  };
}

export const contactIdSchema = objectIdSchema('a contact id');

/** A contact in a zod-described answer: the document refers to its Contact schema, built from the definitions. */
const contactJsonSchema = z.record(z.string(), z.unknown()).meta({ id: 'Contact' });
export const contactListSchema = z.array(contactJsonSchema);

export function attributesOf(document: ContactDocument): ContactAttributes {
  const attributes: ContactAttributes = {};
  for (const [key, value] of Object.entries(document)) {
    if (!key.startsWith('_') && !internalKeys.has(key)) attributes[key] = value as AttributeValue;
  }
  return attributes;
}
