import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { Connection, Types } from 'mongoose';
import { chunksCollection } from './import-job';
import type { ChunkDocument } from './import-upload';

/** One record of the file: its line number, and its members by column, or why it cannot be read. */
export interface ImportRow {
  row: number;
  input: Record<string, unknown>;
  /** Set when the record itself is malformed (a ragged CSV row, a line that is not a JSON object). */
  problem?: string;
}

/** The stored file again, chunk by chunk, as a byte stream. */
function storedFile(connection: Connection, jobId: Types.ObjectId): Readable {
  const chunks = connection
    .collection<ChunkDocument>(chunksCollection)
    .find({ jobId }, { sort: { seq: 1 }, batchSize: 2 });
  return Readable.from(
    (async function* () {
      for await (const chunk of chunks) yield Buffer.from(chunk.data.buffer);
    })(),
  );
}

/** CSV records as objects by header column; a record with another number of cells than the header is a problem. */
async function* csvRows(file: Readable): AsyncGenerator<ImportRow> {
  // The column count is checked here, not by the parser, so a ragged row is rejected and the file read on.
  const parser = file.pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }));
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
    const input = Object.fromEntries(header.map((column, index) => [column, record[index] ?? '']));
    if (record.length !== header.length) {
      const cells = Object.fromEntries(record.map((cell, index) => [header![index] ?? `column ${index + 1}`, cell]));
      yield { row, input: cells, problem: `has ${record.length} cells where the header has ${header.length}` };
    } else yield { row, input };
  }
}

/** NDJSON lines as objects; blank lines are skipped, a line that is not a JSON object is a problem. */
async function* ndjsonRows(file: Readable): AsyncGenerator<ImportRow> {
  let row = 0;
  for await (const line of createInterface({ input: file, crlfDelay: Infinity })) {
    row++;
    const text = row === 1 ? line.replace(/^\uFEFF/, '') : line;
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
