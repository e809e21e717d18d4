import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { startTestApp, type TestApp } from '../support/test-app';

describe('GET /ready when the database stops', () => {
  let database: EmbeddedDatabase;
  let t: TestApp;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-ready-'));

  beforeAll(async () => {
    database = await startEmbeddedDatabase({
      mode: process.env.CIM_TEST_ENGINE === 'mongod' ? 'mongod' : 'ferretdb',
      dataDir,
      persistent: false,
      logger: createLogger('silent'),
    });
    t = await startTestApp({ uri: database.uri, env: { CIM_READY_TIMEOUT_MS: '500' } });
  });
  afterAll(async () => {
    await t.db.connection.close(true).catch(() => undefined);
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 200 while the database runs and 503 problem details once it is gone', async () => {
    await t.http.get('/ready').expect(200);
    await database.stop();
    const res = await t.http.get('/ready').expect(503);
    expect(res.body).toMatchObject({ status: 503, type: 'urn:cim:problem:not-ready' });
    await t.http.get('/health').expect(200);
  });
});
