import { createContact, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { parse } from 'csv-parse/sync';
import { rejectsOf, runImport } from './import-support';
import { asText } from '../support/text-body';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function exportCsv() {
  return t.http.get('/contacts/export?format=csv').buffer(true).parse(asText).expect(200);
}

describe('export, then import', () => {
  it('upsert by _id of an export reports every row unchanged: line breaks, formula-like text and all', async () => {
    const flag = (await defineAttribute(t, { key: uniqueKey('flag'), type: 'boolean' })).key;
    const score = (await defineAttribute(t, { key: uniqueKey('score'), type: 'number' })).key;
    const note = (await defineAttribute(t, { key: uniqueKey('note'), type: 'text' })).key;
    await createContact(t, { [flag]: true, [score]: 7.5, [note]: 'one\ntwo' });
    await createContact(t, { [flag]: false, last_name: '-', [note]: 'a\r\nb\rc' });
    await createContact(t, { first_name: '=Equals Corp', last_name: '+cmd', [note]: '@here' });
    const count = await t.db.connection.collection('contacts').countDocuments();

    const exported = (await exportCsv()).body as string;
    const job = await runImport(t, exported, 'text/csv', '?mode=upsert&matchOn=_id');

    expect(parse(exported)).toHaveLength(count + 1);
    expect(job.rows).toEqual({ processed: count, created: 0, updated: 0, unchanged: count, rejected: 0 });
  });

  it('a rejects file, corrected, imports: the apostrophe before formula-like cells is taken off again', async () => {
    const mail = (await defineAttribute(t, { key: uniqueKey('mail'), type: 'email' })).key;
    const first = await runImport(t, `first_name,phone1,${mail}\nIntl,+44 20 7946 0958,not-an-email\n`);
    const rejects = await rejectsOf(t, first.id);
    expect(rejects).toContain("'+44 20 7946 0958");

    const [header, row]: string[][] = parse(rejects);
    const corrected = `${header.slice(0, 3).join(',')}\n${[...row.slice(0, 2), 'intl@example.com'].join(',')}\n`;
    const second = await runImport(t, corrected);

    expect(first.rows).toMatchObject({ created: 0, rejected: 1 });
    expect(second.rows).toMatchObject({ created: 1, rejected: 0 });
  });

  it('writes one audit entry per job, with the counts and the columns, never the values', async () => {
    const job = await runImport(t, 'first_name,last_name\nAudit,One\nAudit,Two\n');

    const entries = (await t.http.get('/audit?limit=100').expect(200)).body as Record<string, unknown>[];
    const ofJob = entries.filter((entry) => entry.entityId === job.id);

    expect(ofJob).toEqual([
      expect.objectContaining({
        action: 'import',
        resource: 'contacts',
        changed: ['first_name', 'last_name'],
        count: 2,
      }),
    ]);
    expect(JSON.stringify(ofJob)).not.toContain('Audit');
  });
});
