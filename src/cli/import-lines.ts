import type { ImportJobResponse } from '../imports/import-job';
import { progressBar } from './progress-bar';
import { formatBytes, formatRate } from './units';

// Progress lines fit an 80-column terminal for files of up to some 100,000 rows; the summary spells the counts out.
const barWidth = 12;

/** The progress line while the file goes up. */
export function uploadLine(sent: number, total: number): string {
  const fraction = total > 0 ? sent / total : 1;
  return `uploading ${progressBar(fraction, barWidth)} ${formatBytes(sent)} of ${formatBytes(total)}`;
}

/**
 * The progress line while the job runs. The job does not know how many rows the file holds: `fileRows` is the
 * count of records the CLI saw while uploading (line ends outside quotes), an upper bound since blank lines count.
 */
export function jobLine(job: ImportJobResponse, fileRows: number, seconds: number): string {
  const { processed, created, updated, unchanged, rejected } = job.rows;
  const bar = progressBar(fileRows > 0 ? processed / fileRows : 0, barWidth);
  return (
    `${job.status === 'queued' ? 'queued   ' : 'importing'} ${bar} ${processed}/~${fileRows} rows` +
    ` · ${created} new ${updated} upd ${unchanged} same ${rejected} rej · ${formatRate(processed, seconds)}/s` +
    ` ${seconds.toFixed(0)} s`
  );
}

/** The one line that always ends an import: status, counts, time, speed, and where the rejected rows went. */
export function summaryLine(job: ImportJobResponse, seconds: number, rejectsFile?: string): string {
  const dryRun = job.dryRun ? ' (dry run: nothing written)' : '';
  const rejects = rejectsFile ? `; the rejected rows and why are in ${rejectsFile}` : '';
  return (
    `import ${job.id} ${job.status}${dryRun}: ${job.rows.processed} rows, ${counts(job)} ` +
    `in ${seconds.toFixed(1)} s, ${formatRate(job.rows.processed, seconds)} rows/s${rejects}`
  );
}

function counts({ rows }: ImportJobResponse): string {
  return `${rows.created} created, ${rows.updated} updated, ${rows.unchanged} unchanged, ${rows.rejected} rejected`;
}
