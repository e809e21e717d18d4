import { z } from 'zod';

/** A MongoDB ObjectId in a URL: 24 hex digits, lower-cased so it compares with stored ids. */
export function objectIdSchema(what: string) {
  return z
    .string()
    .regex(/^[0-9a-fA-F]{24}$/, `must be ${what}: 24 hexadecimal characters`)
    .transform((id) => id.toLowerCase());
}
