import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../src/db/embedded/free-port';

export interface PostgresCluster {
  url: string;
  version: string;
  /** Runs SQL as the superuser; returns the rows unaligned, one per line. */
  sql(statement: string): string;
  stop(): void;
}

const debianRoot = '/usr/lib/postgresql';

/** The newest Debian PostgreSQL server binaries, or PG_BIN_DIR. */
function findBinDir(): string | undefined {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const versions = fs.existsSync(debianRoot) ? fs.readdirSync(debianRoot).filter((name) => /^\d+$/.test(name)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest && fs.existsSync(path.join(debianRoot, newest, 'bin/initdb'))
    ? path.join(debianRoot, newest, 'bin')
    : undefined;
}

/** On a fresh Debian machine (as root, like CI's Chromium) the bench installs Debian's `postgresql` once. */
function ensureBinDir(): string {
  const found = findBinDir();
  if (found) return found;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canInstall) {
    throw new Error('PostgreSQL server binaries not found: apt-get install postgresql (or set PG_BIN_DIR)');
  }
  console.log('installing Debian postgresql (once)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env });
  const installed = findBinDir();
  if (!installed) throw new Error(`apt-get installed postgresql, but no initdb is under ${debianRoot}`);
  return installed;
}

/** PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user (created if missing). */
function clusterUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  }
  return 'postgres';
}

function runAs(user: string | undefined, command: string, args: string[]): string {
  const [file, argv] = user ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

/**
 * A throw-away cluster in a temporary directory on a free loopback port, trust authentication, Unix socket in
 * the same directory. Parallel query is off: under concurrent load on two cores it costs throughput.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = ensureBinDir();
  const user = clusterUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-bench-pg-'));
  if (user) execFileSync('chown', ['-R', user, dir]);
  const data = path.join(dir, 'data');
  runAs(user, path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await findFreePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c shared_buffers=512MB',
    '-c max_parallel_workers_per_gather=0',
  ];
  runAs(user, path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-o',
    settings.join(' '),
    'start',
  ]);
  const version = runAs(user, path.join(bin, 'postgres'), ['--version'])
    .replace(/^.*\(PostgreSQL\)\s*/, 'PostgreSQL ')
    .replace(/\s*\(.*$/s, '')
    .trim();
  const psql = [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'postgres',
    '-d',
    'postgres',
    '-v',
    'ON_ERROR_STOP=1',
    '-At',
  ];
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version,
    sql: (statement) => runAs(undefined, path.join(bin, 'psql'), [...psql, '-c', statement]),
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        runAs(user, path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
