import { createContact, defineAttribute } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await defineAttribute(t, { key: 'email', type: 'email', unique: true });
  await defineAttribute(t, { key: 'city', type: 'string' });
  await defineAttribute(t, { key: 'vip', type: 'boolean' });
});
afterAll(() => t.close());

const unknownId = '0123456789abcdef01234567';

describe('GET /contacts/{contact_id}', () => {
  it('returns the stored contact', async () => {
    const contact = await createContact(t, { city: 'Lahore', vip: true });

    const res = await t.http.get(`/contacts/${contact._id}`).expect(200);

    expect(res.body).toEqual(contact);
    expect(res.body).toMatchObject({ city: 'Lahore', vip: true });
  });

  it('finds the contact whatever the case of its id', async () => {
    const contact = await createContact(t);

    await t.http.get(`/contacts/${contact._id.toUpperCase()}`).expect(200, contact);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await t.http.get(`/contacts/${unknownId}`).expect(404);

    expect(res.body).toMatchObject({ type: 'urn:cim:problem:contact-not-found', status: 404 });
  });

  it('answers 400 for a malformed id', async () => {
    const res = await t.http.get('/contacts/12345').expect(400);

    expect(res.body).toMatchObject({ status: 400, errors: [{ path: 'params.contact_id' }] });
  });
});

describe('PUT /contacts/{contact_id}', () => {
  it('sets the attributes sent and keeps the others', async () => {
    const contact = await createContact(t, { city: 'Lahore' });

    const res = await t.http.put(`/contacts/${contact._id}`).send({ city: 'Karachi', vip: false }).expect(200);

    expect(res.body).toEqual({ ...contact, city: 'Karachi', vip: false, updatedAt: expect.any(String) });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(contact.updatedAt as string));
    await t.http.get(`/contacts/${contact._id}`).expect(200, res.body);
  });

  it('removes attributes sent as null', async () => {
    const contact = await createContact(t, { city: 'Lahore', vip: true });
    const { city: _city, ...withoutCity } = contact;

    const res = await t.http.put(`/contacts/${contact._id}`).send({ city: null }).expect(200);

    expect(res.body).toEqual({ ...withoutCity, updatedAt: expect.any(String) });
    await t.http.get(`/contacts/${contact._id}`).expect(200, res.body);
  });

  it('refuses to remove a required attribute with 400', async () => {
    const fresh = await startTestApp();
    try {
      await defineAttribute(fresh, { key: 'account', type: 'string', required: true });
      const contact = await createContact(fresh, { account: 'A-1' });

      const res = await fresh.http.put(`/contacts/${contact._id}`).send({ account: null }).expect(400);

      expect(res.body.errors).toEqual([{ path: 'account', message: 'is required' }]);
      await fresh.http.get(`/contacts/${contact._id}`).expect(200, contact);
    } finally {
      await fresh.close();
    }
  });

  it('refuses to remove every attribute with 400', async () => {
    const contact = await createContact(t);

    const res = await t.http
      .put(`/contacts/${contact._id}`)
      .send({ first_name: null, last_name: null, phone1: null })
      .expect(400);

    expect(res.body).toMatchObject({ type: 'urn:cim:problem:empty-contact' });
  });

  it('refuses a unique value another contact holds with 409 naming the attribute', async () => {
    await createContact(t, { email: 'taken@example.com' });
    const contact = await createContact(t, { email: 'mine@example.com' });

    const res = await t.http.put(`/contacts/${contact._id}`).send({ email: 'Taken@Example.com' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:cim:problem:unique-value-taken',
      errors: [{ path: 'email', message: 'is already used by another contact' }],
    });
    await t.http.get(`/contacts/${contact._id}`).expect(200, contact);
  });

  it('keeps its own unique value when it is sent again', async () => {
    const contact = await createContact(t, { email: 'same@example.com' });

    const res = await t.http.put(`/contacts/${contact._id}`).send({ email: 'SAME@example.com', city: 'Multan' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: 'same@example.com', city: 'Multan' });
  });

  it('refuses an unknown attribute with 400', async () => {
    const contact = await createContact(t);

    const res = await t.http.put(`/contacts/${contact._id}`).send({ shoe_size: 42 }).expect(400);

    expect(res.body.errors).toEqual([{ path: 'shoe_size', message: 'is not a defined attribute' }]);
  });

  it('answers 404 for an unknown id', async () => {
    await t.http.put(`/contacts/${unknownId}`).send({ city: 'Nowhere' }).expect(404);
  });

  it('answers 400 for a malformed id', async () => {
    await t.http.put('/contacts/not-an-id').send({ city: 'Nowhere' }).expect(400);
  });

  it('answers 400 for a body that is not an object', async () => {
    const contact = await createContact(t);

    await t.http.put(`/contacts/${contact._id}`).send(['city']).expect(400);
  });
});

describe('DELETE /contacts/{contact_id}', () => {
  it('returns the deleted contact, which is then gone', async () => {
    const contact = await createContact(t, { city: 'Quetta' });

    const res = await t.http.delete(`/contacts/${contact._id}`).expect(200);

    expect(res.body).toEqual(contact);
    await t.http.get(`/contacts/${contact._id}`).expect(404);
    await t.http.delete(`/contacts/${contact._id}`).expect(404);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    await t.http.delete(`/contacts/${unknownId}`).expect(404);
    await t.http.delete('/contacts/xyz').expect(400);
  });
});
