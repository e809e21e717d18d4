import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedOptions } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';

/** One database server for the whole run; each test file then uses its own database on it. */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.CIM_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-test-db-'));
  const mode = (process.env.CIM_EMBEDDED_DB ?? 'auto') as EmbeddedOptions['mode'];
  const database = await startEmbeddedDatabase({
    mode,
    dataDir,
    persistent: false,
    ferretDbBinary: process.env.CIM_FERRETDB_BIN,
    logger: createLogger(process.env.CIM_TEST_LOG_LEVEL ?? 'warn'),
  });
  process.env.CIM_TEST_MONGODB_URI = database.uri;
  process.env.CIM_TEST_ENGINE = database.engine;
  if (database.postgresUrl) process.env.CIM_TEST_POSTGRES_URL = database.postgresUrl;
  (globalThis as Record<string, unknown>).cimTestDatabase = { database, dataDir };
}
