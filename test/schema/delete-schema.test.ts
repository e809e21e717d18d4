import { Types } from 'mongoose';
import { createContact, createContacts, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

// A short refresh makes the second migration pass, which waits out stale definitions, quick.
const env = { CIM_CACHE_REFRESH_MS: '50' };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env });
});
afterAll(() => t.close());

function storedContact(id: string) {
  return t.db.connection.collection('contacts').findOne({ _id: new Types.ObjectId(id) });
}

describe('DELETE /schema/{schema_id}', () => {
  it('deletes the attribute and returns it', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('hobby'), type: 'string' });

    const res = await t.http.delete(`/schema/${attribute._id}`).expect(200);

    expect(res.body).toEqual(attribute);
    const schema = await t.http.get('/getSchema').expect(200);
    expect(schema.body.map((definition: { key: string }) => definition.key)).not.toContain(attribute.key);
  });

  it("erases the attribute's values from every contact, search fields included", async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('secret'), type: 'string' });
    const contacts = [
      await createContact(t, { [attribute.key]: 'Alpha' }),
      await createContact(t, { [attribute.key]: 'Beta' }),
    ];

    await t.http.delete(`/schema/${attribute._id}`).expect(200);

    for (const contact of contacts) {
      const { [attribute.key]: _erased, ...rest } = contact;
      const res = await t.http.get(`/contacts/${contact._id}`).expect(200);
      expect(res.body).toEqual({ ...rest, updatedAt: expect.any(String) });
      const stored = await storedContact(contact._id);
      expect(stored).not.toHaveProperty(attribute.key);
      expect(stored!._kv.filter((token: string) => token.startsWith(`${attribute.key}:`))).toEqual([]);
    }
  });

  it('erases it from many contacts at once, search tokens included (rewritten in bulk)', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('code'), type: 'string' });
    const contacts = await createContacts(t, 60, (index) => ({ [attribute.key]: `Zebra${index}` }));

    await t.http.delete(`/schema/${attribute._id}`).expect(200);

    for (const contact of contacts) {
      const stored = await storedContact(contact._id);
      expect(stored).not.toHaveProperty(attribute.key);
      expect(stored!._prefixes.filter((token: string) => token.startsWith(`${attribute.key}:`))).toEqual([]);
    }
  });

  it('refuses the deleted key on new contacts with 400', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('hobby'), type: 'string' });
    await t.http.delete(`/schema/${attribute._id}`).expect(200);

    const res = await t.http
      .post('/saveContact')
      .send({ first_name: 'Late', [attribute.key]: 'chess' })
      .expect(400);

    expect(res.body.errors).toEqual([{ path: attribute.key, message: 'is not a defined attribute' }]);
  });

  it('frees the unique values, so a new attribute with the same key starts empty', async () => {
    const key = uniqueKey('badge');
    const first = await defineAttribute(t, { key, type: 'string', unique: true });
    await createContact(t, { [key]: 'B-1' });
    await t.http.delete(`/schema/${first._id}`).expect(200);

    await defineAttribute(t, { key, type: 'string', unique: true });

    await createContact(t, { [key]: 'B-1' });
  });

  it('refuses to delete a system attribute with 409', async () => {
    const schema = await t.http.get('/getSchema').expect(200);

    for (const system of schema.body.filter((definition: { system: boolean }) => definition.system)) {
      const res = await t.http.delete(`/schema/${system._id}`);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ type: 'urn:cim:problem:system-attribute', status: 409 });
    }
  });

  it('answers 404 for an unknown id', async () => {
    const res = await t.http.delete('/schema/0123456789abcdef01234567').expect(404);

    expect(res.body).toMatchObject({ type: 'urn:cim:problem:attribute-not-found', status: 404 });
  });

  it('answers 400 for a malformed id', async () => {
    const res = await t.http.delete('/schema/42').expect(400);

    expect(res.body).toMatchObject({ status: 400, errors: [{ path: 'params.schema_id' }] });
  });
});
