import { validationError } from '../http/app-error';
import type { ContactDocument } from './contact.model';
import { namePrefixLength, nameTokensOf } from './search-fields';
import type { SearchPlan } from './search-plan';

const maxNameLength = 100;

/**
 * A name search: every word must start a different word of the first or last name, in any order. Each word is
 * an equality on the stored name prefixes (its first 8 characters); the candidates are then checked for words
 * falling on distinct name words and, for longer words, in full.
 */
export function nameQueryPlan(text: string, path = 'name'): SearchPlan {
  if (text.length > maxNameLength) {
    const message = `must be at most ${maxNameLength} characters`;
    throw validationError([{ path, message }], `A name search is at most ${maxNameLength} characters.`);
  }
  const words = nameTokensOf(text).slice(0, 10);
  if (!words.length) {
    throw validationError(
      [{ path, message: 'must not be empty' }],
      'A name search needs at least one letter or digit.',
    );
  }
  const needsCheck = words.length > 1 || words[0].length > namePrefixLength;
  return {
    conditions: words.map((word) => ({
      field: '_names',
      value: word.slice(0, namePrefixLength),
      selectivity: 10 * Math.min(word.length, namePrefixLength),
    })),
    checks: needsCheck ? [(document: ContactDocument) => wordsFallOnDistinctNameWords(words, document)] : [],
    fullName: words.join(' '),
    rejectsMany: words.some((word, index) => words.some((other, at) => at !== index && other.startsWith(word))),
  };
}

function wordsFallOnDistinctNameWords(words: string[], document: ContactDocument): boolean {
  const nameWords = (document._nameTokens ?? []).map((token) => token.split('|'));
  return assignDistinct(words, nameWords, new Set());
}

// Backtracking over at most ten words against a handful of name words: tiny and bounded.
function assignDistinct(words: string[], nameWords: string[][], used: Set<number>): boolean {
  if (!words.length) return true;
  const [word, ...rest] = words;
  return nameWords.some((spellings, index) => {
    if (used.has(index) || !spellings.some((spelling) => spelling.startsWith(word))) return false;
    used.add(index);
    const assigned = assignDistinct(rest, nameWords, used);
    used.delete(index);
    return assigned;
  });
}
