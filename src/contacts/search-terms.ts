import { trusted } from 'mongoose';
import { z } from 'zod';
import { allOf } from '../db/all-of';
import { AppError, validationError, type FieldError } from '../http/app-error';
import { matchKindOf, maxSearchableLength, searchTokenOf, valueSchema } from '../schema/attribute-types';
import type { AttributeDefinition } from '../schema/attribute.model';
import type { Definitions } from '../schema/definitions';
import { escapeRegex, foldText } from '../schema/text-folding';
import { parseNameQuery, type NameQuery } from './name-query';
import { toE164 } from './phone-number';

export const scalarValue = z.union([z.string().max(maxSearchableLength), z.number(), z.boolean()]);

/** Search terms: term → one scalar value. Objects, arrays and null are refused, so no operator gets through. */
export const searchTermsSchema = z
  .record(z.string().max(64), scalarValue)
  .refine((terms) => Object.keys(terms).length > 0, 'must hold at least one search term')
  .meta({
    minProperties: 1,
    description:
      'Term → value, combined with AND. A term is an attribute key, or `phone` (any phone attribute) or `name` ' +
      '(first/last name prefixes, as in name search). Text matches by case- and accent-insensitive prefix, phones as ' +
      'the same number in any format, other types exactly.',
    example: { phone: '+1 415 555 0100', first_name: 'jo' },
  });

export type SearchTerms = z.output<typeof searchTermsSchema>;
export type Scalar = z.output<typeof scalarValue>;

export interface SearchPlan {
  filter: Record<string, unknown>;
  name?: NameQuery;
}

/** Turns search terms into one filter of index-served conditions, or throws 400 naming every bad term. */
export function planSearch(terms: SearchTerms, definitions: Definitions, phoneRegion: string): SearchPlan {
  const conditions: Record<string, unknown>[] = [];
  const errors: FieldError[] = [];
  let name: NameQuery | undefined;
  for (const [term, value] of Object.entries(terms)) {
    try {
      if (term === 'name') {
        name = parseNameQuery(String(value), term);
        conditions.push(name.filter);
      } else if (term === 'phone') {
        conditions.push({ _phones: phoneOrThrow(value, phoneRegion) });
      } else {
        conditions.push(attributeCondition(definitionOrThrow(term, definitions), value, phoneRegion));
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      errors.push(...(error.errors ?? [{ path: term, message: error.message }]));
    }
  }
  if (errors.length) throw validationError(errors, 'Some search terms are not valid.');
  return { filter: allOf(conditions), name };
}

function attributeCondition(definition: AttributeDefinition, value: Scalar, phoneRegion: string) {
  const { key, type } = definition;
  const kind = matchKindOf(type);
  if (kind === 'phone') return { _kv: `${key}:${phoneOrThrow(value, phoneRegion, key)}` };
  if (kind === 'prefix') {
    const folded = foldText(String(value));
    if (!folded) throw termError(key, 'must not be empty');
    return { _kv: trusted({ $regex: `^${escapeRegex(`${key}:${folded}`)}` }) };
  }
  return { _kv: exactToken(definition, value, phoneRegion) };
}

/** The exact search token of a value for an attribute, coercing strings such as "42", "true", "2024-05-01". */
export function exactToken(definition: AttributeDefinition, value: Scalar, phoneRegion: string): string {
  // A CTI may deliver an account or phone number as a JSON number: text and phones compare as text.
  const input = matchKindOf(definition.type) === 'exact' ? value : String(value);
  const parsed = valueSchema(definition, phoneRegion).safeParse(input);
  if (!parsed.success) throw termError(definition.key, parsed.error.issues[0]?.message ?? 'is not a valid value');
  return searchTokenOf(definition.key, definition.type, parsed.data);
}

export function phoneOrThrow(value: Scalar, phoneRegion: string, path = 'phone'): string {
  const e164 = toE164(String(value), phoneRegion);
  if (!e164) throw termError(path, 'is not a phone number');
  return e164;
}

function definitionOrThrow(term: string, definitions: Definitions): AttributeDefinition {
  const definition = definitions.byKey.get(term);
  if (!definition) throw termError(term, 'is not a search term: use an attribute key, phone or name');
  return definition;
}

function termError(path: string, message: string): AppError {
  return validationError([{ path, message }]);
}
