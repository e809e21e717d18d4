import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import type { Collection, Connection, Types } from 'mongoose';
import { csvCell, csvWriteOptions, type CellValue } from '../values/csv-cell';
import type { Reject } from './import-batch';
import { rejectsCollection, type ImportJobDocument } from './import-job';

interface RejectDocument {
  _id: string;
  jobId: Types.ObjectId;
  row: number;
  errors: Reject['errors'];
  /** The row as read, as JSON: its keys may be anything a file holds (`$set`, `__proto__`). */
  input: string;
}

// A rejected 10 MB cell is reported, not stored whole.
const maxStoredCell = 10_000;

function storedInput(input: Record<string, unknown>): string {
  return JSON.stringify(input, (_key, value: unknown) =>
    typeof value === 'string' && value.length > maxStoredCell ? `${value.slice(0, maxStoredCell)}…` : value,
  );
}

export function rejectStore(connection: Connection) {
  const rejects: Collection<RejectDocument> = connection.collection<RejectDocument>(rejectsCollection);

  return {
    /** Keyed by job and row: a batch written again after a crash stores its rejects once. */
    async save(jobId: Types.ObjectId, batch: Reject[]): Promise<void> {
      if (!batch.length) return;
      const documents = batch.map(({ row, errors, input }) => ({
        _id: `${String(jobId)}:${row}`,
        jobId,
        row,
        errors,
        input: storedInput(input),
      }));
      await rejects.insertMany(documents, { ordered: false }).catch((error: unknown) => {
        if ((error as { code?: number }).code !== 11000 && !(error as { writeErrors?: unknown }).writeErrors) {
          throw error;
        }
      });
    },

    /**
     * The job's rejects in row order: CSV (original cells, `row`, `errors`; a formula-like cell gets an apostrophe,
     * as in the export) or NDJSON ({ row, errors, input }).
     */
    async stream(job: ImportJobDocument, res: Response): Promise<void> {
      const cursor = rejects.find({ jobId: job._id }, { sort: { row: 1 }, batchSize: 500 });
      const lines = Readable.from(
        (async function* () {
          for await (const reject of cursor)
            yield { ...reject, input: JSON.parse(reject.input) as Record<string, unknown> };
        })(),
      );
      res.status(200);
      if (job.format === 'ndjson') {
        res.type('application/x-ndjson');
        const toLine = async function* (source: AsyncIterable<RejectDocument & { input: object }>) {
          for await (const { row, errors, input } of source) yield `${JSON.stringify({ row, errors, input })}\n`;
        };
        await pipeline(lines, toLine, res);
        return;
      }
      res.type('text/csv; charset=utf-8');
      const columns = [...job.columns, 'row', 'errors'];
      const toRecord = async function* (source: AsyncIterable<RejectDocument & { input: Record<string, unknown> }>) {
        for await (const { row, errors, input } of source) {
          const text = errors.map(({ path, message }) => (path ? `${path}: ${message}` : message)).join('; ');
          yield [...job.columns.map((column) => csvCell(input[column] as CellValue)), row, csvCell(text)];
        }
      };
      await pipeline(lines, toRecord, stringify({ ...csvWriteOptions, columns }), res);
    },

    deleteOfJob: (jobId: Types.ObjectId) => rejects.deleteMany({ jobId }),
  };
}

export type RejectStore = ReturnType<typeof rejectStore>;
