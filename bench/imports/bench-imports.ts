import path from 'node:path';
import { connectDatabase } from '../../src/db/connection';
import type { BenchEngine } from '../engine';
import { startOurServer, type ServerProcess } from '../servers/launch';
import { postJson } from '../servers/post-json';
import { importAttributes, importRow, writeImportFile } from './import-file';
import { runImport, type ImportRun } from './import-job';
import { screenPopLatency, type LatencySample } from './screen-pop-latency';

export interface ImportBenchOptions {
  rows: number;
  /** Rows of the large file whose upload and first minute of processing are watched for memory; 0 skips it. */
  largeRows: number;
  seed: number;
  /** Seconds of screen pops on the idle server, the baseline of the p99 during the upsert. */
  idleSeconds: number;
  mode: 'dist' | 'tsx';
  dbName: string;
  logLevel: string;
}

/** Issue 14's targets, on the embedded engine, 2 cores. */
export const importTargets = { createRowsPerSecond: 1_000, upsertRowsPerSecond: 800, largeFileRssMb: 300, p99Ratio: 2 };

export interface ImportBenchReport {
  rows: number;
  create: ImportRun;
  upsert: ImportRun;
  screenPop: { idle: LatencySample; duringImport: LatencySample };
  largeFile?: ImportRun & { fileRows: number; watchedSeconds: number };
}

const largeFileWatchSeconds = 60;

/**
 * Issue 14's import measurements, in a database of their own: a create of `rows` rows, screen pops at a call
 * centre's rate while idle and while an upsert of the same rows (every one changed) runs, and the memory of
 * a large file's upload and first minute. Through the HTTP API of the server `npm start` runs.
 */
export async function benchImports(
  engine: BenchEngine,
  options: ImportBenchOptions,
  apiKey: string,
  workDir: string,
): Promise<ImportBenchReport> {
  const dbName = `${options.dbName}_import`;
  const db = await connectDatabase(engine.uri, dbName);
  await db.connection.dropDatabase();
  await db.connection.close();
  const server = await startOurServer({
    uri: engine.uri,
    dbName,
    postgresUrl: engine.postgresUrl,
    mode: options.mode,
    apiKey,
    logLevel: options.logLevel,
    logFile: path.join(workDir, 'our-import.log'),
    env: { CIM_IMPORT_MAX_BYTES: String(2 * 1024 ** 3) },
  });
  try {
    for (const attribute of importAttributes) await postJson(server, apiKey, '/saveSchema', attribute);
    return await measure(server, options, apiKey, workDir);
  } finally {
    await server.stop();
    if (!engine.started) {
      const cleanup = await connectDatabase(engine.uri, dbName);
      await cleanup.connection.dropDatabase();
      await cleanup.connection.close();
    }
  }
}

async function measure(server: ServerProcess, options: ImportBenchOptions, apiKey: string, workDir: string) {
  const file = async (revision: number, firstRow = 0, rows = options.rows) => {
    const filePath = path.join(workDir, `import-${rows}-${firstRow}-${revision}.csv`);
    await writeImportFile({ rows, firstRow, revision, seed: options.seed }, filePath);
    return filePath;
  };
  console.log(`import: creating ${options.rows} contacts from CSV…`);
  const create = await runImport(server, apiKey, await file(0), 'mode=create');
  console.log(`import: ${create.rowsPerSecond.toFixed(0)} rows/s; screen pops while idle…`);
  const anis = Array.from(
    { length: Math.min(options.rows, 2_000) },
    (_, index) => importRow(index, 0, options.seed).ani,
  );
  const idle = await screenPopLatency(server, apiKey, anis, options.idleSeconds);
  console.log(`import: upserting ${options.rows} rows (each changed), screen pops meanwhile…`);
  const upsertFile = await file(1);
  const upserting = runImport(server, apiKey, upsertFile, 'mode=upsert&matchOn=accountNo');
  const duringImport = await screenPopLatency(server, apiKey, anis, 24 * 3600, upserting);
  const upsert = await upserting;
  console.log(`import: ${upsert.rowsPerSecond.toFixed(0)} rows/s`);
  if (!options.largeRows) return { rows: options.rows, create, upsert, screenPop: { idle, duringImport } };
  console.log(`import: a ${options.largeRows}-row file, its upload and first ${largeFileWatchSeconds} s…`);
  const large = await runImport(
    server,
    apiKey,
    await file(0, options.rows, options.largeRows),
    'mode=create',
    largeFileWatchSeconds,
  );
  const largeFile = { ...large, fileRows: options.largeRows, watchedSeconds: large.seconds - large.uploadSeconds };
  return { rows: options.rows, create, upsert, screenPop: { idle, duringImport }, largeFile };
}
