import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { Connection, Types } from 'mongoose';
import { cellValueOf } from '../values/csv-cell';
import { chunksCollection } from './import-job';
import type { ChunkDocument } from './import-upload';
import { maxRowBytes, RowCap } from './row-cap';

/** One record of the file: its line number, and its members by column, or why it cannot be read. */
export interface ImportRow {
  row: number;
  input: Record<string, unknown>;
  /** Set when the record itself is malformed (a ragged CSV row, a line that is not a JSON object). */
  problem?: string;
}

// The parsers get the file in slices this small: parsing a whole 1 MB chunk at once holds the event loop for
// long enough to delay the API requests (screen pops) that arrive meanwhile.
const sliceBytes = 64 * 1024;

/**
 * The stored file again, chunk by chunk (each read by its `{jobId, seq}`: a point lookup on every engine, where a
 * sorted find makes FerretDB read every chunk of the job first), as a byte stream.
 */
function storedFile(connection: Connection, jobId: Types.ObjectId): Readable {
  const chunks = connection.collection<ChunkDocument>(chunksCollection);
  return Readable.from(
    (async function* () {
      for (let seq = 0; ; seq++) {
        const chunk = await chunks.findOne({ jobId, seq });
        if (!chunk) return;
        const data = Buffer.from(chunk.data.buffer);
        for (let at = 0; at < data.length; at += sliceBytes) yield data.subarray(at, at + sliceBytes);
      }
    })(),
  );
}

const tooLong = `is longer than ${maxRowBytes} bytes; it is cut in the rejects`;

/**
 * CSV records as objects by header column. A record with another number of cells than the header, one cut for
 * its length, or the header again (files joined together) is a problem. CRLF, LF and CR all end a record, even
 * mixed in one file.
 */
async function* csvRows(file: Readable): AsyncGenerator<ImportRow> {
  const cap = new RowCap('csv');
  // The column count is checked here, not by the parser, so a ragged row is rejected and the file read on.
  const options = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true };
  const parser = file.pipe(cap).pipe(parse({ ...options, record_delimiter: ['\r\n', '\n', '\r'] }));
  let header: string[] | undefined;
  // Lines counted here: csv-parse counts a CRLF inside quotes as two lines.
  let nextLine = 1;
  let lastEmpty = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { empty_lines: number } }>) {
    const row = nextLine + (info.empty_lines - lastEmpty);
    nextLine = row + 1 + newlinesIn(record);
    lastEmpty = info.empty_lines;
    if (!header) {
      header = record.map((column) => column.trim());
      continue;
    }
    const problem = cap.wasCut(row) ? tooLong : recordProblem(record, header);
    if (problem) {
      const cells = Object.fromEntries(record.map((cell, index) => [header![index] ?? `column ${index + 1}`, cell]));
      yield { row, input: cells, problem };
    } else
      yield { row, input: Object.fromEntries(header.map((column, index) => [column, cellValueOf(record[index])])) };
  }
}

function recordProblem(record: string[], header: string[]): string | undefined {
  if (record.length !== header.length) {
    return `has ${record.length} ${record.length === 1 ? 'cell' : 'cells'} where the header has ${header.length}`;
  }
  const repeated = record.every((cell, index) => cell.replace(/^\uFEFF/, '').trim() === header[index]);
  return repeated ? 'repeats the header' : undefined;
}

/** NDJSON lines as objects; blank lines are skipped, a line that is not a JSON object is a problem. */
async function* ndjsonRows(file: Readable): AsyncGenerator<ImportRow> {
  const cap = new RowCap('ndjson');
  let row = 0;
  for await (const line of createInterface({ input: file.pipe(cap), crlfDelay: Infinity })) {
    row++;
    const text = row === 1 ? line.replace(/^\uFEFF/, '') : line;
    if (cap.wasCut(row)) {
      yield { row, input: { line: text.slice(0, 1000) }, problem: tooLong };
      continue;
    }
    if (!text.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      yield { row, input: { line: text.slice(0, 1000) }, problem: 'is not valid JSON' };
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      yield { row, input: { line: text.slice(0, 1000) }, problem: 'is not a JSON object' };
    } else yield { row, input: parsed as Record<string, unknown> };
  }
}

export function rowsOf(connection: Connection, jobId: Types.ObjectId, format: 'csv' | 'ndjson') {
  const file = storedFile(connection, jobId);
  return format === 'csv' ? csvRows(file) : ndjsonRows(file);
}

function newlinesIn(record: string[]): number {
  return record.reduce((count, cell) => count + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
}
