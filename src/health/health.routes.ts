import { z } from 'zod';
import type { Connection } from 'mongoose';
import { AppError } from '../http/app-error';
import { route } from '../http/route';
import { pingDatabase } from '../db/connection';

const statusSchema = z.object({ status: z.enum(['ok']) });

const readySchema = statusSchema.extend({
  searchFields: z
    .object({
      version: z.number().int(),
      state: z.enum(['waiting', 'running', 'done']),
      processed: z.number().int(),
      rewritten: z.number().int(),
      total: z.number().int(),
    })
    .describe(
      'Re-deriving stored contacts’ search fields after an upgrade: until done, name and prefix search miss the ' +
        'contacts not yet rewritten (screen pop and reads by id are unaffected).',
    ),
});

export function healthRoutes(
  connection: Connection,
  readyTimeoutMs: number,
  searchFields: () => Promise<z.infer<typeof readySchema>['searchFields']>,
) {
  return [
    route({
      method: 'get',
      path: '/health',
      tag: 'Operations',
      summary: 'The process is alive',
      response: statusSchema,
      handle: () => ({ status: 'ok' }),
    }),
    route({
      method: 'get',
      path: '/ready',
      tag: 'Operations',
      summary: 'The database is reachable; how far background work on stored data is',
      response: readySchema,
      errors: [503],
      handle: async () => {
        try {
          await pingDatabase(connection, readyTimeoutMs);
          return { status: 'ok' as const, searchFields: await searchFields() };
        } catch (error) {
          throw new AppError('not-ready', 'The database is not reachable.', { status: 503, cause: error });
        }
      },
    }),
  ];
}
