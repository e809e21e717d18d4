const redrawEveryMs = 200;

/**
 * One line on stderr redrawn in place, only when stderr is a terminal: a log file gets no carriage returns. Cut to
 * the terminal's width, since a wrapped line cannot be redrawn.
 */
export class LiveLine {
  private drawnAt = 0;
  private drawn = false;

  constructor(private readonly stderr: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.stderr.isTTY === true;
  }

  /** Draws the text at most every 200 ms, unless `now`; `text` is only called when the line is drawn. */
  draw(text: () => string, now = false): void {
    if (!this.enabled) return;
    const time = performance.now();
    if (!now && time - this.drawnAt < redrawEveryMs) return;
    this.drawnAt = time;
    this.drawn = true;
    const width = Math.max(20, (this.stderr.columns || 80) - 1);
    this.stderr.write(`\r\x1b[K${text().slice(0, width)}`);
  }

  clear(): void {
    if (this.drawn) this.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
