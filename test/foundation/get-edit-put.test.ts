import { createContact, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const otherId = 'aaaaaaaaaaaaaaaaaaaaaaaa';

/** What an edit form does: GET the object, change one member, PUT the whole object back. */
async function getEditPut(path: string, edit: Record<string, unknown>) {
  const read = (await t.http.get(path).expect(200)).body;
  return { read, put: await t.http.put(path).send({ ...read, ...edit }) };
}

describe('GET → edit → PUT of a contact', () => {
  it('takes back the contact GET returned, with one attribute changed', async () => {
    const contact = await createContact(t);
    const { read, put } = await getEditPut(`/contacts/${contact._id}`, { first_name: 'Changed' });

    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ ...read, first_name: 'Changed', updatedAt: expect.any(String) });
    expect(Date.parse(put.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(read.updatedAt));
    expect(put.body.createdAt).toBe(read.createdAt);
  });

  it('refuses an _id other than the path’s, and a changed createdAt, changing nothing', async () => {
    const contact = await createContact(t);
    const path = `/contacts/${contact._id}`;

    const wrongId = await t.http
      .put(path)
      .send({ ...contact, _id: otherId, first_name: 'X' })
      .expect(400);
    expect(wrongId.body.errors).toEqual([{ path: '_id', message: 'must be the contact id of the path' }]);
    const wrongCreated = await t.http.put(path).send({ ...contact, createdAt: '2001-01-01T00:00:00.000Z' });
    expect(wrongCreated.status).toBe(400);
    expect(wrongCreated.body.errors).toEqual([{ path: 'createdAt', message: expect.stringContaining('read-only') }]);
    await t.http
      .put(path)
      .send({ ...contact, _id: 42 })
      .expect(400);

    expect((await t.http.get(path).expect(200)).body).toEqual(contact);
  });

  it('answers 409 to a stale copy (updatedAt older than stored), and merges when updatedAt is left out', async () => {
    const contact = await createContact(t);
    const path = `/contacts/${contact._id}`;
    const first = await getEditPut(path, { first_name: 'First' });
    expect(first.put.status).toBe(200);

    const stale = await t.http
      .put(path)
      .send({ ...first.read, last_name: 'Stale' })
      .expect(409);
    expect(stale.body).toMatchObject({ status: 409, updatedAt: first.put.body.updatedAt });
    expect(stale.body.detail).toContain('GET it again');
    const { updatedAt: _ignored, ...withoutUpdatedAt } = first.read;
    const merged = await t.http
      .put(path)
      .send({ ...withoutUpdatedAt, last_name: 'Merged' })
      .expect(200);
    expect(merged.body).toMatchObject({ first_name: contact.first_name, last_name: 'Merged' });
  });

  it('marks the members it does not write readOnly in the API document', async () => {
    const document = (await t.http.get('/openapi.json').expect(200)).body;
    const patch = document.components.schemas.ContactPatch.properties;
    for (const name of ['_id', 'createdAt', 'updatedAt']) expect(patch[name]).toMatchObject({ readOnly: true });
  });
});

describe('GET → edit → PUT of an attribute definition', () => {
  async function readSchema() {
    return (await t.http.get('/getSchema').expect(200)).body as (Record<string, unknown> & { _id: string })[];
  }

  it('takes back the definition GET /getSchema returned, with its label changed', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('note'), type: 'enum', options: ['a', 'b'] });
    const read = (await readSchema()).find((definition) => definition._id === attribute._id)!;

    const put = await t.http
      .put(`/schema/${attribute._id}`)
      .send({ ...read, label: 'A note' })
      .expect(200);

    expect(put.body).toMatchObject({ ...read, label: 'A note', updatedAt: expect.any(String) });
  });

  it('takes back a seeded system attribute as read from GET /getSchema', async () => {
    const seeded = (await readSchema()).find((attribute) => attribute.system === true)!;

    const put = await t.http
      .put(`/schema/${seeded._id}`)
      .send({ ...seeded, label: 'Relabelled' })
      .expect(200);

    expect(put.body).toMatchObject({ ...seeded, label: 'Relabelled', updatedAt: expect.any(String) });
  });

  it('refuses another _id, system or createdAt, and a stale updatedAt, changing nothing', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('note'), type: 'string' });
    const path = `/schema/${attribute._id}`;

    await t.http
      .put(path)
      .send({ ...attribute, _id: otherId })
      .expect(400);
    const system = await t.http
      .put(path)
      .send({ ...attribute, system: true, label: 'X' })
      .expect(400);
    expect(system.body.errors).toEqual([{ path: 'system', message: expect.stringContaining('read-only') }]);
    await t.http
      .put(path)
      .send({ ...attribute, createdAt: '2001-01-01T00:00:00.000Z' })
      .expect(400);
    await t.http
      .put(path)
      .send({ ...attribute, label: 'Y', updatedAt: '2001-01-01T00:00:00.000Z' })
      .expect(409);

    expect((await readSchema()).find((definition) => definition._id === attribute._id)).toEqual(attribute);
  });

  it('marks _id, createdAt, updatedAt and system readOnly in the API document', async () => {
    const document = (await t.http.get('/openapi.json').expect(200)).body;
    const body = document.paths['/schema/{schema_id}'].put.requestBody.content['application/json'].schema;
    const properties = (body.$ref ? resolve(document, body.$ref) : body).properties;
    for (const name of ['_id', 'createdAt', 'updatedAt', 'system']) {
      expect(properties[name]).toMatchObject({ readOnly: true });
    }
  });
});

describe('GET → edit → PUT of a mapping', () => {
  it('takes back the mapping GET returned, and refuses an _id other than the path’s', async () => {
    const key = (await defineAttribute(t, { key: uniqueKey('account'), type: 'string' })).key;
    const created = (
      await t.http
        .post('/mapping')
        .send({ callVariable: uniqueKey('cv'), key })
        .expect(200)
    ).body;
    const listed = (await t.http.get('/mapping').expect(200)).body as { _id: string }[];
    const read = listed.find((mapping) => mapping._id === created._id)!;

    const put = await t.http
      .put(`/mapping/${created._id}`)
      .send({ ...read, callVar: 'Account' })
      .expect(200);
    expect(put.body).toEqual({ ...read, callVar: 'Account' });

    const wrong = await t.http
      .put(`/mapping/${created._id}`)
      .send({ ...read, _id: otherId })
      .expect(400);
    expect(wrong.body.errors).toEqual([{ path: '_id', message: 'must be the mapping id of the path' }]);
  });
});

function resolve(document: { components: { schemas: Record<string, unknown> } }, ref: string) {
  return document.components.schemas[ref.split('/').pop()!] as { properties: Record<string, unknown> };
}
