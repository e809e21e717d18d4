import type { ImportJobResponse } from '../imports/import-job';
import { jobLine, summaryLine, uploadLine } from './import-lines';
import { LiveLine } from './live-line';
import { secondsSince } from './units';

/** Progress of an import on stderr (only on a terminal), and its summary line at the end in every case. */
export class ImportReport {
  private readonly startedAt = performance.now();
  private followedAt = this.startedAt;
  private fileRows = 0;
  private readonly line: LiveLine;

  constructor(private readonly stderr: NodeJS.WriteStream = process.stderr) {
    this.line = new LiveLine(stderr);
  }

  uploading(sent: number, total: number): void {
    this.line.draw(() => uploadLine(sent, total), sent === total);
  }

  /** The file is up: from now on the bar shows rows, against the `fileRows` the upload counted. */
  uploaded(fileRows: number): void {
    this.fileRows = fileRows;
    this.followedAt = performance.now();
  }

  following(job: ImportJobResponse): void {
    this.line.draw(() => jobLine(job, this.fileRows, secondsSince(this.followedAt)), true);
  }

  finish(job: ImportJobResponse, rejectsFile?: string): void {
    this.line.clear();
    this.stderr.write(`${summaryLine(job, secondsSince(this.startedAt), rejectsFile)}\n`);
  }

  abandon(): void {
    this.line.clear();
  }
}
