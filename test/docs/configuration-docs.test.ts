import fs from 'node:fs';
import path from 'node:path';
import {
  envExampleFile,
  readmeFile,
  readmeWithConfigTable,
  renderEnvExample,
  tableEnd,
  tableStart,
} from '../../scripts/config-docs';
import { configVariables } from '../../src/config';

const SRC = path.resolve(__dirname, '../../src');
const described = Object.keys(configVariables);
// mongodb-memory-server's own variables, read where CIM starts a mongod for it; documented in its package.
const otherLibrariesVariables = ['MONGOMS_SYSTEM_BINARY', 'MONGOMS_DOWNLOAD_MIRROR'];
// The `cim` command line is a client of the server: its variables are its own, described in the README beside it.
const clientVariables = ['CIM_URL', 'CIM_API_KEY'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

function namesInSources(pattern: RegExp): Set<string> {
  const names = sourceFiles(SRC).flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(pattern)]);
  return new Set(names.map((match) => match[1]));
}

function configTableOf(readme: string): string {
  return readme.slice(readme.indexOf(tableStart), readme.indexOf(tableEnd));
}

const stale = '(when this fails, run npm run docs:config and commit the files)';

describe('configuration docs', () => {
  it(`.env.example is written from src/config.ts ${stale}`, () => {
    expect(fs.readFileSync(envExampleFile, 'utf8')).toBe(renderEnvExample());
  });

  it(`the README configuration table is written from src/config.ts ${stale}`, () => {
    const readme = fs.readFileSync(readmeFile, 'utf8');
    expect(readme).toBe(readmeWithConfigTable(readme));
  });

  it('.env.example and the README table name every variable, with its description', () => {
    const envExample = fs.readFileSync(envExampleFile, 'utf8');
    const table = configTableOf(fs.readFileSync(readmeFile, 'utf8'));
    for (const [name, schema] of Object.entries(configVariables)) {
      expect(envExample).toContain(`# ${schema.description}\n${name}=`);
      expect(table).toContain(`| \`${name}\``);
    }
  });

  it('describes every CIM_*, LOG_*, PORT, HOST, NODE_ENV and MONGODB_URI name that appears in src/', () => {
    const names = namesInSources(/\b(CIM_[A-Z0-9_]+|LOG_[A-Z0-9_]+|PORT|HOST|NODE_ENV|MONGODB_URI)\b/g);
    expect(names.size).toBeGreaterThan(10);
    expect([...names].filter((name) => !described.includes(name) && !clientVariables.includes(name))).toEqual([]);
  });

  it("describes the command line's own variables in the README", () => {
    const readme = fs.readFileSync(readmeFile, 'utf8');
    for (const name of clientVariables) expect(readme).toContain(`\`${name}\``);
  });

  it('describes every process.env.X and config.X that src/ reads', () => {
    const names = namesInSources(/\b(?:process\.env|env|config)\.([A-Z][A-Z0-9_]*)\b/g);
    expect(names.size).toBeGreaterThan(10);
    const undescribed = [...names].filter(
      (name) => !described.includes(name) && !otherLibrariesVariables.includes(name) && !clientVariables.includes(name),
    );
    expect(undescribed).toEqual([]);
  });
});
