import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { uniqueKey, uniquePhone, uniqueWord } from '../support/factories';
import { buildCli, startCliServer, type CliServer } from './cli-server';
import { projectRoot, runCim } from './run-cim';

const adminKey = `cli-import-admin-${process.pid}-key`;
const admin = { Authorization: `Bearer ${adminKey}` };

let s: CliServer;
let account: string;

beforeAll(buildCli, 240_000);
beforeAll(async () => {
  s = await startCliServer({ CIM_API_KEYS: `admin:${adminKey}` });
  account = uniqueKey('account');
  await s.t.http.post('/saveSchema').set(admin).send({ key: account, label: 'Account', type: 'string', unique: true });
});
afterAll(() => s.close());

const cim = (...args: string[]) => runCim(['import', ...args], { CIM_URL: s.baseUrl, CIM_API_KEY: adminKey });

function writeFile(name: string, text: string): string {
  const file = path.join(s.tmpDir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function contactsNamed(name: string): Promise<Record<string, unknown>[]> {
  const found = await s.t.http.get(`/contacts/getContactByName/${name}`).set(admin);
  return found.status === 404 ? [] : (found.body as Record<string, unknown>[]);
}

const summary = (status: string, counts: string, tail = '') =>
  new RegExp(`^import [0-9a-f]{24} ${status}: ${counts} in \\d+\\.\\d s, (\\d+|–) rows/s${tail}\\n$`);

describe('cim import', () => {
  it('imports a CSV: contacts stored, one summary line, the rejected row saved beside the file; exit 0', async () => {
    const [ada, alan] = [uniqueWord('ada'), uniqueWord('alan')];
    const file = writeFile('people.csv', `first_name,phone1\n${ada},${uniquePhone()}\nBad,not a phone\n${alan},\n`);
    const rejectsFile = path.join(s.tmpDir, 'people.rejects.csv');

    const run = await cim(file);

    const counts = '3 rows, 2 created, 0 updated, 0 unchanged, 1 rejected';
    const where = `; the rejected rows and why are in ${rejectsFile.replace(/[.]/g, '\\.')}`;
    expect(run.stderr).toMatch(summary('completed', counts, where));
    expect(run.stderr).not.toContain('\r');
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBe(0);
    const rejects: Record<string, string>[] = parse(fs.readFileSync(rejectsFile), { columns: true });
    expect(rejects).toEqual([
      { first_name: 'Bad', phone1: 'not a phone', row: '3', errors: expect.stringMatching(/^phone1: /) },
    ]);
    expect(await contactsNamed(ada)).toEqual([expect.objectContaining({ first_name: ada })]);
    expect(await contactsNamed(alan)).toEqual([expect.objectContaining({ first_name: alan })]);
  });

  it('upserts with --mode upsert --match-on, updating the matched contact', async () => {
    const [name, number] = [uniqueWord('grace'), `acct-${uniqueKey()}`];
    await cim(writeFile('first.csv', `first_name,${account}\n${name},${number}\n`));

    const run = await cim(
      writeFile('second.csv', `${account},last_name\n${number},Hopper\n`),
      '--mode',
      'upsert',
      '--match-on',
      account,
    );

    expect(run.stderr).toMatch(summary('completed', '1 rows, 0 created, 1 updated, 0 unchanged, 0 rejected'));
    expect(run.code).toBe(0);
    expect(await contactsNamed(name)).toEqual([expect.objectContaining({ [account]: number, last_name: 'Hopper' })]);
    expect(fs.existsSync(path.join(s.tmpDir, 'second.rejects.csv'))).toBe(false);
  });

  it('--dry-run checks every row and writes nothing', async () => {
    const name = uniqueWord('dry');

    const run = await cim(writeFile('dry.csv', `first_name\n${name}\n`), '--dry-run');

    expect(run.stderr).toMatch(
      summary('completed \\(dry run: nothing written\\)', '1 rows, 1 created, 0 updated, 0 unchanged, 0 rejected'),
    );
    expect(run.code).toBe(0);
    expect(await contactsNamed(name)).toEqual([]);
  });

  it('imports NDJSON (.jsonl), its rejected line saved as NDJSON beside it', async () => {
    const name = uniqueWord('lines');
    const file = writeFile('people.jsonl', `{"first_name":"${name}"}\n{"phone1":"not a phone"}\n`);

    const run = await cim(file);

    expect(run.stderr).toMatch(summary('completed', '2 rows, 1 created, 0 updated, 0 unchanged, 1 rejected', '; .+'));
    expect(run.code).toBe(0);
    const rejects = fs.readFileSync(path.join(s.tmpDir, 'people.rejects.jsonl'), 'utf8');
    expect(
      rejects
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([{ row: 2, errors: [expect.objectContaining({ path: 'phone1' })], input: { phone1: 'not a phone' } }]);
    expect(await contactsNamed(name)).toEqual([expect.objectContaining({ first_name: name })]);
  });
});

describe('cim --help', () => {
  it('prints the usage of both commands on stdout and exits 0', async () => {
    const run = await runCim(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toMatch(
      /^usage: cim <command>[\s\S]*usage: cim export[\s\S]*usage: cim import <file>/,
    );
    expect(run.stdout.toString()).not.toContain('coming');
    expect(run.stderr).toBe('');
  });
});

describe('the README’s import example', () => {
  const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('**Import** (admin)'));
  const [file, rejects] = [...section.matchAll(/^```csv\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  const shown = /^```text\n(import .+)\n```$/m.exec(section)?.[1] ?? '';

  it('runs as written: the summary and the rejects file are the ones it shows', async () => {
    await s.t.http
      .post('/saveSchema')
      .set(admin)
      .send({ key: 'accountNo', label: 'Account no', type: 'string', unique: true });
    fs.mkdirSync(path.join(s.tmpDir, 'readme'));
    const people = path.join(s.tmpDir, 'readme', 'people.csv');
    fs.writeFileSync(people, file);

    const run = await runCim(
      ['import', 'people.csv'],
      { CIM_URL: s.baseUrl, CIM_API_KEY: adminKey },
      undefined,
      path.dirname(people),
    );

    expect(run.code).toBe(0);
    const timeless = (line: string) =>
      line.replace(/[0-9a-f]{24}/, 'ID').replace(/in [\d.]+ s, (\d+|–) rows\/s/, 'in T');
    expect(timeless(run.stderr)).toBe(`${timeless(shown)}\n`);
    // CIM writes CSV with CRLF between records (RFC 4180); the README shows the lines.
    const saved = fs.readFileSync(path.join(s.tmpDir, 'readme', 'people.rejects.csv'), 'utf8');
    expect(saved.replaceAll('\r\n', '\n')).toBe(rejects);
  });
});
