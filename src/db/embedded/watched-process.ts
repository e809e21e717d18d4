import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../logger';
import { PortTakenError } from './free-port';

// Stops the engine when its parent dies, even by SIGKILL, so no engine outlives us. The sleeps hold neither pipe,
// or the parent would see it open for up to a second after the watchdog exits.
const watchdog = `
bin="$1"; parent="$2"; signal="$3"; shift 3
"$bin" "$@" >/dev/null & child=$!
echo "$child"
trap 'kill -$signal $child 2>/dev/null; wait $child; exit 0' TERM INT
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1 >/dev/null 2>&1 & wait $!; done
kill -$signal $child 2>/dev/null; wait $child`;

/**
 * Starts a database server under a watchdog shell; `stopSignal` is what the server takes as "shut down now"
 * (TERM for FerretDB, INT — fast shutdown — for PostgreSQL). Its stderr is piped; the watchdog's stdout says the
 * server's pid (see enginePidOf), the server's own goes nowhere.
 */
export function spawnWatched(binary: string, args: string[], stopSignal: 'TERM' | 'INT'): ChildProcess {
  return spawn('bash', ['-c', watchdog, 'cim-watchdog', binary, String(process.pid), stopSignal, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The pid of the server a watchdog started: what the server itself reports, unlike the watchdog's own pid. */
export async function enginePidOf(child: ChildProcess): Promise<number> {
  child.stdout!.setEncoding('utf8');
  let printed = '';
  for await (const chunk of child.stdout!) {
    printed += chunk as string;
    if (printed.includes('\n')) return Number(printed.split('\n')[0]);
  }
  throw new Error('the watchdog exited before starting the server');
}

/** Signals a child and waits for it to exit, killing it after 5 s. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

/** Calls `onLine` for each line the child writes to stderr. */
function onStderrLines(child: ChildProcess, onLine: (line: string) => void): void {
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  });
}

/**
 * Logs an engine's stderr at debug level (a line can quote a stored value) and watches it for the line that says
 * its port was taken. The function returned stops the child after a failed start-up and gives the error to throw.
 */
export function watchStartUp(child: ChildProcess, engine: string, portTakenLine: RegExp, logger: Logger) {
  const closed = new Promise((resolve) => child.once('close', resolve));
  let portTaken = false;
  onStderrLines(child, (line) => {
    if (portTakenLine.test(line)) portTaken = true;
    logger.debug({ engine }, line);
  });
  return async (error: unknown, port: number): Promise<unknown> => {
    await stopProcess(child);
    await closed; // its last stderr lines say whether the port was taken
    return portTaken ? new PortTakenError(`port ${port} was taken`) : error;
  };
}
