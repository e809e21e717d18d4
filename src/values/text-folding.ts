import { transliterate } from 'transliteration';

// Letters with a written-out spelling in German and the Scandinavian languages: Müller is also Mueller, Ærø Aeroe.
const writtenOut: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ø: 'oe',
  å: 'aa',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  Ø: 'Oe',
  Å: 'Aa',
};

const writtenOutLetters = new RegExp(`[${Object.keys(writtenOut).join('')}]`, 'g');
/** Printable ASCII folds to itself, lower-cased: transliterating it would change nothing, and costs. */
const printableAscii = /^[\x20-\x7e]*$/;

const tidy = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Case- and accent-insensitive form of text, transliterated to ASCII where Unicode decomposition is not enough:
 * `MÜLLER` → `muller`, `Søren` → `soren`, `Łódź` → `lodz`, `Straße` → `strasse`, `Ærø` → `aero`.
 */
export function foldText(text: string): string {
  return printableAscii.test(text) ? tidy(text) : tidy(transliterate(text.normalize('NFKC')));
}

/**
 * The folded forms search finds a text by: the plain one, and the written-out spelling where it differs.
 * Duplicate scoring folds every candidate's name, so the written-out letters are replaced up front rather than
 * through transliterate's `replace` option, which costs over ten times as much.
 */
export function foldedSpellings(text: string): string[] {
  const plain = foldText(text);
  const normalised = text.normalize('NFKC');
  if (!normalised.match(writtenOutLetters)) return [plain];
  const written = tidy(transliterate(normalised.replace(writtenOutLetters, (letter) => writtenOut[letter])));
  return written === plain ? [plain] : [plain, written];
}
