import { z } from 'zod';

/** A `limit` query parameter: a whole number from 1 to `max`, `byDefault` when absent. */
export function pageSizeSchema(max: number, byDefault: number) {
  const message = `must be a whole number from 1 to ${max}`;
  return z.coerce
    .number({ error: message })
    .int(message)
    .min(1, message)
    .max(max, message)
    .default(byDefault)
    .describe(`Page size, 1–${max} (default ${byDefault})`);
}

export const limitSchema = pageSizeSchema(100, 25);

export const limitQuery = z.strictObject({ limit: limitSchema });
