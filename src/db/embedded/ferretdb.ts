import fs from 'node:fs';
import type { Logger } from '../../logger';
import { ensureFerretDbBinary } from './ferretdb-binary';
import { findFreePort, waitForPort } from './free-port';
import { onStderrLines, spawnWatched, stopProcess } from './watched-process';

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
}): Promise<FerretDbServer> {
  const binary = await ensureFerretDbBinary(options.binary, options.logger);
  fs.mkdirSync(options.stateDir, { recursive: true });
  const port = await findFreePort();
  const backend =
    'postgresUrl' in options.backend
      ? ['--handler=postgresql', `--postgresql-url=${options.backend.postgresUrl}`]
      : ['--handler=sqlite', `--sqlite-url=file:${options.backend.sqliteDir}/`];
  const args = [
    ...backend,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${options.stateDir}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=error',
    '--log-format=json',
  ];
  const child = spawnWatched(binary, args, 'TERM');
  onStderrLines(child, (line) => options.logger.debug({ engine: 'ferretdb' }, line));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      options.logger.warn({ engine: 'ferretdb', code, signal }, 'FerretDB exited');
  });
  try {
    await waitForPort(port, 20_000, () => child.exitCode === null);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { uri: `mongodb://127.0.0.1:${port}/`, stop: () => stopProcess(child) };
}
