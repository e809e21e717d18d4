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
  try {
    return await startMongod(options);
  } catch (error) {
    options.logger.info({ reason: (error as Error).message }, 'no mongod available, starting FerretDB instead');
    return ferretDb();
  }
}
