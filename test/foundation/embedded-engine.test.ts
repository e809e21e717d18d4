import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedDatabase, type EmbeddedOptions } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';

function newDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cim-engine-'));
}

async function start(dataDir: string, mode: EmbeddedOptions['mode']) {
  const database = await startEmbeddedDatabase({
    mode,
    dataDir,
    persistent: true,
    ferretDbBinary: process.env.CIM_FERRETDB_BIN,
    logger: createLogger('silent'),
  });
  return database;
}

async function roundTrip(uri: string, write?: string): Promise<string[]> {
  const client = await MongoClient.connect(uri);
  try {
    const things = client.db('engine_test').collection<{ name: string }>('things');
    if (write) await things.insertOne({ name: write });
    return (await things.find().toArray()).map((thing) => thing.name);
  } finally {
    await client.close();
  }
}

describe('the embedded engine', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('runs FerretDB on PostgreSQL, keeps its data across restarts and remembers it in the data directory', async () => {
    const dataDir = newDataDir();
    dirs.push(dataDir);
    const first = await start(dataDir, 'ferretdb');
    expect(first).toMatchObject({
      engine: 'ferretdb',
      postgresUrl: expect.stringMatching(/^postgres:\/\/.*127\.0\.0\.1/),
    });
    await roundTrip(first.uri, 'kept');
    await first.stop();

    const again = await start(dataDir, 'auto');

    expect(again.engine).toBe('ferretdb');
    expect(await roundTrip(again.uri)).toEqual(['kept']);
    await again.stop();
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'engine.json'), 'utf8'))).toMatchObject({
      engine: 'ferretdb',
    });
  });

  it('keeps a data directory on the engine that created it (SQLite from before), instead of an empty new one', async () => {
    const dataDir = newDataDir();
    dirs.push(dataDir);
    const sqlite = await start(dataDir, 'ferretdb-sqlite');
    await roundTrip(sqlite.uri, 'on sqlite');
    await sqlite.stop();
    fs.rmSync(path.join(dataDir, 'engine.json')); // as a directory from before markers

    const again = await start(dataDir, 'auto');

    expect(again.engine).toBe('ferretdb-sqlite');
    expect(await roundTrip(again.uri)).toEqual(['on sqlite']);
    await again.stop();
  });
});
