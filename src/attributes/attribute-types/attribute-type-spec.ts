import { z } from 'zod';

export type AttributeValue = string | number | boolean | Date;

/** How search matches an attribute: prefix of folded text, the same phone number, or the exact value. */
export type MatchKind = 'prefix' | 'phone' | 'exact';

/** What a type's rules read from an attribute definition. */
export interface TypeRule {
  options?: readonly string[];
}

/** Everything CIM knows about one attribute type; validation, search and the API document derive from it. */
export interface AttributeTypeSpec {
  /**
   * Accepts what clients send and yields the stored (normalised) value. Its zod shapes are also the API
   * document's: the input side describes what may be sent, the output side what a contact holds.
   */
  valueSchema(rule: TypeRule, phoneRegion: string): z.ZodType<AttributeValue>;
  matchKind: MatchKind;
  /** A value stored under any type, as a client would send it to this type: how a type change converts it. */
  inputFromStored(stored: unknown): unknown;
  /** A valid value, for the examples /docs prefills ("Try it out" sends them as they are). */
  exampleValue(rule: TypeRule): AttributeValue;
}

/** Text types read any stored value as its text, so a number becomes a string and a phone a number. */
export function storedAsText(stored: unknown): unknown {
  return stored instanceof Date ? stored.toISOString() : String(stored);
}

/** Other types read a stored value as it is: `true` never becomes the number it is not. */
export function storedAsSent(stored: unknown): unknown {
  return stored instanceof Date ? stored.toISOString() : stored;
}

/**
 * Trims a string before `schema` checks it. A preprocess, not `z.string().trim().pipe()`, so that the API
 * document shows `schema` (a date's format, an enum's options) rather than a bare string.
 */
export function trimmed<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), schema);
}

export function invalid(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}
