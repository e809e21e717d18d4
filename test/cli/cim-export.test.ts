import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../src/db/embedded/free-port';
import { contactInput, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { projectRoot, runCim } from './run-cim';
import { asText } from '../support/text-body';

const adminKey = `cli-test-admin-${process.pid}-key`;
const agentKey = `cli-test-agent-${process.pid}-key`;
const admin = { Authorization: `Bearer ${adminKey}` };

let t: TestApp;
let server: http.Server;
let baseUrl: string;
let tmpDir: string;

beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: projectRoot, encoding: 'utf8' });
  expect(build.stderr).toBe('');
  expect(build.status).toBe(0);
}, 240_000);

beforeAll(async () => {
  t = await startTestApp({ env: { CIM_API_KEYS: `admin:${adminKey},agent:${agentKey}` } });
  server = http.createServer(t.cim.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-cli-'));
  const attribute = await t.http
    .post('/saveSchema')
    .set(admin)
    .send({ key: uniqueKey('note'), label: 'Note', type: 'string' });
  const note = (attribute.body as { key: string }).key;
  // A line break and quotes inside a cell: the CLI must count that contact as one row, not two.
  for (const value of ['plain', 'line one\nline "two"', '=1+1']) {
    await t.http
      .post('/saveContact')
      .set(admin)
      .send(contactInput({ [note]: value }))
      .expect(200);
  }
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

/** The export's body as the server sends it (supertest parses only JSON and text/plain itself). */
async function exportBody(format: 'csv' | 'ndjson'): Promise<Buffer> {
  const res = await t.http.get(`/contacts/export?format=${format}`).set(admin).buffer(true).parse(asText).expect(200);
  return Buffer.from(res.body as string);
}

const summary = (rows: number, destination: string) =>
  new RegExp(`^exported ${rows} rows \\(.+\\) to ${destination} in \\d+\\.\\d s, (\\d+|–) rows/s\\n$`);

describe('cim export', () => {
  it('writes the CSV export to stdout byte for byte, with CIM_URL and CIM_API_KEY, and one summary line on stderr', async () => {
    const run = await runCim(['export'], { CIM_URL: baseUrl, CIM_API_KEY: adminKey });

    expect(run.stderr).toMatch(summary(3, 'stdout'));
    expect(run.code).toBe(0);
    expect(run.stdout.equals(await exportBody('csv'))).toBe(true);
  });

  it('writes NDJSON to the --out file with --url and --key, and nothing to stdout', async () => {
    const out = path.join(tmpDir, 'contacts.ndjson');

    const run = await runCim(['export', '--format', 'ndjson', '--out', out, '--url', baseUrl, '--key', adminKey]);

    expect(run.stderr).toMatch(summary(3, out.replace(/[.]/g, '\\.')));
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBe(0);
    expect(fs.readFileSync(out).equals(await exportBody('ndjson'))).toBe(true);
  });

  it('passes --updated-since on: a future instant exports the header row alone', async () => {
    const run = await runCim([
      'export',
      '--updated-since',
      '2999-01-01T00:00:00Z',
      '--url',
      baseUrl,
      '--key',
      adminKey,
    ]);

    expect(run.stderr).toMatch(summary(0, 'stdout'));
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toMatch(/^_id,.*,createdAt,updatedAt\r\n$/);
  });

  it('prints the problem detail of a 400 and exits 1', async () => {
    const run = await runCim(['export', '--updated-since', 'yesterday', '--url', baseUrl, '--key', adminKey]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^cim: the server refused the export \(400: .+\)\n {2}query\.updatedSince: .+\n$/);
    expect(run.stdout.length).toBe(0);
  });
});

describe('cim export failures say what to do next', () => {
  it('a wrong key: exit 1, naming --key and CIM_API_KEY', async () => {
    const run = await runCim(['export'], { CIM_URL: baseUrl, CIM_API_KEY: 'not-a-real-key-at-all' });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^cim: the server refused the API key \(401: .+\)\. .*--key or CIM_API_KEY/);
    expect(run.stdout.length).toBe(0);
  });

  it('a key of a role that may not export: exit 1, saying export needs an admin key', async () => {
    const out = path.join(tmpDir, 'refused.csv');

    const run = await runCim(['export', '--url', baseUrl, '--key', agentKey, '--out', out]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/403: .+Export needs an admin key: give one with --key or CIM_API_KEY/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('an unreachable server: exit 1, naming the URL and --url / CIM_URL', async () => {
    const nobody = `http://127.0.0.1:${await findFreePort()}`;

    const run = await runCim(['export', '--url', nobody, '--key', adminKey]);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `cim: cannot reach CIM at ${nobody} (ECONNREFUSED): start the server there, or give its address with --url or CIM_URL.\n`,
    );
  });

  it('an unknown option: exit 2 with the usage', async () => {
    const run = await runCim(['export', '--fromat', 'csv']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cim: Unknown option '--fromat'[\s\S]*usage: cim export/);
  });
});
