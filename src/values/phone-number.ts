import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { LRUCache } from 'lru-cache';

// Callers ring again and CTI posts repeat the ANI on every leg: parsing is the costliest step of a screen pop.
// The cache holds strings only; a number that is none is remembered as ''.
const remembered = new LRUCache<string, string>({ max: 10_000 });

/**
 * The E.164 form of a phone number (`+14155550100`), reading national numbers in the default
 * region; null when the text is not a possible phone number (`anonymous`, `restricted`, `12`).
 */
export function toE164(raw: string, defaultRegion: string): string | null {
  const text = raw.trim();
  if (!text || text.length > 64 || !/\d/.test(text)) return null;
  const key = `${defaultRegion}|${text}`;
  const known = remembered.get(key);
  if (known !== undefined) return known || null;
  const e164 = parseE164(text, defaultRegion);
  remembered.set(key, e164 ?? '');
  return e164;
}

function parseE164(text: string, defaultRegion: string): string | null {
  const international = text.startsWith('00') ? `+${text.slice(2)}` : text;
  const parsed = parsePhoneNumberFromString(international, {
    defaultCountry: defaultRegion as CountryCode,
    extract: false,
  });
  return parsed?.isPossible() ? parsed.number : null;
}

/** The digits a person may start typing a stored (E.164) number with: international, national (`0207946…`). */
export function phoneDigitForms(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  const forms = [e164, parsed?.formatNational() ?? '', parsed?.nationalNumber ?? ''];
  return [...new Set(forms.map((form) => form.replace(/\D/g, '')).filter(Boolean))];
}
