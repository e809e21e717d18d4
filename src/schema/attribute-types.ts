import { createHash } from 'node:crypto';
import { z } from 'zod';
import { toE164 } from '../contacts/phone-number';
import { foldText } from './text-folding';

export const attributeTypes = ['string', 'text', 'number', 'boolean', 'date', 'email', 'phone', 'url', 'enum'] as const;
export type AttributeType = (typeof attributeTypes)[number];

/** What the value rules need to know about an attribute definition. */
export interface AttributeRule {
  key: string;
  type: AttributeType;
  options?: string[];
}

export type AttributeValue = string | number | boolean | Date;

/** How search matches an attribute: prefix of folded text, the same phone number, or the exact value. */
export type MatchKind = 'prefix' | 'phone' | 'exact';

export const maxSearchableLength = 1_000;

const numberPattern = /^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$/;
const isoDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** The validator of one type: accepts what clients send, yields the stored (normalised) value. */
export function valueSchema(rule: AttributeRule, phoneRegion: string): z.ZodType<AttributeValue> {
  switch (rule.type) {
    case 'string':
      return z.string().trim().max(1_000);
    case 'text':
      return z.string().max(10_000);
    case 'number':
      return z
        .union([z.number(), z.string().trim().regex(numberPattern, 'must be a number').transform(Number)])
        .pipe(z.number().finite());
    case 'boolean':
      return z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
    case 'date':
      return z
        .string()
        .trim()
        .pipe(isoDate)
        .transform((value) => new Date(value));
    case 'email':
      return z
        .string()
        .trim()
        .max(254)
        .pipe(z.email())
        .transform((value) => value.toLowerCase());
    case 'phone':
      // A JSON number (4155550100) is a phone number written without punctuation.
      return z
        .union([z.string().max(64), z.number().int().nonnegative().transform(String)])
        .transform((value, ctx) => toE164(value, phoneRegion) ?? invalid(ctx, 'is not a phone number'));
    case 'url':
      return z
        .string()
        .trim()
        .max(2_000)
        .pipe(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }));
    case 'enum':
      return z
        .string()
        .transform((value, ctx) => optionOf(rule.options ?? [], value) ?? invalid(ctx, optionsMessage(rule)));
  }
}

/** The option as it is spelled, for a value matching it exactly or, failing that, in another case (`retail`). */
function optionOf(options: string[], value: string): string | undefined {
  const folded = value.trim().toLowerCase();
  return options.find((option) => option === value) ?? options.find((option) => option.toLowerCase() === folded);
}

function optionsMessage(rule: AttributeRule): string {
  return `must be one of ${(rule.options ?? []).map((option) => JSON.stringify(option)).join(', ')}`;
}

function invalid(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

export function matchKindOf(type: AttributeType): MatchKind {
  if (type === 'phone') return 'phone';
  return type === 'string' || type === 'text' || type === 'email' || type === 'url' ? 'prefix' : 'exact';
}

/** The searchable form of a stored value; `key:` prefixed so one index serves every attribute. */
export function searchTokenOf(key: string, type: AttributeType, value: AttributeValue): string {
  if (value instanceof Date) return `${key}:${value.toISOString()}`;
  if (matchKindOf(type) === 'prefix') return `${key}:${foldText(String(value)).slice(0, maxSearchableLength)}`;
  return `${key}:${String(value)}`;
}

/**
 * The token a unique value claims: its search token, but long text is hashed whole rather than cut, so two
 * values that differ after the searchable length stay distinct. Folded text is lower case, so the upper-case
 * marker never equals a short value's token.
 */
export function uniqueTokenOf(key: string, type: AttributeType, value: AttributeValue): string {
  const folded = matchKindOf(type) === 'prefix' ? foldText(String(value)) : '';
  if (folded.length <= maxSearchableLength) return searchTokenOf(key, type, value);
  return `${key}:#SHA256:${createHash('sha256').update(folded).digest('hex')}`;
}

/** The JSON Schema of one attribute's value, for the live API document. */
/** A valid value of the type, for the examples /docs prefills ("Try it out" sends them as they are). */
export function exampleValue(rule: AttributeRule): AttributeValue {
  switch (rule.type) {
    case 'string':
      return 'Example';
    case 'text':
      return 'Called about the May invoice.';
    case 'number':
      return 42;
    case 'boolean':
      return true;
    case 'date':
      return '1990-04-12';
    case 'email':
      return 'ann@example.com';
    case 'phone':
      return '+14155550123';
    case 'url':
      return 'https://example.com/ann';
    case 'enum':
      return rule.options?.[0] ?? '';
  }
}

export function valueJsonSchema(rule: AttributeRule & { label: string }): Record<string, unknown> {
  const common = { title: rule.label, 'x-cim-type': rule.type };
  switch (rule.type) {
    case 'string':
      return { ...common, type: 'string', maxLength: 1_000 };
    case 'text':
      return { ...common, type: 'string', maxLength: 10_000 };
    case 'number':
      return { ...common, type: 'number' };
    case 'boolean':
      return { ...common, type: 'boolean' };
    case 'date':
      return { ...common, type: 'string', format: 'date-time' };
    case 'email':
      return { ...common, type: 'string', format: 'email', maxLength: 254 };
    case 'phone':
      return {
        ...common,
        anyOf: [
          { type: 'string', maxLength: 64 },
          { type: 'integer', minimum: 0 },
        ],
        description: 'Phone number, in any format or as a JSON number; stored as E.164',
      };
    case 'url':
      return { ...common, type: 'string', format: 'uri', maxLength: 2_000 };
    case 'enum':
      return { ...common, type: 'string', enum: rule.options ?? [], description: 'One of the options, in any case' };
  }
}
