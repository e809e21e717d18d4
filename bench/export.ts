import { memoryOf } from './servers/process-stats';
import type { ServerProcess } from './servers/launch';

export interface ExportReport {
  format: 'csv';
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Our server's resident memory before the export and at its end: flat when the export streams. */
  rssBeforeMb: number;
  rssAfterMb: number;
}

/** Target of issue 14: 200,000 contacts at ≥ 20,000 rows/s with flat memory. */
const exportTargetRowsPerSecond = 20_000;

/** Reads GET /contacts/export?format=csv to its end, counting rows as they arrive. */
export async function measureExport(our: ServerProcess, apiKey: string): Promise<ExportReport> {
  const rssBeforeMb = memoryOf(our.pid).rssMb;
  const started = performance.now();
  const res = await fetch(`${our.url}/contacts/export?format=csv`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!res.ok || !res.body) throw new Error(`GET /contacts/export answered ${res.status}: ${await res.text()}`);
  let lineBreaks = 0;
  let rssAfterMb = rssBeforeMb;
  for await (const chunk of res.body) {
    for (const byte of chunk as Uint8Array) if (byte === 10) lineBreaks++;
    rssAfterMb = Math.max(rssAfterMb, memoryOf(our.pid).rssMb);
  }
  const seconds = (performance.now() - started) / 1000;
  // CSV rows may hold quoted line breaks; the bench data set has none. One line is the header.
  const rows = lineBreaks - 1;
  return { format: 'csv', rows, seconds, rowsPerSecond: rows / seconds, rssBeforeMb, rssAfterMb };
}

export function formatExport(report: ExportReport): string {
  const met = report.rowsPerSecond >= exportTargetRowsPerSecond ? 'met' : 'MISSED';
  return (
    `export (CSV): ${report.rows.toLocaleString('en')} rows in ${report.seconds.toFixed(1)} s = ` +
    `${report.rowsPerSecond.toFixed(0)} rows/s (target ≥ ${exportTargetRowsPerSecond.toLocaleString('en')}: ${met}); ` +
    `our RSS ${report.rssBeforeMb.toFixed(0)} MB before, at most ${report.rssAfterMb.toFixed(0)} MB during`
  );
}
