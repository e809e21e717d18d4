import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { testDatabaseUri } from '../support/test-app';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const pathNames = [
  'contact-by-id',
  'screen-pop-ani',
  'screen-pop-call-variable',
  'name-search',
  'search-terms-phone',
  'search-terms-prefix',
  'load-interactions',
  'post-leg',
  'call-flow',
];
const load = {
  requestsPerSecond: expect.any(Number),
  p50Ms: expect.any(Number),
  p99Ms: expect.any(Number),
  non2xx: expect.any(Number),
  responses: expect.any(Number),
  peakRssMb: expect.any(Number),
};

// Structure only: timings on a shared CI machine say nothing, targets are read from the report by people.
test('npm run bench -- --quick prints the table and writes a JSON report of every path', async () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-bench-test-'));
  const { stdout } = await run(
    'npx',
    ['tsx', 'bench/run.ts', '--quick', '--db-name', `t_bench_${randomBytes(4).toString('hex')}`, '--out', outDir],
    { cwd: root, env: { ...process.env, MONGODB_URI: testDatabaseUri() }, maxBuffer: 16 * 2 ** 20 },
  );

  expect(stdout).toMatch(/CIM benchmark — .+ — 300 contacts, 300 call trees — \d+ cores/);
  for (const name of pathNames) expect(stdout).toContain(name);
  const [file] = fs.readdirSync(outDir);
  const report = JSON.parse(fs.readFileSync(path.join(outDir, file), 'utf8'));
  fs.rmSync(outDir, { recursive: true, force: true });
  expect(report.runs).toHaveLength(1);
  const [result] = report.runs;
  expect(result).toMatchObject({
    engine: { name: expect.any(String), kind: expect.stringMatching(/^(mongodb|ferretdb)$/) },
    dataSize: { contacts: 300, calls: 300 },
    machine: { cores: os.cpus().length },
    our: { peakRssMb: expect.any(Number) },
    targetsMet: expect.objectContaining({ zeroNon2xx: expect.any(Boolean), peakRss: expect.any(Boolean) }),
  });
  expect(result.paths.map((entry: { name: string }) => entry.name)).toEqual(pathNames);
  const importRun = {
    rows: 300,
    status: 'completed',
    rowsPerSecond: expect.any(Number),
    peakRssMb: expect.any(Number),
  };
  const latency = { requests: expect.any(Number), p99Ms: expect.any(Number), non2xx: 0 };
  expect(report.imports).toMatchObject({
    rows: 300,
    create: { ...importRun, counts: expect.objectContaining({ created: 300, rejected: 0 }) },
    upsert: { ...importRun, counts: expect.objectContaining({ updated: 300, rejected: 0 }) },
    screenPop: { idle: latency, duringImport: latency },
    targetsMet: { create: expect.any(Boolean), upsert: expect.any(Boolean), largeFileRss: null },
  });
  expect(stdout).toContain('import (CSV, 300 rows');
  for (const entry of result.paths) {
    expect(entry.index).toMatchObject({ indexed: expect.any(Boolean), how: expect.any(String) });
    expect([...entry.probe.our.statuses, ...entry.probe.floor.statuses].every((status: number) => status < 300)).toBe(
      true,
    );
    if (!entry.skipped) expect(entry).toMatchObject({ our: load, floor: load });
  }
}, 300_000);
