import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '../..');

interface CimRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs the built `cim` as its own process, with only the environment given (and PATH), in `cwd`; `started` gets the process. */
export function runCim(
  args: string[],
  env: Record<string, string> = {},
  started?: (child: ChildProcess) => void,
  cwd = projectRoot,
): Promise<CimRun> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/cli/cim.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started?.(child);
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}
