import { createContact, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { postImport, rejectsOf, runImport } from './import-support';
import { asText } from '../support/text-body';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function exportCsv() {
  return t.http.get('/contacts/export?format=csv').buffer(true).parse(asText).expect(200);
}

describe('bad files', () => {
  it('400 for a file that is not UTF-8, nothing stored', async () => {
    const latin1 = Buffer.concat([Buffer.from('first_name\n'), Buffer.from([0xe9, 0x0a])]);

    const res = await postImport(t, latin1, 'text/csv').expect(400);

    expect(res.body.detail).toBe('The file is not valid UTF-8.');
    expect(await t.db.connection.collection('import_chunks').countDocuments()).toBe(0);
  });

  it('rejects a row holding a NUL byte', async () => {
    const job = await runImport(t, 'first_name\nA\u0000B\nPlain\n');

    expect(job.rows).toMatchObject({ created: 1, rejected: 1 });
    expect(await rejectsOf(t, job.id)).toContain('holds a null character');
  });

  it('fails the job with the parser’s message on a quote never closed', async () => {
    const csv = 'first_name\nBefore\n"never closed\n';

    const job = await runImport(t, csv);

    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/quote/i);
    expect(job.finishedAt).toEqual(expect.any(String));
  });
});

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
