import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../logger';
import { findFreePort, waitForPort } from './free-port';
import { onStderrLines, spawnWatched, stopProcess } from './watched-process';

const projectRoot = path.resolve(__dirname, '../../..');
const buildScript = path.join(projectRoot, 'scripts/build-ferretdb.sh');

export function ensureFerretDbBinary(configuredPath: string | undefined, logger: Logger): string {
  const started = Date.now();
  const result = spawnSync('bash', [buildScript, ...(configuredPath ? [configuredPath] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`building FerretDB failed (exit ${result.status})`);
  const binary = result.stdout.trim();
  logger.debug({ binary, ms: Date.now() - started }, 'FerretDB binary ready');
  return binary;
}

export type FerretDbBackend = { postgresUrl: string } | { sqliteDir: string };

export interface FerretDbServer {
  uri: string;
  stop(): Promise<void>;
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
  const binary = ensureFerretDbBinary(options.binary, options.logger);
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
