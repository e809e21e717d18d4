import { Types } from 'mongoose';
import { defineAttribute } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

/** A contact as the previous version stored it: search fields of version 1, no `_sv`. */
function versionOneContact(first_name: string, last_name: string, extra: Record<string, unknown> = {}) {
  const words = [first_name, last_name].map((name) => name.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, ''));
  const now = new Date();
  return {
    _id: new Types.ObjectId(),
    first_name,
    last_name,
    ...extra,
    _kv: [`first_name:${words[0]}`, `last_name:${words[1]}`],
    _phones: [],
    _nameTokens: words,
    _fullNames: [words.join(' '), [...words].reverse().join(' ')],
    _sortName: [...words].reverse().join(' '),
    createdAt: now,
    updatedAt: now,
  };
}

async function readyWhenDone(app: TestApp) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await app.http.get('/ready').expect(200);
    if (res.body.searchFields.state === 'done') return res.body.searchFields;
    if (Date.now() > deadline) throw new Error(`backfill not done: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('contacts stored with older search fields', () => {
  let setup: TestApp;
  let app: TestApp;
  const stored = Array.from({ length: 450 }, (_, index) => versionOneContact(`Søren${index}`, 'Łódź'));

  beforeAll(async () => {
    setup = await startTestApp();
    await defineAttribute(setup, { key: 'nick', type: 'string', unique: true });
    const contacts = setup.db.connection.collection('contacts');
    await contacts.insertMany([...stored, versionOneContact('Old', 'Claim', { nick: 'Ærø' })]);
    await setup.db.connection.collection('contact_unique_values').insertOne({
      _id: 'nick:ærø' as never,
      key: 'nick',
      contactId: String(stored.length),
      createdAt: new Date(Date.now() - 60_000),
    });
    await setup.db.connection.collection('background_jobs').deleteMany({});
    await setup.close({ keepDatabase: true });
    app = await startTestApp({ dbName: setup.dbName });
  });
  afterAll(() => app.close());

  it('are re-derived in the background, with progress on /ready', async () => {
    const progress = await readyWhenDone(app);

    expect(progress).toMatchObject({ version: expect.any(Number), state: 'done', rewritten: stored.length + 1 });
    const unmigrated = await app.db.connection
      .collection('contacts')
      .countDocuments({ _sv: { $ne: progress.version } });
    expect(unmigrated).toBe(0);
  });

  it('are then found by the new folding', async () => {
    await readyWhenDone(app);
    const res = await app.http.get('/contacts/getContactByName/soren449%20lodz').expect(200);

    expect(res.body.map((contact: { first_name: string }) => contact.first_name)).toEqual(['Søren449']);
  });

  it('hold their unique values under the new folding', async () => {
    await readyWhenDone(app);
    const res = await app.http
      .post('/saveContact')
      .send({ first_name: 'New', last_name: 'Comer', nick: 'Aero' })
      .expect(409);

    expect(res.body.errors).toEqual([{ path: 'nick', message: expect.any(String) }]);
  });
});
