import type { Request } from 'express';
import { TextDecoder } from 'node:util';
import { mongo, type Connection, type Types } from 'mongoose';
import { AppError } from '../http/app-error';
import type { Definitions } from '../attributes/definitions';
import { checkProblems, headerProblems } from './import-checks';
import { csvHeaderOf } from './csv-header';
import { chunksCollection, type ImportOptions } from './import-job';

export interface ChunkDocument {
  jobId: Types.ObjectId;
  seq: number;
  data: mongo.Binary;
}

const chunkBytes = 1024 * 1024;

function tooLarge(maxBytes: number): AppError {
  return new AppError('body-too-large', `The file is larger than ${maxBytes} bytes (CIM_IMPORT_MAX_BYTES).`, {
    status: 413,
  });
}

function notUtf8(): AppError {
  return new AppError('bad-input', 'The file is not valid UTF-8.', { status: 400 });
}

/**
 * Stores the request body as 1 MB chunks of the job, so any instance can read it and a restart can resume it.
 * The CSV header is checked before the first chunk is written; on any failure the chunks written are deleted.
 * Resolves to the CSV header (empty for NDJSON).
 */
export async function storeUpload(
  connection: Connection,
  req: Request,
  jobId: Types.ObjectId,
  options: ImportOptions,
  limits: { maxBytes: number; definitions: Definitions },
): Promise<string[]> {
  if (Number(req.headers['content-length'] ?? 0) > limits.maxBytes) throw tooLarge(limits.maxBytes);
  const chunks = connection.collection<ChunkDocument>(chunksCollection);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let columns: string[] = [];
  let seq = 0;
  let total = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const flush = async (complete: boolean) => {
    const data = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    if (seq === 0 && options.format === 'csv') {
      columns = csvHeaderOf(data.toString('utf8'), complete);
      checkProblems(
        headerProblems(columns, options, limits.definitions),
        'The file has columns that cannot be imported',
      );
    }
    await chunks.insertOne({ jobId, seq: seq++, data: new mongo.Binary(data) });
  };

  try {
    for await (const piece of req as AsyncIterable<Buffer>) {
      total += piece.length;
      if (total > limits.maxBytes) throw tooLarge(limits.maxBytes);
      decodeOrThrow(decoder, piece, true);
      pending.push(piece);
      pendingBytes += piece.length;
      while (pendingBytes >= chunkBytes) await flushFull();
    }
    decodeOrThrow(decoder, Buffer.alloc(0), false);
    if (total === 0) throw new AppError('empty-body', 'The file is empty.', { status: 400 });
    if (pendingBytes > 0 || seq === 0) await flush(true);
    return columns;
  } catch (error) {
    await chunks.deleteMany({ jobId });
    throw error;
  }

  /** Writes the first 1 MB of what is pending and keeps the rest. */
  async function flushFull() {
    const data = Buffer.concat(pending);
    pending = [data.subarray(0, chunkBytes)];
    const rest = data.subarray(chunkBytes);
    pendingBytes = chunkBytes;
    await flush(false);
    pending = rest.length ? [rest] : [];
    pendingBytes = rest.length;
  }
}

function decodeOrThrow(decoder: TextDecoder, piece: Buffer, stream: boolean): void {
  try {
    decoder.decode(piece, { stream });
  } catch {
    throw notUtf8();
  }
}
