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

const tidy = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Case- and accent-insensitive form of text, transliterated to ASCII where Unicode decomposition is not enough:
 * `MÜLLER` → `muller`, `Søren` → `soren`, `Łódź` → `lodz`, `Straße` → `strasse`, `Ærø` → `aero`.
 */
export function foldText(text: string): string {
  return tidy(transliterate(text.normalize('NFKC')));
}

/** The folded forms search finds a text by: the plain one, and the written-out spelling where it differs. */
export function foldedSpellings(text: string): string[] {
  const plain = foldText(text);
  const written = tidy(transliterate(text.normalize('NFKC'), { replace: writtenOut }));
  return written === plain ? [plain] : [plain, written];
}
