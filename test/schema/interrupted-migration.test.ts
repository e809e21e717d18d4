import { Types } from 'mongoose';
import { createContact, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/**
 * What a holder that lost the definitions' lock (or crashed) right after deleting an attribute leaves behind: the
 * definition gone, the migration's record, and contacts still holding the value.
 */
async function interruptedDeletion(app: TestApp): Promise<{ key: string; contactId: string }> {
  const key = uniqueKey('note');
  const attribute = await defineAttribute(app, { key, type: 'string' });
  const contact = await createContact(app, { [key]: 'personal words' });
  const records = app.db.connection.collection('attribute_migrations');
  await records.insertOne({ _id: key as never, rewriteValues: true, changedAt: new Date() });
  await app.db.connection.collection('attribute_definitions').deleteOne({ key });
  expect(attribute.key).toBe(key);
  return { key, contactId: contact._id };
}

async function storedValue(app: TestApp, contactId: string, key: string): Promise<unknown> {
  const document = await app.db.connection.collection('contacts').findOne({ _id: new Types.ObjectId(contactId) });
  return document?.[key];
}

describe('an attribute migration a holder left unfinished', () => {
  it('is finished by the next definition write, before it changes anything', async () => {
    const { key, contactId } = await interruptedDeletion(t);
    expect(await storedValue(t, contactId, key)).toBe('personal words');

    await defineAttribute(t, { key: uniqueKey('other'), type: 'string' });

    expect(await storedValue(t, contactId, key)).toBeUndefined();
    expect(await t.db.connection.collection('attribute_migrations').countDocuments({ _id: key as never })).toBe(0);
    const read = (await t.http.get(`/contacts/${contactId}`).expect(200)).body as Record<string, unknown>;
    expect(Object.keys(read)).not.toContain(key);
  });

  it('is finished by the next instance to start on the database', async () => {
    const { key, contactId } = await interruptedDeletion(t);

    const restarted = await startTestApp({ dbName: t.dbName });
    try {
      const deadline = Date.now() + 10_000;
      while ((await storedValue(t, contactId, key)) !== undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await storedValue(t, contactId, key)).toBeUndefined();
    } finally {
      await restarted.close({ keepDatabase: true });
    }
  });
});
