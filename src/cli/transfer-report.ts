import { LiveLine } from './live-line';
import type { RowCounter } from './row-counter';
import { formatBytes, formatRate, secondsSince } from './units';

/**
 * A live line on stderr while the export arrives (only on a terminal), and one summary line at the end in every
 * case. stdout carries the data alone.
 */
export class TransferReport {
  private readonly startedAt = performance.now();
  private readonly line: LiveLine;

  constructor(
    private readonly counter: RowCounter,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.line = new LiveLine(stderr);
    if (this.line.enabled) counter.on('data', () => this.line.draw(() => this.progress()));
  }

  finish(destination: string): void {
    this.line.clear();
    const seconds = secondsSince(this.startedAt);
    this.stderr.write(
      `exported ${this.counter.rows} rows (${formatBytes(this.counter.bytes)}) to ${destination} ` +
        `in ${seconds.toFixed(1)} s, ${formatRate(this.counter.rows, seconds)} rows/s\n`,
    );
  }

  abandon(): void {
    this.line.clear();
  }

  private progress(): string {
    const { rows, bytes } = this.counter;
    return `exporting… ${rows} rows, ${formatBytes(bytes)}, ${formatRate(rows, secondsSince(this.startedAt))} rows/s`;
  }
}
