import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * The E.164 form of a phone number (`+14155550100`), reading national numbers in the default
 * region; null when the text is not a possible phone number (`anonymous`, `restricted`, `12`).
 */
export function toE164(raw: string, defaultRegion: string): string | null {
  const text = raw.trim();
  if (!text || text.length > 64 || !/\d/.test(text)) return null;
  const international = text.startsWith('00') ? `+${text.slice(2)}` : text;
  const parsed = parsePhoneNumberFromString(international, {
    defaultCountry: defaultRegion as CountryCode,
    extract: false,
  });
  return parsed?.isPossible() ? parsed.number : null;
}
