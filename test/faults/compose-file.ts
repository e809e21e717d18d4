import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const projectRoot = path.resolve(__dirname, '../..');

export interface ComposeService {
  environment?: Record<string, string | number | boolean | null> | string[];
  restart?: string;
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** docker-compose.yml as compose reads it: every string interpolated from `variables` (the shell and .env). */
export function resolveComposeFile(variables: Record<string, string>): ComposeFile {
  const text = fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8');
  return interpolateAll(parse(text), variables) as ComposeFile;
}

/** A service's environment as the container gets it, whichever of compose's two forms the file uses. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const entries = Array.isArray(service.environment)
    ? service.environment.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    : Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

function interpolateAll(node: unknown, variables: Record<string, string>): unknown {
  if (typeof node === 'string') return interpolate(node, variables);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, variables));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value, variables)]));
  }
  return node;
}

const template = /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|())/g;

/** Compose's rules: `$$` is a `$`; `:-`/`-` default, `:?`/`?` fail with the message, `:+`/`+` replace. */
function interpolate(text: string, variables: Record<string, string>): string {
  return text.replace(template, (...groups: (string | undefined)[]) => {
    const [, escaped, bare, braced, operator = '', operand = '', invalid] = groups;
    if (escaped) return '$';
    if (invalid !== undefined) throw new Error(`invalid interpolation format in "${text}"`);
    const name = (bare ?? braced)!;
    const value = variables[name];
    const unset = value === undefined || (operator.startsWith(':') && value === '');
    switch (operator.replace(':', '')) {
      case '-':
        return unset ? operand : value;
      case '?':
        if (unset) throw new Error(`required variable ${name} is missing a value: ${operand}`);
        return value;
      case '+':
        return unset ? '' : operand;
      default:
        return value ?? '';
    }
  });
}
