import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFerretDbBinary, stopProcess as stopChild } from '../../src/db/embedded/ferretdb';
import { findFreePort, waitForPort } from '../../src/db/embedded/free-port';
import { createLogger } from '../../src/logger';

export interface FerretDbServer {
  uri: string;
  stop(): Promise<void>;
}

/** FerretDB v1 (the project's pinned build) on its PostgreSQL backend, on a free loopback port. */
export async function startFerretDbOnPostgres(postgresUrl: string): Promise<FerretDbServer> {
  const binary = ensureFerretDbBinary(process.env.CIM_FERRETDB_BIN, createLogger('warn'));
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-bench-ferretdb-'));
  const port = await findFreePort();
  const child = spawn(
    binary,
    [
      '--handler=postgresql',
      `--postgresql-url=${postgresUrl}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${stateDir}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    // Its error log (a duplicate key per racing upsert, for one) goes to a file, not over the report.
    { stdio: ['ignore', 'ignore', fs.openSync(path.join(stateDir, 'ferretdb.log'), 'a')] },
  );
  const stop = async () => {
    await stopChild(child);
    fs.rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 20_000, () => child.exitCode === null);
  } catch (error) {
    await stop();
    throw error;
  }
  return { uri: `mongodb://127.0.0.1:${port}/`, stop };
}

export { stopChild };
