import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { startEmbeddedDatabase } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';

export interface BenchEngine {
  uri: string;
  /** What the report calls it: `FerretDB v1.24.2 on PostgreSQL 16.14`, `MongoDB 7.0.12`. */
  name: string;
  kind: 'mongodb' | 'ferretdb';
  /** Where our server adds FerretDB's GIN indexes at start-up (CIM_FERRETDB_POSTGRES_URL), as npm start does. */
  postgresUrl?: string;
  /** False when the bench uses an engine it did not start (MONGODB_URI). */
  started: boolean;
  stop(): Promise<void>;
}

/**
 * MONGODB_URI when set; otherwise exactly the engine `npm start` runs — the same module starts FerretDB on the
 * embedded PostgreSQL, crash-safe settings and all — in a temporary data directory removed by `stop`.
 */
export async function startEngine(): Promise<BenchEngine> {
  const external = process.env.MONGODB_URI;
  if (external) {
    const described = await describeEngine(external);
    return { uri: external, ...described, started: false, stop: async () => undefined };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-bench-db-'));
  const database = await startEmbeddedDatabase({
    mode: 'ferretdb',
    dataDir,
    persistent: true,
    ferretDbBinary: process.env.CIM_FERRETDB_BIN,
    logger: createLogger('warn'),
  });
  const stop = async () => {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const described = await describeEngine(database.uri);
    const postgres = await postgresVersion(database.postgresUrl!);
    return {
      uri: database.uri,
      kind: described.kind,
      name: `${described.name} on embedded ${postgres}`,
      postgresUrl: database.postgresUrl,
      started: true,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0].server_version}`;
  } finally {
    await client.end();
  }
}

async function describeEngine(uri: string): Promise<{ name: string; kind: BenchEngine['kind'] }> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    if (typeof info.ferretdbVersion === 'string') {
      const backend = process.env.MONGODB_URI ? ' (backend not known to the bench)' : '';
      return { kind: 'ferretdb', name: `FerretDB ${info.ferretdbVersion}${backend}` };
    }
    return { kind: 'mongodb', name: `MongoDB ${String(info.version)}` };
  } finally {
    await client.close();
  }
}
