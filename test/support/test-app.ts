import { randomBytes } from 'node:crypto';
import { createApp, type CimApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connection';
import { createLogger, type Logger } from '../../src/logger';
import { contractCheckedAgent, type HttpAgent } from './contract-checked-agent';

export interface TestApp {
  /** supertest on the app; every response is validated against openapi.yaml (./contract-checked-agent). */
  http: HttpAgent;
  cim: CimApp;
  db: DatabaseHandle;
  config: Config;
  dbName: string;
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  /** Share a database with another app instance (multi-instance tests). */
  dbName?: string;
  env?: Record<string, string>;
  logger?: Logger;
  uri?: string;
  /** FerretDB's PostgreSQL of the engine at `uri`; without `uri`, that of the suite's engine. */
  postgresUrl?: string;
  /** Leave out FerretDB's PostgreSQL (as when CIM runs on a FerretDB it did not start): everything via FerretDB. */
  withoutEnginePostgres?: boolean;
}

/** A test that needs FerretDB's own PostgreSQL (the suite's embedded FerretDB engine); skipped on other engines. */
export const onFerretDbTable = process.env.CIM_TEST_POSTGRES_URL ? it : it.skip;

/** A fresh database name per test file, so files run in parallel without seeing each other's data. */
export function uniqueDbName(): string {
  const file = expect.getState().testPath?.split('/').pop()?.replace(/\W/g, '_').slice(0, 30) ?? 'test';
  return `t_${file}_${randomBytes(4).toString('hex')}`;
}

export function testDatabaseUri(): string {
  const uri = process.env.CIM_TEST_MONGODB_URI;
  if (!uri) throw new Error('CIM_TEST_MONGODB_URI is not set: run the tests through jest (npm test)');
  return uri;
}

/** The real app on the real database engine, reached through HTTP with supertest. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env });
  const dbName = options.dbName ?? uniqueDbName();
  const db = await connectDatabase(options.uri ?? testDatabaseUri(), dbName, {
    postgresUrl: options.withoutEnginePostgres
      ? undefined
      : options.uri
        ? options.postgresUrl
        : process.env.CIM_TEST_POSTGRES_URL,
  });
  const cim = await createApp({ db, config, logger: options.logger ?? createLogger('silent') });
  return {
    http: contractCheckedAgent(cim.app),
    cim,
    db,
    config,
    dbName,
    close: async ({ keepDatabase = false } = {}) => {
      await cim.close();
      if (!keepDatabase) await db.connection.dropDatabase().catch(() => undefined);
      await db.connection.close();
    },
  };
}
