import { lookup } from 'node:dns/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../logger';
import { engineOfDataDir, markDataDir } from './engine-marker';
import { startFerretDb } from './ferretdb';
import { startMongod } from './mongod';
import { startEmbeddedPostgres } from './postgres';
import type { EmbeddedDatabase, EngineName } from './types';
import { ensureFerretDbBinary } from './ferretdb-binary';

export type { EmbeddedDatabase } from './types';
export { EngineUnavailableError } from './engine-unavailable-error';

export interface EmbeddedOptions {
  mode: 'auto' | EngineName;
  dataDir: string;
  /** Keep the data, crash-safe (npm start, the bench); tests pass false. */
  persistent: boolean;
  ferretDbBinary?: string;
  logger: Logger;
}

/**
 * Starts a local MongoDB-compatible server: the engine the data directory was created with, else mongod where
 * one can be had, else FerretDB on an embedded PostgreSQL.
 */
export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const started = Date.now();
  const database = await startChosenEngine(options);
  markDataDir(options.dataDir, database.engine);
  const ms = Date.now() - started;
  options.logger.info(
    { engine: database.engine, dataDir: database.dataDir, ms },
    `embedded ${database.engine} started in ${ms} ms, data in ${database.dataDir}`,
  );
  return database;
}

async function startChosenEngine(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { logger, dataDir, mode } = options;
  const remembered = engineOfDataDir(dataDir);
  if (mode !== 'auto') {
    if (remembered && remembered !== mode) {
      logger.warn(`${dataDir} was created by ${remembered}; CIM_EMBEDDED_DB=${mode} starts ${mode} on data of its own`);
    }
    return startEngine(mode, options);
  }
  if (remembered) {
    logger.info(`${dataDir} was created by ${remembered}: starting ${remembered} (CIM_EMBEDDED_DB=auto keeps it)`);
    return startEngine(remembered, options);
  }
  if (!(await mongodObtainable())) {
    logger.info('no mongod binary and no route to its download site: starting FerretDB on PostgreSQL');
    return startEngine('ferretdb', options);
  }
  try {
    return await startEngine('mongod', options);
  } catch (error) {
    logger.info({ reason: (error as Error).message }, 'no mongod available, starting FerretDB on PostgreSQL instead');
    return startEngine('ferretdb', options);
  }
}

function startEngine(engine: EngineName, options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  switch (engine) {
    case 'mongod':
      return startMongod(options);
    case 'ferretdb':
      return startFerretDbOnPostgres(options);
    case 'ferretdb-sqlite':
      return startFerretDbOnSqlite(options);
  }
}

async function startFerretDbOnPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.join(options.dataDir, 'postgres');
  // The binary first: without Go and a built FerretDB there is nothing to start PostgreSQL for.
  const binary = await ensureFerretDbBinary(options.ferretDbBinary, options.logger);
  const postgres = await startEmbeddedPostgres({ dataDir, durable: options.persistent, logger: options.logger });
  try {
    const ferretDb = await startFerretDb({
      backend: { postgresUrl: postgres.url },
      stateDir: path.join(options.dataDir, 'ferretdb-state'),
      binary,
      logger: options.logger,
    });
    const stop = async () => {
      await ferretDb.stop();
      await postgres.stop();
    };
    return {
      engine: 'ferretdb',
      uri: ferretDb.uri,
      dataDir,
      postgresUrl: postgres.url,
      postgresVersion: postgres.version,
      stop,
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

async function startFerretDbOnSqlite(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.join(options.dataDir, 'ferretdb');
  fs.mkdirSync(dataDir, { recursive: true });
  const ferretDb = await startFerretDb({
    backend: { sqliteDir: dataDir },
    stateDir: dataDir,
    binary: options.ferretDbBinary,
    logger: options.logger,
  });
  return { engine: 'ferretdb-sqlite', uri: ferretDb.uri, dataDir, stop: ferretDb.stop };
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
