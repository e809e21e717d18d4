import { lookup } from 'node:dns/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../logger';
import { startFerretDb } from './ferretdb';
import { startMongod } from './mongod';
import type { EmbeddedDatabase } from './types';

export type { EmbeddedDatabase } from './types';

export interface EmbeddedOptions {
  mode: 'auto' | 'mongod' | 'ferretdb';
  dataDir: string;
  /** Keep the data after stop (npm start); tests pass false. */
  persistent: boolean;
  ferretDbBinary?: string;
  logger: Logger;
}

/** Starts a local MongoDB-compatible server: mongod where one can be had, FerretDB otherwise. */
export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const started = Date.now();
  const database = await startPreferredEngine(options);
  options.logger.info(
    { engine: database.engine, dataDir: database.dataDir, ms: Date.now() - started },
    `embedded ${database.engine} started in ${Date.now() - started} ms, data in ${database.dataDir}`,
  );
  return database;
}

async function startPreferredEngine(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const ferretDb = () =>
    startFerretDb({ dataDir: options.dataDir, binary: options.ferretDbBinary, logger: options.logger });
  if (options.mode === 'ferretdb') return ferretDb();
  if (options.mode === 'mongod') return startMongod(options);
  if (!(await mongodObtainable())) {
    options.logger.info('no mongod binary and no route to its download site: starting FerretDB');
    return ferretDb();
  }
  try {
    return await startMongod(options);
  } catch (error) {
    options.logger.info({ reason: (error as Error).message }, 'no mongod available, starting FerretDB instead');
    return ferretDb();
  }
}

/** A system or cached mongod, or a download site whose name resolves; avoids a slow doomed download. */
async function mongodObtainable(): Promise<boolean> {
  if (process.env.MONGOMS_SYSTEM_BINARY) return true;
  const cache = path.join(os.homedir(), '.cache/mongodb-binaries');
  if (fs.existsSync(cache) && fs.readdirSync(cache).length > 0) return true;
  const mirror = process.env.MONGOMS_DOWNLOAD_MIRROR ?? 'https://fastdl.mongodb.org';
  try {
    await lookup(new URL(mirror).hostname);
    return true;
  } catch {
    return false;
  }
}
