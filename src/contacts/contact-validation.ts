import type { z } from 'zod';
import { AppError, validationError, type FieldError } from '../http/app-error';
import { valueSchema, type AttributeValue } from '../attributes/attribute-types';
import type { Definitions } from '../attributes/definitions';
import type { ContactAttributes } from './search-fields';

export interface ContactPatch {
  set: ContactAttributes;
  unset: string[];
}

// Validators are compiled once per definitions snapshot, so a definition change rebuilds them.
const compiled = new WeakMap<Definitions, Map<string, z.ZodType<AttributeValue>>>();

function validatorsFor(definitions: Definitions, phoneRegion: string): Map<string, z.ZodType<AttributeValue>> {
  let validators = compiled.get(definitions);
  if (!validators) {
    validators = new Map(definitions.list.map((definition) => [definition.key, valueSchema(definition, phoneRegion)]));
    compiled.set(definitions, validators);
  }
  return validators;
}

/** Validates and normalises the attributes a client sent; null or blank means "no value". */
export function parseContactPatch(
  body: Record<string, unknown>,
  definitions: Definitions,
  phoneRegion: string,
): ContactPatch {
  rejectUnknownKeys(body, definitions);
  const validators = validatorsFor(definitions, phoneRegion);
  const patch: ContactPatch = { set: {}, unset: [] };
  const errors: FieldError[] = [];
  for (const [key, raw] of Object.entries(body)) {
    if (raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      patch.unset.push(key);
      continue;
    }
    const parsed = validators.get(key)!.safeParse(raw);
    if (parsed.success) patch.set[key] = parsed.data;
    else errors.push(...parsed.error.issues.map((issue) => ({ path: key, message: issue.message })));
  }
  if (errors.length) throw validationError(errors, 'Some attribute values are not valid.');
  return patch;
}

/** Rules on the contact as a whole: not empty, every required attribute present. */
export function checkCompleteContact(attributes: ContactAttributes, definitions: Definitions): void {
  if (Object.keys(attributes).length === 0) {
    throw new AppError('empty-contact', 'A contact needs at least one attribute with a value.', { status: 400 });
  }
  const missing = definitions.list.filter(
    (definition) => definition.required && !Object.hasOwn(attributes, definition.key),
  );
  if (missing.length) {
    throw validationError(
      missing.map((definition) => ({ path: definition.key, message: 'is required' })),
      `Required attributes are missing: ${missing.map((definition) => definition.key).join(', ')}.`,
    );
  }
}

function rejectUnknownKeys(body: Record<string, unknown>, definitions: Definitions): void {
  const unknown = Object.keys(body).filter((key) => !definitions.byKey.has(key));
  if (unknown.length) {
    throw validationError(
      unknown.map((key) => ({ path: key, message: 'is not a defined attribute' })),
      `Unknown attributes: ${unknown.join(', ')}. Define them with POST /saveSchema first.`,
    );
  }
}
