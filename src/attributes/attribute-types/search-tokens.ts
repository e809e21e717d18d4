import { createHash } from 'node:crypto';
import { foldText } from '../../values/text-folding';
import type { AttributeValue } from './attribute-type-spec';
import { matchKindOf, type AttributeType } from './attribute-type-specs';

export const maxSearchableLength = 1_000;

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
