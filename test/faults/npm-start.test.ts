import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const projectRoot = path.resolve(__dirname, '../..');

function processesUsing(dataDir: string): string[] {
  const table = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
  return table.split('\n').filter((line) => line.includes(dataDir) && !line.startsWith('ps '));
}

/** Waits until no process names the data directory, for at most 30 s; returns those still running then. */
async function processesLeftUsing(dataDir: string): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  let left = processesUsing(dataDir);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesUsing(dataDir);
  }
  return left;
}

describe('npm start', () => {
  it('stops the server and its embedded engine when npm itself is sent SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-npm-start-'));
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CIM_DATA_DIR: dataDir, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that clean-up reaches a server npm failed to stop.
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('npm start did not listen within 90 s')), 90_000);
        createInterface({ input: npm.stdout }).on('line', (line) => {
          const match = /"port":(\d+).*CIM listening/.exec(line);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
      });
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
      expect(processesUsing(dataDir)).not.toEqual([]);

      npm.kill('SIGTERM');
      await exited;

      expect(await processesLeftUsing(dataDir)).toEqual([]);
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // the group is gone: npm stopped everything it started
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
