import { matchKindOf, searchTokenOf, type AttributeValue } from '../schema/attribute-types';
import { nameKeys, type Definitions } from '../schema/definitions';
import { foldText } from '../schema/text-folding';

export type ContactAttributes = Record<string, AttributeValue>;

/** Internal fields stored beside the attributes so that every search is answered from an index. */
export interface SearchFields {
  /** `key:value` per attribute (text folded, phones E.164): one multikey index serves all attribute search. */
  _kv: string[];
  /** E.164 numbers of every phone attribute: screen pop by ANI and the `phone` search term. */
  _phones: string[];
  /** Folded words of first and last name: name search by prefix. */
  _nameTokens: string[];
  /** Folded "first last" and "last first": exact full-name matches rank first. */
  _fullNames: string[];
  /** Folded "last first": the order of name search results. */
  _sortName: string;
}

export const searchFieldNames = ['_kv', '_phones', '_nameTokens', '_fullNames', '_sortName'] as const;

/** The projection of answers: a few times smaller than the stored document without the search fields. */
export const withoutSearchFields = Object.fromEntries(searchFieldNames.map((name) => [name, 0])) as Record<
  (typeof searchFieldNames)[number],
  0
>;

/** Words of a name as search sees them: folded, apostrophes dropped, split on spaces, hyphens and dots. */
export function nameTokensOf(text: string): string[] {
  return foldText(text)
    .replace(/['’`]/g, '')
    .split(/[\s\-.,;/]+/)
    .filter(Boolean);
}

export function searchFieldsOf(attributes: ContactAttributes, definitions: Definitions): SearchFields {
  const kv: string[] = [];
  const phones: string[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    const definition = definitions.byKey.get(key);
    if (!definition) continue;
    kv.push(searchTokenOf(key, definition.type, value));
    if (matchKindOf(definition.type) === 'phone') phones.push(String(value));
  }
  const [first, last] = nameKeys.map((key) => nameTokensOf(String(attributes[key] ?? '')));
  const firstLast = [...first, ...last].join(' ');
  const lastFirst = [...last, ...first].join(' ');
  return {
    _kv: [...new Set(kv)],
    _phones: [...new Set(phones)],
    _nameTokens: [...new Set([...first, ...last])],
    _fullNames: firstLast ? [...new Set([firstLast, lastFirst])] : [],
    _sortName: lastFirst,
  };
}
