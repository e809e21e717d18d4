import { z } from 'zod';

export const limitSchema = z.coerce
  .number({ error: 'must be a whole number from 1 to 100' })
  .int('must be a whole number from 1 to 100')
  .min(1, 'must be a whole number from 1 to 100')
  .max(100, 'must be a whole number from 1 to 100')
  .default(25)
  .describe('Page size, 1–100 (default 25)');

export const limitQuery = z.strictObject({ limit: limitSchema });
