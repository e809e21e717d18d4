import { Transform, type TransformCallback } from 'node:stream';

/** The longest row (CSV record or NDJSON line) a job reads whole; a contact of 100 attributes fits well within it. */
export const maxRowBytes = 1024 * 1024;

const quote = 0x22;
const cr = 0x0d;
const lf = 0x0a;
// In CSV, the cut part's line breaks are kept inside a quoted cell of their own, so later rows keep their numbers.
const openCell = Buffer.from(',"');
const closeCell = Buffer.from('"');

/**
 * Passes a file on with every row longer than maxRowBytes cut to that length, so that neither csv-parse nor
 * readline ever holds more of one row (csv-parse's max_record_size stops the file instead). The rows cut are
 * remembered by their first line, for the reader to reject; their line breaks are kept and, in CSV, their quotes
 * balanced.
 */
export class RowCap extends Transform {
  private readonly cutRows = new Set<number>();
  private line = 1;
  private afterCr = false;
  private quoting = false;
  private rowStarted = false;
  private rowLine = 1;
  private rowBytes = 0;
  private cutting = false;
  private out: Buffer[] = [];

  constructor(private readonly format: 'csv' | 'ndjson') {
    super();
  }

  /** Whether the row that starts at this line was cut; asked once per row. */
  wasCut(line: number): boolean {
    return this.cutRows.delete(line);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let from = 0;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      const isBreak = byte === cr || byte === lf;
      if (isBreak && !(byte === lf && this.afterCr)) this.line++;
      this.afterCr = byte === cr;
      const wasQuoting = this.quoting;
      if (byte === quote && this.format === 'csv') this.quoting = !this.quoting;
      if (isBreak && !this.quoting) {
        if (this.cutting) {
          this.endCut();
          from = index;
        }
        this.rowStarted = false;
        this.rowBytes = 0;
        continue;
      }
      if (this.cutting) {
        if (isBreak) this.out.push(chunk.subarray(index, index + 1));
        continue;
      }
      if (!this.rowStarted) [this.rowStarted, this.rowLine] = [true, this.line];
      if (++this.rowBytes <= maxRowBytes) continue;
      this.out.push(chunk.subarray(from, index));
      this.startCut(wasQuoting);
    }
    if (!this.cutting) this.out.push(chunk.subarray(from));
    this.pushOut();
    done();
  }

  override _flush(done: TransformCallback): void {
    // A quote still open at the end is left open: the parser then fails the job as it would on an uncut file.
    if (this.cutting && !this.quoting) this.endCut();
    this.pushOut();
    done();
  }

  private startCut(quoting: boolean): void {
    this.cutting = true;
    this.cutRows.add(this.rowLine);
    if (this.format === 'csv' && !quoting) this.out.push(openCell);
  }

  private endCut(): void {
    this.cutting = false;
    if (this.format === 'csv') this.out.push(closeCell);
  }

  private pushOut(): void {
    if (this.out.length) this.push(Buffer.concat(this.out));
    this.out = [];
  }
}
