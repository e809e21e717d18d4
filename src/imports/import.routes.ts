import { z } from 'zod';
import { objectIdSchema } from '../http/object-id';
import { limitSchema } from '../http/paging';
import { route } from '../http/route';
import { importJobSchema } from './import-job';
import type { ImportService } from './import.service';
import { maxRowBytes } from './row-cap';

const exampleFiles = {
  'text/csv': 'first_name,last_name,phone1\nAda,Lovelace,+14155550101\n',
  'application/x-ndjson': '{"first_name":"Ada","last_name":"Lovelace","phone1":"+14155550101"}\n',
};
const importParams = z.object({ import_id: objectIdSchema('an import id').describe('The import job id') });
const job = importJobSchema;

export function importRoutes(service: ImportService) {
  return [
    route({
      method: 'post',
      path: '/imports',
      permission: 'contacts:import',
      tag: 'Imports',
      summary: 'Import contacts from a CSV or NDJSON file, in the background',
      description:
        'The body is the file: text/csv (UTF-8, a header row of attribute keys, optionally `_id`) or ' +
        'application/x-ndjson (one contact object per line). Each row obeys the rules of POST /saveContact ' +
        '(mode=create) or PUT /contacts/{id} (mode=upsert, matching on matchOn; an empty cell leaves the stored ' +
        'value alone). Unknown columns and a matchOn that is not unique are refused before anything is stored. ' +
        `A row longer than ${maxRowBytes} bytes, or repeating the header, is rejected; the rows around it are read on. ` +
        'Answers 202 with the job; follow it at Location. Admins only.',
      rawBody: exampleFiles,
      query: z.strictObject({
        mode: z.enum(['create', 'upsert']).default('create').describe('create new contacts, or update matches'),
        matchOn: z.string().min(1).optional().describe('_id or an attribute with unique: true; required for upsert'),
        dryRun: z.enum(['true', 'false']).default('false').describe('check every row, write nothing'),
      }),
      response: job,
      successStatus: 202,
      responseDescription: 'Accepted: the job, queued',
      errors: [413],
      handle: async ({ query, req, res, context }) => {
        const format = req.is('text/csv') ? 'csv' : 'ndjson';
        const options = { format, mode: query.mode, matchOn: query.matchOn, dryRun: query.dryRun === 'true' } as const;
        const started = await service.startImport(req, options, context);
        res.setHeader('Location', `/imports/${started.id}`);
        return started;
      },
    }),
    route({
      method: 'get',
      path: '/imports',
      permission: 'contacts:import',
      tag: 'Imports',
      summary: 'Import jobs, newest first',
      description: 'For the next page, pass the id of the last job as `before`.',
      query: z.strictObject({
        limit: limitSchema,
        before: objectIdSchema('an import id').optional().describe('Only jobs older than this one'),
      }),
      response: z.array(job),
      handle: ({ query }) => service.listImports(query.limit, query.before),
    }),
    route({
      method: 'get',
      path: '/imports/{import_id}',
      permission: 'contacts:import',
      tag: 'Imports',
      summary: 'An import job: its status and row counts',
      description: 'Poll it until status is completed, failed or cancelled; rows.processed is its progress.',
      params: importParams,
      response: job,
      errors: [404],
      handle: ({ params }) => service.getImport(params.import_id),
    }),
    route({
      method: 'delete',
      path: '/imports/{import_id}',
      permission: 'contacts:import',
      tag: 'Imports',
      summary: 'Cancel an import job',
      description: 'The job stops after its current batch; rows already written stay. A finished job is unchanged.',
      params: importParams,
      response: job,
      errors: [404],
      handle: ({ params }) => service.cancelImport(params.import_id),
    }),
    route({
      method: 'get',
      path: '/imports/{import_id}/rejects',
      permission: 'contacts:import',
      tag: 'Imports',
      summary: 'The rows an import rejected, and why',
      description:
        'For a CSV import, text/csv: the rejected rows’ cells (a cell a spreadsheet would run as a formula gets ' +
        'a leading apostrophe, as in the export; a very long cell is cut) plus `row` (its line) and ' +
        '`errors` (`key: message; …`). For NDJSON, one { row, errors: [{ path, message }], input } per line.',
      params: importParams,
      response: z.string().describe('The rejected rows, one per line'),
      responseMediaType: ['text/csv', 'application/x-ndjson'],
      errors: [404],
      handle: ({ params, res }) => service.streamRejects(params.import_id, res),
    }),
  ];
}
