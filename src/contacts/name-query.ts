import { trusted } from 'mongoose';
import { AppError } from '../http/app-error';
import { escapeRegex } from '../schema/text-folding';
import { nameTokensOf } from './search-fields';

export const maxNameLength = 100;

/** A name search: every word must start a different word of the first or last name, in any order. */
export interface NameQuery {
  words: string[];
  /** Index-served condition: each word is an anchored literal prefix of some name word. */
  filter: Record<string, unknown>;
  /** The full name exactly, in either order: these rank first. */
  exactFilter: Record<string, unknown>;
  /** The part an index cannot say: two query words may not both match the same name word. */
  matchesDistinctWords(nameTokens: string[]): boolean;
  /** Some word starts another (`ann anna`): only then can a contact match the filter but not distinct words. */
  wordsOverlap: boolean;
}

export function parseNameQuery(text: string, path = 'name'): NameQuery {
  if (text.length > maxNameLength) {
    throw new AppError('validation-failed', `A name search is at most ${maxNameLength} characters.`, {
      status: 400,
      errors: [{ path, message: `must be at most ${maxNameLength} characters` }],
    });
  }
  const words = nameTokensOf(text).slice(0, 10);
  if (!words.length) {
    throw new AppError('validation-failed', 'A name search needs at least one letter or digit.', {
      status: 400,
      errors: [{ path, message: 'must not be empty' }],
    });
  }
  return {
    words,
    filter: { $and: words.map((word) => ({ _nameTokens: trusted({ $regex: `^${escapeRegex(word)}` }) })) },
    exactFilter: { _fullNames: words.join(' ') },
    matchesDistinctWords: (nameTokens) => assignDistinct(words, nameTokens, new Set()),
    wordsOverlap: words.some((word, index) => words.some((other, at) => at !== index && other.startsWith(word))),
  };
}

// Backtracking over at most ten words against a handful of name words: tiny and bounded.
function assignDistinct(words: string[], nameTokens: string[], used: Set<number>): boolean {
  if (!words.length) return true;
  const [word, ...rest] = words;
  return nameTokens.some((token, index) => {
    if (used.has(index) || !token.startsWith(word)) return false;
    used.add(index);
    const assigned = assignDistinct(rest, nameTokens, used);
    used.delete(index);
    return assigned;
  });
}
