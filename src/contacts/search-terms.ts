import { z } from 'zod';
import { AppError, validationError, type FieldError } from '../http/app-error';
import { matchKindOf, maxSearchableLength, searchTokenOf, valueSchema } from '../attributes/attribute-types';
import type { AttributeDefinition } from '../attributes/attribute.model';
import { nameKeys, type Definitions } from '../attributes/definitions';
import { foldText, foldedSpellings } from '../values/text-folding';
import type { ContactDocument } from './contact.model';
import { nameQueryPlan } from './name-query';
import { toE164 } from '../values/phone-number';
import { attributePrefixLengthFor, minPhoneDigits, namePrefixLength, nameTokensOf } from './search-fields';
import { combinePlans, selective, type Condition, type SearchPlan } from './search-plan';

export const scalarValue = z.union([z.string().max(maxSearchableLength), z.number(), z.boolean()]);

/** Search terms: term → one scalar value. Objects, arrays and null are refused, so no operator gets through. */
export const searchTermsSchema = z
  .record(z.string().max(64), scalarValue)
  .refine((terms) => Object.keys(terms).length > 0, 'must hold at least one search term')
  .meta({
    minProperties: 1,
    // Finds the contact of POST /saveContact's example in /docs.
    examples: [{ last_name: 'exam', phone: '415-555-0123' }],
    description:
      'Term → value, combined with AND. A term is an attribute key, or `phone` (any phone attribute) or `name` ' +
      '(first/last name prefixes, as in name search). Text matches by case- and accent-insensitive prefix, phones as ' +
      'the same number in any format or by their first digits (at least 6), other types exactly.',
  });

export type SearchTerms = z.output<typeof searchTermsSchema>;
export type Scalar = z.output<typeof scalarValue>;

const phoneLike = /^[+\d\s().-]+$/;

/** Turns search terms into one plan of index-served conditions, or throws 400 naming every bad term. */
export function planSearch(terms: SearchTerms, definitions: Definitions, phoneRegion: string): SearchPlan {
  const plans: SearchPlan[] = [];
  const errors: FieldError[] = [];
  for (const [term, value] of Object.entries(terms)) {
    try {
      if (term === 'name') plans.push(nameQueryPlan(String(value), term));
      else if (term === 'phone') plans.push(only(phoneCondition(value, phoneRegion)));
      else plans.push(attributePlan(definitionOrThrow(term, definitions), value, phoneRegion));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      errors.push(...(error.errors ?? [{ path: term, message: error.message }]));
    }
  }
  if (errors.length) throw validationError(errors, 'Some search terms are not valid.');
  return combinePlans(plans);
}

const only = (condition: Condition): SearchPlan => ({ conditions: [condition], checks: [] });

/** The same number in any format, or — at least 6 digits that are no whole number — numbers starting with them. */
function phoneCondition(value: Scalar, phoneRegion: string): Condition {
  const e164 = toE164(String(value), phoneRegion);
  if (e164) return { field: '_phones', value: e164, selectivity: 2 * selective };
  const digits = String(value).replace(/\D/g, '');
  if (!phoneLike.test(String(value)) || digits.length < minPhoneDigits || digits.length > 20) {
    throw termError('phone', `is not a phone number, nor its first ${minPhoneDigits} digits or more`);
  }
  return { field: '_phonePrefixes', value: digits, selectivity: selective + digits.length };
}

function attributePlan(definition: AttributeDefinition, value: Scalar, phoneRegion: string): SearchPlan {
  const { key, type } = definition;
  const kind = matchKindOf(type);
  if (kind === 'phone') {
    return only({ field: '_kv', value: `${key}:${phoneOrThrow(value, phoneRegion, key)}`, selectivity: 2 * selective });
  }
  if (kind === 'exact') {
    return only({
      field: '_kv',
      value: exactToken(definition, value, phoneRegion),
      selectivity: definition.unique ? selective : 30,
    });
  }
  const folded = foldText(String(value));
  if (!folded) throw termError(key, 'must not be empty');
  const startsWithIt = (document: ContactDocument) => {
    const stored = document[key]; // text: the prefix types' values are strings
    return typeof stored === 'string' && foldedSpellings(stored).some((spelling) => spelling.startsWith(folded));
  };
  if ((nameKeys as readonly string[]).includes(key)) return namePrefixPlan(key, folded, startsWithIt);
  const token = folded.slice(0, attributePrefixLengthFor(folded.length));
  return {
    conditions: [{ field: '_prefixes', value: `${key}:${token}`, selectivity: 10 * token.length }],
    checks: folded.length > token.length ? [startsWithIt] : [],
  };
}

/** First and last name are found by their words' prefixes (stored once for name search), then checked in full. */
function namePrefixPlan(key: string, folded: string, startsWithIt: SearchPlan['checks'][number]): SearchPlan {
  const [firstWord] = nameTokensOf(folded);
  if (!firstWord) throw termError(key, 'must hold at least one letter or digit');
  const token = firstWord.slice(0, namePrefixLength);
  return { conditions: [{ field: '_names', value: token, selectivity: 10 * token.length }], checks: [startsWithIt] };
}

/** The exact search token of a value for an attribute, coercing strings such as "42", "true", "2024-05-01". */
function exactToken(definition: AttributeDefinition, value: Scalar, phoneRegion: string): string {
  const parsed = parseForMatch(definition, value, phoneRegion);
  if (!parsed.success) throw termError(definition.key, parsed.error.issues[0]?.message ?? 'is not a valid value');
  return searchTokenOf(definition.key, definition.type, parsed.data);
}

/** The token of a value the attribute could hold; undefined for one it could not (no contact holds it). */
export function exactTokenIfValid(definition: AttributeDefinition, value: Scalar, phoneRegion: string) {
  const parsed = parseForMatch(definition, value, phoneRegion);
  return parsed.success ? searchTokenOf(definition.key, definition.type, parsed.data) : undefined;
}

function parseForMatch(definition: AttributeDefinition, value: Scalar, phoneRegion: string) {
  // A CTI may deliver an account or phone number as a JSON number: text and phones compare as text.
  const input = matchKindOf(definition.type) === 'exact' ? value : String(value);
  return valueSchema(definition, phoneRegion).safeParse(input);
}

function phoneOrThrow(value: Scalar, phoneRegion: string, path = 'phone'): string {
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
