import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { testDatabaseUri, uniqueDbName } from '../support/test-app';

const projectRoot = path.resolve(__dirname, '../..');
export const adminKey = `fault-test-admin-${process.pid}-key`;

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Every JSON line the server logged, in order. */
  logLines: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface FaultDatabase {
  uri: string;
  dbName: string;
  postgresUrl?: string;
  stop(): Promise<void>;
}

/**
 * A database engine that outlives the server processes, as in production: our own FerretDB (not the one the
 * other test files share, so their load does not slow this one), or the suite's MongoDB.
 */
export async function startFaultDatabase(): Promise<FaultDatabase> {
  const dbName = uniqueDbName();
  if (process.env.CIM_TEST_ENGINE !== 'ferretdb') return { uri: testDatabaseUri(), dbName, stop: async () => {} };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-fault-db-'));
  const engine: EmbeddedDatabase = await startEmbeddedDatabase({
    mode: 'ferretdb',
    dataDir,
    persistent: false,
    ferretDbBinary: process.env.CIM_FERRETDB_BIN,
    logger: createLogger('warn'),
  });
  return {
    uri: engine.uri,
    dbName,
    postgresUrl: engine.postgresUrl,
    stop: async () => {
      await engine.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts src/server.ts as its own process (as `npm start` would) and resolves once it listens. */
export function startServer(database: FaultDatabase, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    MONGODB_URI: database.uri,
    CIM_DB_NAME: database.dbName,
    ...(database.postgresUrl ? { CIM_FERRETDB_POSTGRES_URL: database.postgresUrl } : {}),
    CIM_API_KEYS: `admin:${adminKey}`,
    CIM_RATE_LIMIT_MAX: '0',
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let listening = false;
    const timer = setTimeout(() => fail('did not listen within 30 s'), 30_000);
    function fail(reason: string) {
      if (listening) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`server ${reason}\n${stderr}\n${JSON.stringify(logLines.slice(-10))}`));
    }
    void exited.then(({ code, signal }) => fail(`exited (${code ?? signal}) before listening`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = parseLine(line);
      logLines.push(entry);
      if (!listening && typeof entry.port === 'number' && /CIM listening/.test(String(entry.msg))) {
        listening = true;
        clearTimeout(timer);
        resolve({ baseUrl: `http://127.0.0.1:${entry.port}`, child, logLines, exited });
      }
    });
  });
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line };
  }
}

/** The status the server logged for each request id it finished (the request log's one line per request). */
export function loggedStatuses(server: ServerProcess): Map<string, number> {
  const statuses = new Map<string, number>();
  for (const line of server.logLines) {
    const req = line.req as { id?: string } | undefined;
    const res = line.res as { statusCode?: number } | undefined;
    if (req?.id && res?.statusCode) statuses.set(req.id, res.statusCode);
  }
  return statuses;
}

/** One request with the admin key: the status and the JSON body (a redirect is answered, not followed). */
export async function adminRequest(server: ServerProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(server.baseUrl + path, {
    method,
    redirect: 'manual',
    headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** The servers a test file starts on its database, each SIGKILLed by stopAll at the end. */
export function serverPool(database: () => FaultDatabase) {
  const servers: ServerProcess[] = [];
  return {
    async start(extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
      const server = await startServer(database(), extraEnv);
      servers.push(server);
      return server;
    },
    async stopAll(): Promise<void> {
      for (const server of servers) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    },
  };
}
