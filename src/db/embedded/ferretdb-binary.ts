import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Logger } from '../../logger';
import { EngineUnavailableError } from './engine-unavailable-error';

const projectRoot = path.resolve(__dirname, '../../..');
const buildScript = path.join(projectRoot, 'scripts/build-ferretdb.sh');

/** The build script's exit codes (scripts/build-ferretdb.sh). */
const buildDue = 2;
const goMissing = 3;
const downloadFailed = 4;

/** The FerretDB binary to run: the configured or cached one, else built once from the Go module proxy. */
export async function ensureFerretDbBinary(configuredPath: string | undefined, logger: Logger): Promise<string> {
  const { status, version, target } = checkFerretDbBinary(configuredPath);
  if (status === 0) return target;
  logger.info(
    { binary: target },
    `FerretDB ${version} is not built yet: building it once from the Go module proxy into ${target} ` +
      `(usually 1–3 minutes; Go's own progress follows)`,
  );
  const started = Date.now();
  const code = await runBuild(target);
  if (code !== 0) throw new EngineUnavailableError(buildFailureAdvice(code, version));
  const seconds = Math.round((Date.now() - started) / 1000);
  logger.info({ binary: target, seconds }, `FerretDB ${version} built in ${seconds} s, cached at ${target}`);
  return target;
}

function checkFerretDbBinary(configuredPath: string | undefined) {
  const result = spawnSync('bash', [buildScript, '--check', ...(configuredPath ? [configuredPath] : [])], {
    encoding: 'utf8',
  });
  const [version, ...rest] = (result.stdout ?? '').trim().split(' ');
  if (result.status !== 0 && result.status !== buildDue) {
    throw new Error(`${buildScript} --check failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
  return { status: result.status, version, target: rest.join(' ') };
}

/** Runs the build with Go's output on our stderr, as it goes; resolves with the script's exit code. */
function runBuild(target: string): Promise<number> {
  const child = spawn('bash', [buildScript, target], { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

function buildFailureAdvice(code: number, version: string): string {
  const otherWays = `or set CIM_FERRETDB_BIN to a built FerretDB ${version}, or set MONGODB_URI to your MongoDB`;
  switch (code) {
    case goMissing:
      return (
        `cannot start FerretDB: it is not built yet and Go is not on PATH. Install Go 1.22 or later (the build ` +
        `takes FerretDB ${version} from the Go module proxy, once), ${otherWays}`
      );
    case downloadFailed:
      return (
        `cannot start FerretDB: downloading FerretDB ${version} from the Go module proxy failed (Go's error is ` +
        `above). Check the network and GOPROXY, ${otherWays}`
      );
    default:
      return (
        `cannot start FerretDB: building FerretDB ${version} failed (exit ${code}; Go's output is above). ` +
        `Use Go 1.22 or later, ${otherWays}`
      );
  }
}
