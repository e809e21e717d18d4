import { z } from 'zod';
import type { Types } from 'mongoose';
import type { RequestContext } from '../http/request-context';

const importStatuses = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
type ImportStatus = (typeof importStatuses)[number];
type ImportFormat = 'csv' | 'ndjson';

export interface RowCounts {
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportOptions {
  format: ImportFormat;
  mode: 'create' | 'upsert';
  matchOn?: string;
  dryRun: boolean;
}

/** A job in `import_jobs`; `rows.processed` is also the checkpoint: a resumed run skips that many records. */
export interface ImportJobDocument extends ImportOptions {
  _id: Types.ObjectId;
  status: ImportStatus;
  /** The CSV header (attribute keys, maybe `_id`); empty for NDJSON. */
  columns: string[];
  rows: RowCounts;
  /** Who asked, for the job's audit entry. */
  context: RequestContext;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  error?: string;
}

export const jobsCollection = 'import_jobs';
export const chunksCollection = 'import_chunks';
export const rejectsCollection = 'import_rejects';

export const noRows: RowCounts = { processed: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };

const count = z.number().int();
export const importJobSchema = z
  .object({
    id: z.string(),
    status: z.enum(importStatuses),
    format: z.enum(['csv', 'ndjson']),
    mode: z.enum(['create', 'upsert']),
    matchOn: z.string().optional(),
    dryRun: z.boolean(),
    rows: z.object({ processed: count, created: count, updated: count, unchanged: count, rejected: count }),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    error: z.string().optional().describe('Why the job failed'),
  })
  .meta({ id: 'ImportJob' });
export type ImportJobResponse = z.infer<typeof importJobSchema>;

/** Stores the event of a job's end (the webhooks' outbox); the job's id is the event's, so it is published once. */
export type PublishImportFinished = (
  type: 'import.finished',
  data: Record<string, unknown>,
  eventId?: Types.ObjectId,
) => Promise<void>;

export function publishFinished(publish: PublishImportFinished, job: ImportJobDocument): Promise<void> {
  return publish('import.finished', { import: toImportJobResponse(job) }, job._id);
}

export function toImportJobResponse(job: ImportJobDocument): ImportJobResponse {
  return {
    id: String(job._id),
    status: job.status,
    format: job.format,
    mode: job.mode,
    ...(job.matchOn ? { matchOn: job.matchOn } : {}),
    dryRun: job.dryRun,
    rows: job.rows,
    createdAt: job.createdAt.toISOString(),
    ...(job.startedAt ? { startedAt: job.startedAt.toISOString() } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
}
