import type { RowCounter } from './row-counter';

const redrawEveryMs = 200;

/**
 * A live line on stderr while the export arrives (only on a terminal: a log file gets no carriage returns), and
 * one summary line at the end in every case. stdout carries the data alone.
 */
export class TransferReport {
  private readonly startedAt = performance.now();
  private drawnAt = 0;
  private drawn = false;

  constructor(
    private readonly counter: RowCounter,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    if (stderr.isTTY) counter.on('data', () => this.redraw());
  }

  finish(destination: string): void {
    this.clearLine();
    const seconds = this.elapsedSeconds();
    this.stderr.write(
      `exported ${this.counter.rows} rows (${formatBytes(this.counter.bytes)}) to ${destination} ` +
        `in ${seconds.toFixed(1)} s, ${formatRate(this.counter.rows, seconds)} rows/s\n`,
    );
  }

  abandon(): void {
    this.clearLine();
  }

  private redraw(): void {
    const now = performance.now();
    if (now - this.drawnAt < redrawEveryMs) return;
    this.drawnAt = now;
    this.drawn = true;
    const { rows, bytes } = this.counter;
    this.stderr.write(
      `\r\x1b[Kexporting… ${rows} rows, ${formatBytes(bytes)}, ${formatRate(rows, this.elapsedSeconds())} rows/s`,
    );
  }

  private clearLine(): void {
    if (this.drawn) this.stderr.write('\r\x1b[K');
  }

  private elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }
}

function formatRate(rows: number, seconds: number): string {
  return seconds > 0 ? String(Math.round(rows / seconds)) : '–';
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
