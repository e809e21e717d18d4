import { Transform } from 'node:stream';

/**
 * Counts the records of an export as its bytes pass. NDJSON escapes newlines inside values, so a record is a line;
 * a CSV cell may hold a line break inside quotes, so CSV counts only the line ends outside quotes (an escaped
 * quote `""` toggles twice) and leaves out the header row.
 */
export class RowCounter extends Transform {
  lines = 0;
  bytes = 0;
  private insideQuotes = false;
  private lastByte: number | undefined;

  constructor(private readonly csv: boolean) {
    super();
  }

  get rows(): number {
    return this.csv ? Math.max(0, this.lines - 1) : this.lines;
  }

  /** Once the stream has ended: a last line without a line break is a row too. */
  get rowsAtEnd(): number {
    return this.rows + (this.lastByte !== undefined && this.lastByte !== 0x0a && (this.lines > 0 || !this.csv) ? 1 : 0);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    for (const byte of chunk) {
      if (this.csv && byte === 0x22) this.insideQuotes = !this.insideQuotes;
      else if (byte === 0x0a && !this.insideQuotes) this.lines += 1;
    }
    if (chunk.length) this.lastByte = chunk[chunk.length - 1];
    this.push(chunk);
    done();
  }
}
