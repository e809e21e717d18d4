import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { buildCli, startCliServer, type CliServer } from './cli-server';
import { runCim } from './run-cim';

const adminKey = `cli-import-failures-admin-${process.pid}-key`;
const admin = { Authorization: `Bearer ${adminKey}` };

let s: CliServer;
/** An app whose import runner is stopped: its jobs stay queued until the test acts. Takes files up to 1000 bytes. */
let paused: CliServer;
let onPoll: ((jobId: string) => void) | undefined;

beforeAll(buildCli, 240_000);
beforeAll(async () => {
  s = await startCliServer({ CIM_API_KEYS: `admin:${adminKey}` });
  paused = await startCliServer({ CIM_API_KEYS: `admin:${adminKey}`, CIM_IMPORT_MAX_BYTES: '1000' });
  await paused.t.cim.close();
  // The CLI asks for the job only once it has it: the moment to act on a job it follows.
  paused.server.on('request', (req: IncomingMessage) => {
    const jobId = /^\/imports\/([0-9a-f]{24})$/.exec(req.url ?? '')?.[1];
    if (req.method === 'GET' && jobId) onPoll?.(jobId);
  });
});
afterAll(async () => {
  await s.close();
  await paused.close();
});

const cim = (args: string[], env: Record<string, string> = { CIM_URL: s.baseUrl, CIM_API_KEY: adminKey }) =>
  runCim(['import', ...args], env);

function writeFile(name: string, text: string): string {
  const file = path.join(s.tmpDir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('cim import refuses what it cannot send: exit 2', () => {
  it('a file whose extension names no format', async () => {
    const run = await cim([writeFile('people.txt', 'first_name\nAda\n')]);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `cim: cannot tell the format of ${path.join(s.tmpDir, 'people.txt')}: name it .csv, .ndjson or .jsonl (one JSON object a line).\n`,
    );
  });

  it('a file that does not exist', async () => {
    const run = await cim([path.join(s.tmpDir, 'nowhere.csv')]);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cim: .+nowhere\.csv does not exist: give the path of the file to import\.\n$/);
  });

  it('no file, with the usage', async () => {
    const run = await cim([]);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cim: give one file to import\n\nusage: cim import <file>/);
  });
});

describe('cim import says what the server refused: exit 1', () => {
  it('no key on a server that wants one: names --key and CIM_API_KEY', async () => {
    const run = await cim([writeFile('nokey.csv', 'first_name\nAda\n')], { CIM_URL: s.baseUrl });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^cim: the server wants an API key \(401: .+\)\. Give an admin key with --key or CIM_API_KEY\.\n$/,
    );
  });

  it('an unknown column: the server’s detail and its list of problems', async () => {
    const run = await cim([writeFile('unknown.csv', 'first_name,no_such_attribute\nAda,x\n')]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^cim: the server refused the import \(400: .+\)\n {2}.*no_such_attribute.*: .+\n$/);
  });

  it('a file larger than the server takes: says to split it or raise CIM_IMPORT_MAX_BYTES', async () => {
    const file = writeFile('large.csv', `first_name\n${'Ada\n'.repeat(500)}`);

    const run = await cim([file], { CIM_URL: paused.baseUrl, CIM_API_KEY: adminKey });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^cim: the file is too large for the server \(413: .+\)\. Split it, or raise CIM_IMPORT_MAX_BYTES/,
    );
  });
});

describe('cim import when the job does not complete', () => {
  it('a failed job: the summary, then the job’s error; exit 1', async () => {
    const run = await cim([writeFile('unclosed.csv', 'first_name\nBefore\n"never closed\n')]);

    expect(run.code).toBe(1);
    const [summary, failure, ...rest] = run.stderr.split('\n');
    expect(summary).toMatch(/^import [0-9a-f]{24} failed: \d+ rows, .+ in \d+\.\d s, (\d+|–) rows\/s$/);
    expect(failure).toMatch(/^cim: the import failed: .*quote/i);
    expect(rest).toEqual(['']);
  });

  it('a job cancelled on the server while followed: exit 1, saying so', async () => {
    let cancelling: Promise<{ status: number }> | undefined;
    onPoll = (jobId) => {
      onPoll = undefined;
      cancelling = paused.t.http
        .delete(`/imports/${jobId}`)
        .set(admin)
        .then((res) => res);
    };

    const run = await cim([writeFile('cancelled.csv', 'first_name\nAda\n')], {
      CIM_URL: paused.baseUrl,
      CIM_API_KEY: adminKey,
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^import [0-9a-f]{24} cancelled: 0 rows, .+\ncim: the import was cancelled on the server/,
    );
    expect(await cancelling).toMatchObject({ status: 200 });
  });

  it('Ctrl-C while following: the job goes on, and the message says how to follow or cancel it', async () => {
    let child: ChildProcess | undefined;
    let followed = '';
    onPoll = (jobId) => {
      onPoll = undefined;
      followed = jobId;
      child?.kill('SIGINT');
    };
    const file = writeFile('interrupted.csv', 'first_name\nAda\n');

    const run = await runCim(['import', file], { CIM_URL: paused.baseUrl, CIM_API_KEY: adminKey }, (started) => {
      child = started;
    });

    expect(run.code).toBe(130);
    const url = `${paused.baseUrl}/imports/${followed}`;
    expect(run.stderr).toBe(
      `cim: stopped following import ${followed}; it goes on on the server.\n` +
        `  follow it: curl -H "Authorization: Bearer $CIM_API_KEY" ${url}\n` +
        `  cancel it: curl -X DELETE -H "Authorization: Bearer $CIM_API_KEY" ${url}\n`,
    );
    const job = await paused.t.http.get(`/imports/${followed}`).set(admin).expect(200);
    expect(job.body).toMatchObject({ status: 'queued' });
  });
});
