import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const projectRoot = path.resolve(__dirname, '../..');

function occupyPort(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Runs src/server.ts as `npm start` would, to its exit; resolves with its exit code and output. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe('a server that cannot start', () => {
  it('says which port is taken and what to do, stops its embedded engine and exits 1', async () => {
    const taken = await occupyPort();
    const port = (taken.address() as net.AddressInfo).port;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-port-taken-'));
    try {
      const { code, output } = await runServer({
        PORT: String(port),
        HOST: '127.0.0.1',
        CIM_DATA_DIR: dataDir,
        CIM_EMBEDDED_DB: process.env.CIM_TEST_ENGINE === 'mongod' ? 'mongod' : 'ferretdb',
        ...(process.env.CIM_FERRETDB_BIN ? { CIM_FERRETDB_BIN: process.env.CIM_FERRETDB_BIN } : {}),
      });

      expect(code).toBe(1);
      expect(output).toContain(`port ${port} on 127.0.0.1 is taken: stop what uses it, or set PORT to a free port`);
      expect(output).not.toMatch(/TypeError|\n\s+at /);
      const engines = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
      expect(engines.split('\n').filter((line) => line.includes(dataDir) && !line.includes('ps -eo'))).toEqual([]);
    } finally {
      taken.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
