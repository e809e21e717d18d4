import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../logger';
import { findFreePort, waitForPort } from './free-port';
import type { EmbeddedDatabase } from './types';

const projectRoot = path.resolve(__dirname, '../../..');
const buildScript = path.join(projectRoot, 'scripts/build-ferretdb.sh');

// Stops FerretDB when its parent dies, even by SIGKILL, so no engine outlives us. The sleeps do not hold the
// stderr pipe, or the parent would see it open for up to a second after the watchdog exits.
const watchdog = `
bin="$1"; parent="$2"; shift 2
"$bin" "$@" & child=$!
trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM INT
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1 2>/dev/null & wait $!; done
kill -TERM $child 2>/dev/null; wait $child`;

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

export async function startFerretDb(options: {
  dataDir: string;
  binary?: string;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const binary = ensureFerretDbBinary(options.binary, options.logger);
  const sqliteDir = path.join(options.dataDir, 'ferretdb');
  fs.mkdirSync(sqliteDir, { recursive: true });
  const port = await findFreePort();
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${sqliteDir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${sqliteDir}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=error',
    '--log-format=json',
  ];
  const child = spawn('bash', ['-c', watchdog, 'ferretdb-watchdog', binary, String(process.pid), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  forwardLogs(child, options.logger);
  try {
    await waitForPort(port, 20_000, () => child.exitCode === null);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return {
    engine: 'ferretdb',
    uri: `mongodb://127.0.0.1:${port}/`,
    dataDir: sqliteDir,
    stop: () => stopProcess(child),
  };
}

function forwardLogs(child: ChildProcess, logger: Logger): void {
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) logger.warn({ engine: 'ferretdb' }, line);
  });
}

/** Signals a child and waits for it to exit, killing it after 5 s. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}
