import { createContact, defineAttribute, uniqueKey, uniquePhone } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { postImport, rejectsOf, runImport } from './import-support';

let t: TestApp;
let account: string;
beforeAll(async () => {
  t = await startTestApp({ env: { CIM_IMPORT_MAX_BYTES: '2000' } });
  account = (await defineAttribute(t, { key: uniqueKey('account'), type: 'string', unique: true })).key;
});
afterAll(() => t.close());

const contact = async (id: string) => (await t.http.get(`/contacts/${id}`).expect(200)).body as Record<string, unknown>;

describe('POST /imports, mode=upsert', () => {
  it('matches on a unique attribute: updates, leaves alone what an empty cell skips, counts unchanged and created', async () => {
    const [a, b] = [uniqueKey('A'), uniqueKey('B')];
    const ann = await createContact(t, { [account]: a, last_name: 'Keep' });
    const bob = await createContact(t, { [account]: b, first_name: 'Bob' });
    const newPhone = uniquePhone();
    const csv = `${account},first_name,last_name,phone1\n${a},Annie,,${newPhone}\n${b},Bob,,\n${uniqueKey('C')},Cy,New,\n`;

    const job = await runImport(t, csv, 'text/csv', `?mode=upsert&matchOn=${account}`);

    expect(job.rows).toEqual({ processed: 3, created: 1, updated: 1, unchanged: 1, rejected: 0 });
    expect(await contact(ann._id)).toMatchObject({ first_name: 'Annie', last_name: 'Keep', phone1: newPhone });
    expect(await contact(bob._id)).toEqual(bob);
  });

  it('creates every row of a batch that matches nothing, in a real run and a dry run', async () => {
    const csv = `${account},first_name\n${uniqueKey('N1')},New\n${uniqueKey('N2')},Newer\n`;

    const dry = await runImport(t, csv, 'text/csv', `?mode=upsert&matchOn=${account}&dryRun=true`);
    const job = await runImport(t, csv, 'text/csv', `?mode=upsert&matchOn=${account}`);

    expect(dry).toMatchObject({ status: 'completed', rows: { processed: 2, created: 2, rejected: 0 } });
    expect(job).toMatchObject({ status: 'completed', rows: { processed: 2, created: 2, rejected: 0 } });
  });

  it('matches on _id, from NDJSON: null removes a value as PUT does, an unknown _id is created with that id', async () => {
    const ann = await createContact(t, { last_name: 'Gone' });
    const newId = '65a000000000000000000001';
    const ndjson = [
      JSON.stringify({ _id: ann._id, first_name: 'Changed', last_name: null }),
      JSON.stringify({ _id: newId, first_name: 'Fresh' }),
    ].join('\n');

    const job = await runImport(t, ndjson, 'application/x-ndjson', '?mode=upsert&matchOn=_id');

    expect(job.rows).toEqual({ processed: 2, created: 1, updated: 1, unchanged: 0, rejected: 0 });
    const changed = await contact(ann._id);
    expect(changed).toMatchObject({ first_name: 'Changed' });
    expect(changed).not.toHaveProperty('last_name');
    expect(await contact(newId)).toMatchObject({ first_name: 'Fresh' });
  });

  it('rows matching the same contact apply in file order; a changed unique value frees the old one', async () => {
    const [a, b] = [uniqueKey('A'), uniqueKey('B')];
    const ann = await createContact(t, { [account]: a, first_name: 'Ann' });
    const bob = await createContact(t, { [account]: b });
    const csv = `_id,first_name,${account}\n${ann._id},First,\n${bob._id},,${uniqueKey('B2')}\n${ann._id},Second,\n`;

    const job = await runImport(t, csv, 'text/csv', '?mode=upsert&matchOn=_id');

    expect(job.rows).toEqual({ processed: 3, created: 0, updated: 3, unchanged: 0, rejected: 0 });
    expect(await contact(ann._id)).toMatchObject({ first_name: 'Second', [account]: a });
    // Bob's old value is released: a new contact may take it now.
    await createContact(t, { [account]: b });
  });

  it('an upsert taking another contact’s unique value is rejected, the contact left as it was', async () => {
    const [a, b] = [uniqueKey('A'), uniqueKey('B')];
    const ann = await createContact(t, { [account]: a });
    await createContact(t, { [account]: b });

    const job = await runImport(t, `_id,${account}\n${ann._id},${b}\n`, 'text/csv', '?mode=upsert&matchOn=_id');

    expect(job.rows).toMatchObject({ updated: 0, rejected: 1 });
    expect(await rejectsOf(t, job.id)).toContain(`${account}: is already used by another contact`);
    expect(await contact(ann._id)).toEqual(ann);
  });
});

describe('limits', () => {
  it('413 for a file larger than CIM_IMPORT_MAX_BYTES, and nothing stored', async () => {
    const csv = `first_name\n${'Ann\n'.repeat(1000)}`;

    await postImport(t, csv, 'text/csv').expect(413);

    expect(await t.db.connection.collection('import_chunks').countDocuments()).toBe(0);
  });
});
