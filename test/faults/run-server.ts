import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const projectRoot = path.resolve(__dirname, '../..');

export interface ServerRun {
  code: number | null;
  stdout: string;
  /** stdout and stderr, interleaved as they arrived. */
  output: string;
}

/**
 * Runs src/server.ts as `npm start` would, to its exit; once it logs `CIM listening` it is sent SIGTERM (a server
 * that cannot start exits by itself).
 */
export function runServer(env: Record<string, string>): Promise<ServerRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
    if (stdout.includes('CIM listening')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, output });
    }),
  );
}

/** The command lines of processes still running on `dataDir` (an engine left behind). */
export function processesUsing(dataDir: string): string[] {
  const table = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
  return table.split('\n').filter((line) => line.includes(dataDir) && !line.startsWith('ps '));
}

/** A directory of links to every command on PATH but `command`, to use as PATH: this machine without it. */
export function pathWithout(command: string, into: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const link = path.join(into, name);
      if (name !== command && !fs.lstatSync(link, { throwIfNoEntry: false }))
        fs.symlinkSync(path.join(dir, name), link);
    }
  }
  return into;
}
