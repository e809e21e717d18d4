import fs from 'node:fs';
import type { Logger } from '../../logger';
import { ensureFerretDbBinary } from './ferretdb-binary';
import type { ChildProcess } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { onFreePort } from './free-port';
import { enginePidOf, spawnWatched, stopProcess, watchStartUp } from './watched-process';

export type FerretDbBackend = { postgresUrl: string } | { sqliteDir: string };

export interface FerretDbServer {
  uri: string;
  stop: () => Promise<void>;
}

/**
 * FerretDB v1 on a free loopback port, telemetry and debug listener off. Its log goes to the debug level only:
 * an error line (a duplicate key, say) can quote a stored value.
 */
export async function startFerretDb(options: {
  backend: FerretDbBackend;
  stateDir: string;
  binary?: string;
  logger: Logger;
  /** The ports to try, a free one each time by default. */
  nextPort?: () => Promise<number>;
}): Promise<FerretDbServer> {
  const binary = await ensureFerretDbBinary(options.binary, options.logger);
  fs.mkdirSync(options.stateDir, { recursive: true });
  const backend =
    'postgresUrl' in options.backend
      ? ['--handler=postgresql', `--postgresql-url=${options.backend.postgresUrl}`]
      : ['--handler=sqlite', `--sqlite-url=file:${options.backend.sqliteDir}/`];
  const args = [
    ...backend,
    `--state-dir=${options.stateDir}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=error',
    '--log-format=json',
  ];
  return onFreePort((port) => startOnPort(binary, args, port, options.logger), options.nextPort);
}

async function startOnPort(binary: string, args: string[], port: number, logger: Logger): Promise<FerretDbServer> {
  const child = spawnWatched(binary, [...args, `--listen-addr=127.0.0.1:${port}`], 'TERM');
  const failedStartUp = watchStartUp(child, 'ferretdb', /address already in use/, logger);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') logger.warn({ engine: 'ferretdb', code, signal }, 'FerretDB exited');
  });
  const uri = `mongodb://127.0.0.1:${port}/`;
  try {
    await waitForFerretDb(uri, child, await enginePidOf(child));
  } catch (error) {
    throw await failedStartUp(error, port);
  }
  return { uri, stop: () => stopProcess(child) };
}

/**
 * Resolves once our FerretDB answers on the URI. Another process can have taken the port after it was found free;
 * then a server with another pid answers, or none, and ours is about to exit.
 */
async function waitForFerretDb(uri: string, child: ChildProcess, pid: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('FerretDB exited during start-up (LOG_LEVEL=debug shows why)');
    if ((await pidAnswering(uri)) === pid) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`FerretDB did not answer on ${uri} within ${timeoutMs} ms`);
}

async function pidAnswering(uri: string): Promise<number | undefined> {
  const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 1_000 });
  try {
    const status = await client.db('admin').command({ serverStatus: 1 });
    return Number(status.pid);
  } catch {
    return undefined;
  } finally {
    await client.close();
  }
}
