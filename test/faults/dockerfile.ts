import fs from 'node:fs';
import path from 'node:path';

const projectRoot = path.resolve(__dirname, '../..');

export interface Instruction {
  keyword: string;
  args: string;
}

export interface RuntimeStage {
  /** The ENV of the image's last stage, what the container starts with. */
  env: Record<string, string>;
  cmd: string[];
  healthcheck: string[];
  user: string | undefined;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
export function readDockerfile(): Instruction[] {
  const text = fs.readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
  return text
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line)!;
      return { keyword: keyword.toUpperCase(), args };
    });
}

export function runtimeStage(instructions: Instruction[]): RuntimeStage {
  const lastFrom = instructions.map((instruction) => instruction.keyword).lastIndexOf('FROM');
  const stage = instructions.slice(lastFrom);
  const argsOf = (keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);
  const healthcheck = argsOf('HEALTHCHECK').at(-1);
  return {
    env: Object.assign({}, ...argsOf('ENV').map(parseEnvArgs)) as Record<string, string>,
    cmd: execForm(argsOf('CMD').at(-1) ?? '[]'),
    healthcheck: healthcheck ? execForm(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) : [],
    user: argsOf('USER').at(-1),
  };
}

/** `ENV A=1 B="two words"`; the legacy `ENV A 1` form is refused rather than guessed at. */
function parseEnvArgs(args: string): Record<string, string> {
  const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)];
  if (!pairs.length) throw new Error(`ENV ${args}: write it as KEY=value`);
  return Object.fromEntries(pairs.map(([, key, raw, quoted]) => [key, quoted ?? raw]));
}

/** Only the exec (JSON) form: with the shell form, a shell would be PID 1 and SIGTERM would not reach node. */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`${args}: expected the exec form, a JSON array of strings`);
  }
  return parsed;
}
