import { z } from 'zod';
import type { Connection } from 'mongoose';
import { AppError } from '../http/app-error';
import { route } from '../http/route';
import { pingDatabase } from '../db/connection';

const statusSchema = z.object({ status: z.enum(['ok']) });

export function healthRoutes(connection: Connection, readyTimeoutMs: number) {
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
      summary: 'The database is reachable',
      response: statusSchema,
      errors: [503],
      handle: async () => {
        try {
          await pingDatabase(connection, readyTimeoutMs);
        } catch (error) {
          throw new AppError('not-ready', 'The database is not reachable.', { status: 503, cause: error });
        }
        return { status: 'ok' };
      },
    }),
  ];
}
