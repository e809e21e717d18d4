import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { ImportJobResponse } from '../imports/import-job';
import { askServer, urlOf, type CimServer } from './cim-server';
import type { InputFile } from './import-file';
import { RowCounter } from './row-counter';

export interface ImportOptions {
  mode?: string;
  matchOn?: string;
  dryRun: boolean;
}

interface Upload {
  job: ImportJobResponse;
  /** The records the file holds, as counted on the way up. */
  fileRows: number;
}

/** POST /imports with the file streamed as the body; `onProgress` hears the bytes as the server takes them. */
export async function uploadFile(
  server: CimServer,
  input: InputFile,
  options: ImportOptions,
  onProgress: (sent: number) => void,
): Promise<Upload> {
  const url = urlOf(server, 'imports', {
    mode: options.mode,
    matchOn: options.matchOn,
    dryRun: options.dryRun ? 'true' : undefined,
  });
  const counter = new RowCounter(input.csv);
  const file = fs.createReadStream('', { fd: input.fd });
  counter.on('data', () => onProgress(counter.bytes));
  file.on('error', (error) => counter.destroy(error));
  const response = await askServer(server, url, 'import', {
    method: 'POST',
    headers: { 'Content-Type': input.contentType, 'Content-Length': String(input.size) },
    body: Readable.toWeb(file.pipe(counter)) as globalThis.ReadableStream<Uint8Array>,
    duplex: 'half',
  });
  return { job: (await response.json()) as ImportJobResponse, fileRows: counter.rowsAtEnd };
}

export async function fetchJob(server: CimServer, id: string): Promise<ImportJobResponse> {
  const response = await askServer(server, urlOf(server, `imports/${id}`), 'import');
  return (await response.json()) as ImportJobResponse;
}

/** GET /imports/{id}/rejects, streamed into `file`. */
export async function saveRejects(server: CimServer, id: string, file: string): Promise<void> {
  const response = await askServer(server, urlOf(server, `imports/${id}/rejects`), 'import');
  await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), fs.createWriteStream(file));
}
