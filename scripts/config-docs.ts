import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configVariables } from '../src/config';

export const envExampleFile = path.resolve(__dirname, '../.env.example');
export const readmeFile = path.resolve(__dirname, '../README.md');
export const tableStart = '<!-- config:start (written by npm run docs:config from src/config.ts) -->';
export const tableEnd = '<!-- config:end -->';

interface VariableDoc {
  name: string;
  description: string;
  /** The default as it would be written in the environment; undefined when there is none. */
  defaultValue: string | undefined;
}

/** Every configuration variable, in the order src/config.ts declares them. */
export function variableDocs(): VariableDoc[] {
  return Object.entries(configVariables).map(([name, schema]: [string, z.ZodType]) => {
    if (!schema.description) throw new Error(`${name} has no .describe() in src/config.ts`);
    return { name, description: schema.description, defaultValue: defaultOf(schema) };
  });
}

function defaultOf(schema: z.ZodType): string | undefined {
  return schema instanceof z.ZodDefault ? String(schema.def.defaultValue) : undefined;
}

export function renderEnvExample(): string {
  const header = [
    '# Every setting CIM reads, with its default. Copy to .env to change them locally.',
    '# Written by `npm run docs:config` from src/config.ts; do not edit by hand.',
  ];
  const entries = variableDocs().map(({ name, description, defaultValue }) =>
    [`# ${description}`, `${name}=${defaultValue ?? ''}`].join('\n'),
  );
  return [header.join('\n'), ...entries].join('\n\n') + '\n';
}

/** The README's configuration table, aligned the way Prettier aligns a Markdown table. */
export function renderConfigTable(): string {
  const rows = variableDocs().map(({ name, description, defaultValue }) => [
    `\`${name}\``,
    defaultValue === undefined || defaultValue === '' ? '—' : `\`${defaultValue}\``,
    description.replaceAll('|', '\\|'),
  ]);
  const header = ['variable', 'default', 'meaning'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** README.md with the text between the configuration markers replaced by the current table. */
export function readmeWithConfigTable(readme: string): string {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) throw new Error(`README.md must hold ${tableStart} … ${tableEnd}`);
  return `${readme.slice(0, start + tableStart.length)}\n\n${renderConfigTable()}\n\n${readme.slice(end)}`;
}

function writeConfigDocs(): void {
  fs.writeFileSync(envExampleFile, renderEnvExample());
  fs.writeFileSync(readmeFile, readmeWithConfigTable(fs.readFileSync(readmeFile, 'utf8')));
  console.log('wrote .env.example and the configuration table of README.md');
}

if (require.main === module) writeConfigDocs();
