import { createContact, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { runImport } from './import-support';
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
  it('upsert by _id of an export reports every row unchanged', async () => {
    const flag = (await defineAttribute(t, { key: uniqueKey('flag'), type: 'boolean' })).key;
    const score = (await defineAttribute(t, { key: uniqueKey('score'), type: 'number' })).key;
    await createContact(t, { [flag]: true, [score]: 7.5 });
    await createContact(t, { [flag]: false });
    const count = await t.db.connection.collection('contacts').countDocuments();

    const exported = (await exportCsv()).body as string;
    const job = await runImport(t, exported, 'text/csv', '?mode=upsert&matchOn=_id');

    expect(job.rows).toEqual({ processed: count, created: 0, updated: 0, unchanged: count, rejected: 0 });
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
