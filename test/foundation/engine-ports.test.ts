import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { startFerretDb } from '../../src/db/embedded/ferretdb';
import { findFreePort } from '../../src/db/embedded/free-port';
import { startEmbeddedPostgres } from '../../src/db/embedded/postgres';
import { createLogger } from '../../src/logger';
import { onFerretDbTable } from '../support/test-app';

async function dataDirectoryOf(postgresUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory;
  } finally {
    await client.end();
  }
}

/**
 * Between finding a port free and an engine binding it, another process can take it: the test suite starts many
 * engines and servers at once. The engine must then start on another port, never hand out the other process's.
 */
describe('an embedded engine whose port was taken before it bound it', () => {
  const logger = createLogger('silent');
  let squatter: net.Server;
  const squatted = new Set<net.Socket>();
  let takenPort: number;
  const dirs: string[] = [];

  beforeAll(async () => {
    // Accepts connections and never speaks, as a half-started server would.
    squatter = net.createServer((socket) => squatted.add(socket));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    takenPort = (squatter.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    squatted.forEach((socket) => socket.destroy());
    await new Promise((resolve) => squatter.close(resolve));
    dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  });

  function newDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-ports-'));
    dirs.push(dir);
    return dir;
  }

  /** This port first, then free ones. */
  function portFirst(port: number): () => Promise<number> {
    let offered = false;
    return () => (offered ? findFreePort() : ((offered = true), Promise.resolve(port)));
  }
  const takenPortFirst = () => portFirst(takenPort);

  onFerretDbTable('PostgreSQL does not take another PostgreSQL on its port for its own', async () => {
    const other = await startEmbeddedPostgres({ dataDir: path.join(newDir(), 'other'), durable: false, logger });
    const dataDir = path.join(newDir(), 'postgres');
    try {
      const ours = await startEmbeddedPostgres({
        dataDir,
        durable: false,
        logger,
        nextPort: portFirst(Number(new URL(other.url).port)),
      });
      try {
        expect(ours.url).not.toBe(other.url);
        expect(await dataDirectoryOf(ours.url)).toBe(dataDir);
      } finally {
        await ours.stop();
      }
    } finally {
      await other.stop();
    }
  });

  onFerretDbTable('FerretDB does not take another FerretDB on its port for its own', async () => {
    const start = (dir: string, nextPort?: () => Promise<number>) =>
      startFerretDb({
        backend: { sqliteDir: dir },
        stateDir: dir,
        binary: process.env.CIM_FERRETDB_BIN,
        logger,
        nextPort,
      });
    const other = await start(newDir());
    try {
      const ours = await start(newDir(), portFirst(Number(new URL(other.uri).port)));
      try {
        expect(ours.uri).not.toBe(other.uri);
      } finally {
        await ours.stop();
      }
    } finally {
      await other.stop();
    }
  });

  onFerretDbTable('PostgreSQL starts on another port, serving its own data directory', async () => {
    const dataDir = path.join(newDir(), 'postgres');
    const postgres = await startEmbeddedPostgres({ dataDir, durable: false, logger, nextPort: takenPortFirst() });
    try {
      expect(new URL(postgres.url).port).not.toBe(String(takenPort));
      expect(await dataDirectoryOf(postgres.url)).toBe(dataDir);
    } finally {
      await postgres.stop();
    }
  });

  onFerretDbTable('FerretDB starts on another port and answers there', async () => {
    const dir = newDir();
    const ferretDb = await startFerretDb({
      backend: { sqliteDir: dir },
      stateDir: dir,
      binary: process.env.CIM_FERRETDB_BIN,
      logger,
      nextPort: takenPortFirst(),
    });
    try {
      expect(new URL(ferretDb.uri).port).not.toBe(String(takenPort));
      const client = await MongoClient.connect(ferretDb.uri, { serverSelectionTimeoutMS: 5_000 });
      await client.db('ports').collection('things').insertOne({ name: 'here' });
      expect(await client.db('ports').collection('things').countDocuments()).toBe(1);
      await client.close();
    } finally {
      await ferretDb.stop();
    }
  });
});
