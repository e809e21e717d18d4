import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { startTestApp, testDatabaseUri, type TestApp, onFerretDbTable } from '../support/test-app';

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
    const engine = { uri: database.uri, postgresUrl: database.postgresUrl };
    t = await startTestApp({ ...engine, env: { CIM_READY_TIMEOUT_MS: '500' } });
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

/** A TCP relay to the suite's PostgreSQL that can be cut: FerretDB stays up while CIM loses its direct reads. */
async function cuttableRelayTo(postgresUrl: string) {
  const target = new URL(postgresUrl);
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const url = new URL(postgresUrl);
  url.port = String((relay.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    cut: () => new Promise((resolve) => (sockets.forEach((socket) => socket.destroy()), relay.close(resolve))),
  };
}

describe('search when FerretDB’s PostgreSQL cannot be read directly', () => {
  onFerretDbTable('answers 503 database-unavailable with Retry-After, never 500', async () => {
    const relay = await cuttableRelayTo(process.env.CIM_TEST_POSTGRES_URL!);
    const t = await startTestApp({ uri: testDatabaseUri(), postgresUrl: relay.url });
    try {
      await t.http.post('/saveContact').send({ first_name: 'Relay', phone1: '+14155550123' }).expect(200);
      await t.http.get('/contacts/lookup?ani=%2B14155550123').expect(200);
      await relay.cut();
      const res = await t.http.get('/contacts/lookup?ani=%2B14155550123').expect(503);
      expect(res.body).toMatchObject({ status: 503, type: 'urn:cim:problem:database-unavailable' });
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await t.close();
    }
  });
});
