import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
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
    return { uri: external, ...described, started: false, stop: () => Promise.resolve() };
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
    return {
      uri: database.uri,
      kind: described.kind,
      name: `${described.name} on embedded ${database.postgresVersion}`,
      postgresUrl: database.postgresUrl,
      started: true,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
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
