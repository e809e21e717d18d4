import { z } from 'zod';
import type { Connection } from 'mongoose';
import { AppError } from '../http/app-error';
import { route } from '../http/route';
import { pingDatabase } from '../db/connection';
import { backfillProgressSchema, type BackfillProgress } from '../contacts/search-backfill';

const statusSchema = z.object({ status: z.enum(['ok']) });

const readySchema = statusSchema.extend({ searchFields: backfillProgressSchema });

export function healthRoutes(
  connection: Connection,
  readyTimeoutMs: number,
  searchFields: () => Promise<BackfillProgress>,
) {
  return [
    route({
      method: 'get',
      path: '/health',
      permission: 'public',
      tag: 'Operations',
      summary: 'The process is alive',
      description:
        'Liveness: answers 200 while the process serves HTTP, whatever the database does. For load balancers, use /ready.',
      response: statusSchema,
      handle: () => ({ status: 'ok' }),
    }),
    route({
      method: 'get',
      path: '/ready',
      permission: 'public',
      tag: 'Operations',
      summary: 'The database is reachable; how far background work on stored data is',
      description:
        'Readiness: 200 when the database answers within CIM_READY_TIMEOUT_MS, else 503. `searchFields` says how far the re-derivation of search fields of stored contacts is after an upgrade.',
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
