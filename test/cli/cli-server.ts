import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app';
import { projectRoot } from './run-cim';

export interface CliServer {
  t: TestApp;
  server: http.Server;
  baseUrl: string;
  tmpDir: string;
  close(): Promise<void>;
}

/** Builds dist/ when a source is newer, for the CLI the tests run. */
export function buildCli(): void {
  const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: projectRoot, encoding: 'utf8' });
  expect(build.stderr).toBe('');
  expect(build.status).toBe(0);
}

/** The real app with these API keys, listening on a free port, and a temporary directory for files. */
export async function startCliServer(env: Record<string, string>): Promise<CliServer> {
  const t = await startTestApp({ env });
  const server = http.createServer(t.cim.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-cli-'));
  return {
    t,
    server,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tmpDir,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
