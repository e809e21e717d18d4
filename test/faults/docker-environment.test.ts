import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse as parseDotEnv } from 'dotenv';
import { findFreePort } from '../../src/db/embedded/free-port';
import { testDatabaseUri, uniqueDbName } from '../support/test-app';
import { environmentOf, resolveComposeFile } from './compose-file';
import { readDockerfile, runtimeStage } from './dockerfile';

const projectRoot = path.resolve(__dirname, '../..');
const adminKey = `docker-admin-${process.pid}-key`;
// What a user puts in .env beside docker-compose.yml.
const dotEnv = parseDotEnv(`CIM_API_KEYS=admin:${adminKey}\n`);
const image = runtimeStage(readDockerfile());

/** Runs argv as the container would, with `node` meaning this Node. Resolves with the exit code. */
function run(argv: string[], env: Record<string, string>, cwd = projectRoot): ChildProcess {
  const [command, ...args] = argv;
  return spawn(command === 'node' ? process.execPath : command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The container's environment: the image's ENV, overridden by compose's `environment`, as Docker merges them. */
function containerEnvironment(): Record<string, string> {
  return { ...image.env, ...environmentOf(resolveComposeFile(dotEnv).services.api) };
}

async function waitForReady(baseUrl: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (server.exitCode === null && Date.now() < deadline) {
    const status = await fetch(`${baseUrl}/ready`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`GET /ready never answered 200 (exit code ${server.exitCode})\n${output()}`);
}

/** A directory laid out like the image's WORKDIR: dist/ and no .env for dotenv to pick up. */
function imageWorkdir(): string {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-image-'));
  fs.symlinkSync(path.join(projectRoot, 'dist'), path.join(workdir, 'dist'));
  return workdir;
}

beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: projectRoot, encoding: 'utf8' });
  expect(build.stderr).toBe('');
  expect(build.status).toBe(0);
}, 240_000);

describe('docker compose up', () => {
  it('stops before starting anything when CIM_API_KEYS is in neither the shell nor .env, saying what to put there', () => {
    expect(() => resolveComposeFile({})).toThrow(
      /required variable CIM_API_KEYS is missing a value: .*role:key.*admin:<16\+ characters>.*\.env/,
    );
  });

  it('gives the API the keys from .env, a replica set URI and the image production settings', () => {
    expect(containerEnvironment()).toMatchObject({
      NODE_ENV: 'production',
      CIM_API_KEYS: `admin:${adminKey}`,
      MONGODB_URI: 'mongodb://mongo:27017/?replicaSet=rs0',
      PORT: '3000',
    });
  });

  it('starts the CMD with exactly the container environment; /ready answers 200 and the HEALTHCHECK exits 0', async () => {
    expect(image.cmd).toEqual(['node', 'dist/server.js']);
    expect(image.healthcheck[0]).toBe('node');
    const port = await findFreePort();
    // Only what cannot be the same here: the database engine (compose's `mongo` host) and a free port.
    const env = {
      ...containerEnvironment(),
      MONGODB_URI: testDatabaseUri(),
      CIM_DB_NAME: uniqueDbName(),
      PORT: `${port}`,
    };
    const workdir = imageWorkdir();
    const server = run(image.cmd, env, workdir);
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000)));
    server.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000)));
    const exited = exitCode(server);
    let exitedWith: number | null;
    try {
      const baseUrl = `http://127.0.0.1:${port}`;
      await waitForReady(baseUrl, server, () => output);

      expect(await exitCode(run(image.healthcheck, env))).toBe(0);
      expect((await fetch(`${baseUrl}/getSchema`)).status).toBe(401);
      const authorised = await fetch(`${baseUrl}/getSchema`, { headers: { 'x-api-key': adminKey } });
      expect(authorised.status).toBe(200);
    } finally {
      server.kill('SIGTERM');
      exitedWith = await exited;
      fs.rmSync(workdir, { recursive: true, force: true });
    }
    expect(exitedWith).toBe(0);
  }, 120_000);
});

describe('the image HEALTHCHECK', () => {
  it('runs node, which the image has (it has no curl)', () => {
    expect(image.healthcheck.slice(0, 2)).toEqual(['node', '-e']);
  });

  it('exits non-zero when nothing listens on PORT', async () => {
    const port = await findFreePort();
    expect(await exitCode(run(image.healthcheck, { PORT: `${port}` }))).not.toBe(0);
  });

  it('exits non-zero when /ready answers 503', async () => {
    const notReady = http.createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => notReady.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = notReady.address() as { port: number };
      expect(await exitCode(run(image.healthcheck, { PORT: `${port}` }))).not.toBe(0);
    } finally {
      notReady.close();
    }
  });
});

describe('what only a Docker engine could run, checked by reading', () => {
  it('installs every dependency without running install scripts, and only production ones at runtime', () => {
    const installs = readDockerfile().filter((i) => i.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install.args).toContain('--ignore-scripts');
    const runtimeInstall = installs.at(-1)!.args;
    expect(runtimeInstall).toContain('--omit=dev');
    expect(runtimeInstall).toContain('--omit=optional');
    expect(image.user).toBe('node');
  });

  it('calls mongo healthy only once the replica set it initiates has a writable primary', () => {
    const mongo = resolveComposeFile(dotEnv).services.mongo;
    const check = mongo.healthcheck?.test as string[];
    expect(check.slice(0, 4)).toEqual(['CMD', 'mongosh', '--quiet', '--eval']);
    expect(check[4]).toContain('rs.initiate(');
    expect(check[4]).toMatch(/quit\(db\.hello\(\)\.isWritablePrimary \? 0 : 1\);?$/);
  });

  it('restarts the API on failure, after mongo is healthy', () => {
    const api = resolveComposeFile(dotEnv).services.api;
    expect(['unless-stopped', 'on-failure', 'always']).toContain(api.restart);
    expect(api.depends_on).toEqual({ mongo: { condition: 'service_healthy' } });
  });

  it('keeps dependencies, data, secrets and local output out of the build context', () => {
    const ignored = fs.readFileSync(path.join(projectRoot, '.dockerignore'), 'utf8').split('\n');
    const required = ['node_modules', 'dist', 'data', '.env', '.git', 'bench/results', 'coverage', '.venv', '.scratch'];
    expect(required.filter((entry) => !ignored.includes(entry))).toEqual([]);
  });
});
