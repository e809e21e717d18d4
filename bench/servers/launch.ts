import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { onFreePort, PortTakenError } from '../../src/db/embedded/free-port';
import { stopProcess } from '../../src/db/embedded/watched-process';

export interface ServerProcess {
  name: 'our' | 'floor';
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface OurServerOptions {
  uri: string;
  dbName: string;
  /** FerretDB's PostgreSQL: our server adds its GIN indexes there at start-up, as `npm start` does. */
  postgresUrl?: string;
  /** `dist`: the built `node dist/server.js` (built when stale); `tsx`: the sources, no build step. */
  mode: 'dist' | 'tsx';
  apiKey: string;
  logLevel: string;
  logFile: string;
  /** Write a V8 CPU profile of our server here (`node --cpu-prof`). */
  profileDir?: string;
  /** More settings of our server, e.g. CIM_IMPORT_MAX_BYTES. */
  env?: Record<string, string>;
}

const root = path.resolve(__dirname, '../..');

/** Builds dist/ when any source is newer than the build, as `npm start` does. */
export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building dist/ failed');
}

/** A process that took the port may accept and never answer. */
const probeTimeout = () => AbortSignal.timeout(2_000);

/** Answers whether the server at the URL is up and is the child we started, not another process that took the port. */
type IsOurChild = (url: string, child: ChildProcess) => Promise<boolean>;

/**
 * Another process can take the port found free before the child listens on it (the test suite starts many servers
 * at once): the child then exits at start-up, or the other process answers. Each start-up checks the child's
 * identity, and is retried on a new port when the port was taken.
 */
function launch(
  name: ServerProcess['name'],
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  isOurChild: IsOurChild,
): Promise<ServerProcess> {
  return onFreePort(async (port) => {
    const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
    const log = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    while (!(await isOurChild(url, child).catch(() => false))) {
      if (child.exitCode !== null) {
        if (/EADDRINUSE/.test(fs.readFileSync(logFile, 'utf8').slice(logStart))) throw new PortTakenError(url);
        throw new Error(`${name} server exited at start-up; see ${logFile}`);
      }
      if (Date.now() > deadline) {
        await stopProcess(child);
        throw new Error(`${name} server not ready within 120 s; see ${logFile}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { name, url, pid: child.pid!, child, stop: () => stopProcess(child) };
  });
}

export function startOurServer(options: OurServerOptions): Promise<ServerProcess> {
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const entry = options.mode === 'dist' ? ['dist/server.js'] : ['--import', 'tsx', 'src/server.ts'];
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    MONGODB_URI: options.uri,
    CIM_DB_NAME: options.dbName,
    ...(options.postgresUrl ? { CIM_FERRETDB_POSTGRES_URL: options.postgresUrl } : {}),
    HOST: '127.0.0.1',
    LOG_LEVEL: options.logLevel,
    CIM_API_KEYS: `admin:${options.apiKey}`,
    // Measured, never throttling: the limiter's cost is part of ours, its 429s would not be.
    CIM_RATE_LIMIT_MAX: '1000000000',
    ...options.env,
  };
  // Only our child knows the bench's API key: another server on the port answers 401.
  const isOurChild: IsOurChild = async (url) =>
    (
      await fetch(`${url}/getSchema`, {
        headers: { authorization: `Bearer ${options.apiKey}` },
        signal: probeTimeout(),
      })
    ).ok;
  return launch('our', [...profile, ...entry], env, options.logFile, isOurChild);
}

export function startFloorServer(options: {
  uri: string;
  dbName: string;
  engine: 'mongodb' | 'ferretdb';
  logFile: string;
}): Promise<ServerProcess> {
  const env = {
    ...process.env,
    FLOOR_MONGODB_URI: options.uri,
    FLOOR_DB_NAME: options.dbName,
    FLOOR_ENGINE: options.engine,
  };
  const isOurChild: IsOurChild = async (url, child) => {
    const res = await fetch(`${url}/health`, { signal: probeTimeout() });
    return res.ok && ((await res.json()) as { pid?: number }).pid === child.pid;
  };
  return launch('floor', ['--import', 'tsx', 'bench/floor/floor-server.ts'], env, options.logFile, isOurChild);
}
