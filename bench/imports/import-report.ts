import { importTargets, type ImportBenchReport } from './bench-imports';
import type { ImportRun } from './import-job';
import { screenPopRate } from './screen-pop-latency';

const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

function rate(run: ImportRun, target: number): string {
  return (
    `${run.rows.toLocaleString('en')} rows in ${run.seconds.toFixed(1)} s (upload ${run.uploadSeconds.toFixed(1)} s) = ` +
    `${run.rowsPerSecond.toFixed(0)} rows/s (target ≥ ${target}: ${met(run.rowsPerSecond >= target)}); ` +
    `our RSS at most ${run.peakRssMb.toFixed(0)} MB`
  );
}

/** Whether each of issue 14's import targets was met; `null` where it was not measured. */
export function importTargetsMet(report: ImportBenchReport) {
  const { idle, duringImport } = report.screenPop;
  return {
    create: report.create.rowsPerSecond >= importTargets.createRowsPerSecond,
    upsert: report.upsert.rowsPerSecond >= importTargets.upsertRowsPerSecond,
    screenPopP99: duringImport.p99Ms <= importTargets.p99Ratio * idle.p99Ms,
    largeFileRss: report.largeFile ? report.largeFile.peakRssMb <= importTargets.largeFileRssMb : null,
  };
}

export function formatImports(report: ImportBenchReport): string {
  const { idle, duringImport } = report.screenPop;
  const targets = importTargetsMet(report);
  const lines = [
    `import (CSV, ${report.rows.toLocaleString('en')} rows: names, two phones, unique email and account number, an enum)`,
    `  create:  ${rate(report.create, importTargets.createRowsPerSecond)}`,
    `  upsert:  ${rate(report.upsert, importTargets.upsertRowsPerSecond)} — matchOn accountNo, every row changed`,
    `  screen pop at ${screenPopRate}/s: p99 ${idle.p99Ms.toFixed(1)} ms idle, ${duringImport.p99Ms.toFixed(1)} ms during the upsert ` +
      `(${(duringImport.p99Ms / Math.max(idle.p99Ms, 0.1)).toFixed(1)}×; target ≤ ${importTargets.p99Ratio}×: ${met(targets.screenPopP99)}); ` +
      `p50 ${idle.p50Ms.toFixed(1)} / ${duringImport.p50Ms.toFixed(1)} ms; non-2xx ${duringImport.non2xx}, errors ${duringImport.errors}`,
  ];
  const large = report.largeFile;
  if (large) {
    lines.push(
      `  large file: ${large.fileRows.toLocaleString('en')} rows uploaded in ${large.uploadSeconds.toFixed(1)} s, ` +
        `${large.rows.toLocaleString('en')} processed in the ${large.watchedSeconds.toFixed(0)} s watched; ` +
        `our RSS at most ${large.peakRssMb.toFixed(0)} MB (target ≤ ${importTargets.largeFileRssMb}: ${met(targets.largeFileRss!)})`,
    );
  }
  return lines.join('\n');
}
