import { createHash } from 'node:crypto';
import { matchKindOf, searchTokenOf, type AttributeValue } from '../attributes/attribute-types';
import { nameKeys, type Definitions } from '../attributes/definitions';
import { foldText, foldedSpellings } from '../values/text-folding';
import { phoneDigitForms } from '../values/phone-number';

export type ContactAttributes = Record<string, AttributeValue>;

/** Bumped whenever what searchFieldsOf derives changes: stored contacts are then re-derived in the background. */
export const searchFieldsVersion = 3;

/** Prefix tokens stop here; a longer search word is looked up by its first characters and checked in full. */
export const namePrefixLength = 8;
/**
 * Other text attributes: every prefix up to 6 characters, then a few longer ones. Values often share a long start
 * (`billing@…`, `https://www.`): a long search term is looked up by its longest stored prefix, not by 6 characters
 * that half the contacts share, which read as many candidates as a page and left most matches unread.
 */
const attributePrefixLengths = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32] as const;

/** The longest stored prefix length of a term this long. */
export function attributePrefixLengthFor(termLength: number): number {
  return attributePrefixLengths.findLast((length) => length <= termLength) ?? attributePrefixLengths[0];
}
export const minPhoneDigits = 6;
/** Each contact falls in one bucket of 8 and one of 64 (`_sample`, from its id). */
const sampleRates = [64, 8] as const;
const sampleTag = (rate: number, bucket: number) => `s${rate}:${bucket}`;
/** A broad search reads 1 contact in 64, then 1 in 8 (bucket 1 of 64 lies in bucket 1 of 8, not 0), then all. */
export const broadSearchSamples = [sampleTag(64, 1), sampleTag(8, 0)];

/**
 * Internal fields stored beside the attributes so that every search is an equality on an indexed field: FerretDB
 * hands top-level equalities down to PostgreSQL (one per field) and MongoDB answers them from multikey indexes.
 */
export interface SearchFields {
  /** `key:value` per attribute (text folded, phones E.164): screen pop and exact search terms. */
  _kv: string[];
  /** E.164 numbers of every phone attribute: screen pop by ANI and the `phone` search term. */
  _phones: string[];
  /** Words of first and last name, each `plain|written-out` spelling: checks that query words fall on distinct words. */
  _nameTokens: string[];
  /** Folded "first last" and "last first": exact full-name matches rank first. */
  _fullNames: string[];
  /** Folded "last first": the order of name search results. */
  _sortName: string;
  /** Prefixes (1 to 8 characters) of every name word in every spelling. */
  _names: string[];
  /** The same tokens again, so that a second name word is handed down beside the first (one equality per field). */
  _names2: string[];
  /** `key:prefix` (1 to 6 characters, then 8, 10, 12, 16, 20, 24, 32; every spelling) of the other text attributes. */
  _prefixes: string[];
  /** Leading digits (6 or more) of every phone number, international (`1415555…`) and national (`0207946…`). */
  _phonePrefixes: string[];
  /** Fixed random buckets of the contact (`s8:3`, `s64:27`) from its id, for reading a sample of broad matches. */
  _sample: string[];
  _sv: number;
}

export const searchFieldNames = [
  '_kv',
  '_phones',
  '_nameTokens',
  '_fullNames',
  '_sortName',
  '_names',
  '_names2',
  '_prefixes',
  '_phonePrefixes',
  '_sample',
  '_sv',
] as const;

/** The projection of answers: a few times smaller than the stored document without the search fields. */
export const withoutSearchFields = Object.fromEntries(searchFieldNames.map((name) => [name, 0])) as Record<
  (typeof searchFieldNames)[number],
  0
>;

/** Words of a name as search sees them: folded, apostrophes dropped, split on spaces, hyphens and dots. */
export function nameTokensOf(text: string): string[] {
  return splitWords(foldText(text));
}

function splitWords(folded: string): string[] {
  return folded
    .replace(/['’`]/g, '')
    .split(/[\s\-.,;/]+/)
    .filter(Boolean);
}

export function prefixesOf(text: string, maxLength: number, minLength = 1): string[] {
  const prefixes = [];
  for (let length = minLength; length <= Math.min(text.length, maxLength); length++)
    prefixes.push(text.slice(0, length));
  return prefixes;
}

/** A name's words in every spelling: `Müller` → [['muller', 'mueller']]. */
function nameWordsOf(text: string): string[][] {
  const spellings = foldedSpellings(text).map(splitWords);
  // Written-out spellings never add or remove a word boundary: word i of each spelling is the same word.
  return spellings[0].map((_, index) => [...new Set(spellings.map((words) => words[index]).filter(Boolean))]);
}

function sampleOf(id: string): string[] {
  const bucket = createHash('sha1').update(id).digest().readUInt32BE(0);
  return sampleRates.map((rate) => sampleTag(rate, bucket % rate));
}

/**
 * `absorbedPhones` are the numbers of contacts merged into this one: screen pop by ANI, the `phone` search term and
 * call history find the survivor by them, even by a number that lost a conflict.
 */
export function searchFieldsOf(
  attributes: ContactAttributes,
  definitions: Definitions,
  id: unknown,
  absorbedPhones: readonly string[] = [],
): SearchFields {
  const kv: string[] = [];
  const phones: string[] = [];
  const prefixes: string[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    const definition = definitions.byKey.get(key);
    if (!definition) continue;
    kv.push(searchTokenOf(key, definition.type, value));
    const kind = matchKindOf(definition.type);
    if (kind === 'phone') phones.push(String(value));
    if (kind === 'prefix' && !(nameKeys as readonly string[]).includes(key)) {
      for (const spelling of foldedSpellings(String(value))) {
        const lengths = attributePrefixLengths.filter((length) => length <= spelling.length);
        prefixes.push(...lengths.map((length) => `${key}:${spelling.slice(0, length)}`));
      }
    }
  }
  phones.push(...absorbedPhones);
  const [first, last] = nameKeys.map((key) => nameWordsOf(String(attributes[key] ?? '')));
  const words = [...first, ...last];
  const names = [...new Set(words.flat().flatMap((word) => prefixesOf(word, namePrefixLength)))];
  const plain = (list: string[][]) => list.map((spellings) => spellings[0]);
  const firstLast = [...plain(first), ...plain(last)].join(' ');
  const lastFirst = [...plain(last), ...plain(first)].join(' ');
  return {
    _kv: [...new Set(kv)],
    _phones: [...new Set(phones)],
    _nameTokens: words.map((spellings) => spellings.join('|')),
    _fullNames: firstLast ? [...new Set([firstLast, lastFirst])] : [],
    _sortName: lastFirst,
    _names: names,
    _names2: names,
    _prefixes: [...new Set(prefixes)],
    _phonePrefixes: [
      ...new Set(
        phones.flatMap((phone) => phoneDigitForms(phone).flatMap((digits) => prefixesOf(digits, 20, minPhoneDigits))),
      ),
    ],
    _sample: sampleOf(String(id)),
    _sv: searchFieldsVersion,
  };
}
