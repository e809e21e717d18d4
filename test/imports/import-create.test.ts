import { parse } from 'csv-parse/sync';
import { defineAttribute, uniqueKey, uniquePhone } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { postImport, rejectsOf, runImport } from './import-support';

let t: TestApp;
let email: string;
beforeAll(async () => {
  t = await startTestApp();
  email = (await defineAttribute(t, { key: uniqueKey('email'), type: 'email', unique: true })).key;
});
afterAll(() => t.close());

const contactCount = async () => Number((await t.db.connection.collection('contacts').countDocuments()) ?? 0);

describe('POST /imports, mode=create', () => {
  it('creates a contact per CSV row, phones normalised, found by screen pop as soon as the job completes', async () => {
    const phone = uniquePhone();
    const national = `(${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    const csv = `first_name,last_name,phone1,${email}\nAda,Lovelace,${national},ada-${email}@example.com\nAlan,Turing,,\n`;

    const job = await runImport(t, csv);

    expect(job).toMatchObject({ status: 'completed', format: 'csv', mode: 'create', dryRun: false });
    expect(job.rows).toEqual({ processed: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 });
    const popped = await t.http.post('/contacts/lookup').send({ ani: phone }).expect(200);
    expect(popped.body.contacts).toEqual([
      expect.objectContaining({ first_name: 'Ada', last_name: 'Lovelace', phone1: phone }),
    ]);
    const found = await t.http.get('/contacts/getContactByName/ada lovelace').expect(200);
    expect(found.body).toEqual([expect.objectContaining({ phone1: phone })]);
  });

  it('rejects rows that break a rule, with their line and message, and a repeated unique value naming its row', async () => {
    const address = `dup-${uniqueKey()}@example.com`;
    const csv = [
      `first_name,phone1,${email}`,
      `Good,${uniquePhone()},${address}`,
      `Bad,not a phone,`,
      `Twin,${uniquePhone()},${address.toUpperCase()}`,
      `,,`,
    ].join('\r\n');

    const job = await runImport(t, csv);

    expect(job.rows).toEqual({ processed: 4, created: 1, updated: 0, unchanged: 0, rejected: 3 });
    const rejects: Record<string, string>[] = parse(await rejectsOf(t, job.id), { columns: true });
    expect(rejects.map((reject) => [reject.row, reject.first_name])).toEqual([
      ['3', 'Bad'],
      ['4', 'Twin'],
      ['5', ''],
    ]);
    expect(rejects[0].errors).toMatch(/^phone1: /);
    expect(rejects[1].errors).toBe(`${email}: repeats the ${email} of row 2`);
    expect(rejects[2].errors).toMatch(/at least one attribute/);
  });

  it('a unique value taken by a contact from an earlier batch or job is rejected', async () => {
    const address = `taken-${uniqueKey()}@example.com`;
    await runImport(t, `first_name,${email}\nFirst,${address}\n`);

    const job = await runImport(t, `first_name,${email}\nSecond,${address}\n`);

    expect(job.rows).toMatchObject({ created: 0, rejected: 1 });
    expect(await rejectsOf(t, job.id)).toContain(`${email}: is already used by another contact`);
  });

  it('reads a BOM, CRLF line ends and quoted newlines, and rejects a ragged row', async () => {
    const name = uniqueKey('Quoted');
    const csv = `\uFEFFfirst_name,last_name\r\n"${name}","two\r\nlines"\r\nRagged,row,extra\r\nPlain,Row\r\n`;

    const job = await runImport(t, csv);

    expect(job.rows).toEqual({ processed: 3, created: 2, updated: 0, unchanged: 0, rejected: 1 });
    const rejects: Record<string, string>[] = parse(await rejectsOf(t, job.id), { columns: true });
    expect(rejects).toEqual([
      { first_name: 'Ragged', last_name: 'row', row: '4', errors: 'row 4 has 3 cells where the header has 2' },
    ]);
    const found = await t.http.get(`/contacts/getContactByName/${name}`).expect(200);
    expect(found.body).toEqual([expect.objectContaining({ last_name: 'two\r\nlines' })]);
  });

  it('dryRun=true checks every row and writes no contact', async () => {
    const before = await contactCount();
    const address = `dry-${uniqueKey()}@example.com`;
    const csv = `first_name,${email}\nDry,${address}\nRun,${address}\nBad,nope\n`;

    const job = await runImport(t, csv, 'text/csv', '?dryRun=true');

    expect(job).toMatchObject({ dryRun: true, rows: { processed: 3, created: 1, rejected: 2 } });
    expect(await contactCount()).toBe(before);
  });
});

describe('POST /imports, refused up front', () => {
  it('400 for upsert without matchOn, and for a matchOn that is not unique', async () => {
    const missing = await postImport(t, 'first_name\nA\n', 'text/csv', '?mode=upsert').expect(400);
    const notUnique = await postImport(t, 'first_name\nA\n', 'text/csv', '?mode=upsert&matchOn=first_name').expect(400);

    expect(missing.body.errors).toEqual([{ path: 'matchOn', message: 'is required for mode=upsert' }]);
    expect(notUnique.body.errors).toEqual([
      { path: 'matchOn', message: 'must be _id or an attribute with unique: true' },
    ]);
  });
});
