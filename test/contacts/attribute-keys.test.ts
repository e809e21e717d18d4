import { contactInput, createContact, defineAttribute } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// Valid keys that are also names of JavaScript object or Mongoose document members.
const memberNames = ['toObject', 'toJSON', 'toString', 'save', 'isNew', 'errors', 'get', 'set', 'schema'];

describe('attributes whose keys are names of object members', () => {
  beforeAll(async () => {
    for (const key of memberNames) await defineAttribute(t, { key, type: 'string' });
  });

  it('stores, returns and updates them like any other attribute', async () => {
    const values = Object.fromEntries(memberNames.map((key) => [key, `value of ${key}`]));

    const created = await t.http.post('/saveContact').send(contactInput(values)).expect(200);

    expect(created.body).toMatchObject(values);
    await t.http.get(`/contacts/${created.body._id}`).expect(200, created.body);
    const updated = await t.http.put(`/contacts/${created.body._id}`).send({ toObject: 'changed' }).expect(200);
    expect(updated.body).toMatchObject({ ...values, toObject: 'changed' });
  });

  it('does not count a missing unique value as taken', async () => {
    await defineAttribute(t, { key: 'valueOf', type: 'string', unique: true });

    await createContact(t);
    await createContact(t);

    await createContact(t, { valueOf: 'V-1' });
    const res = await t.http.post('/saveContact').send(contactInput({ valueOf: 'V-1' }));
    expect(res.status).toBe(409);
  });

  it('converts and erases their values when the definition changes', async () => {
    const attribute = await defineAttribute(t, { key: 'isModified', type: 'string' });
    const contact = await createContact(t, { isModified: '12', toObject: 'kept' });

    await t.http.put(`/schema/${attribute._id}`).send({ type: 'number' }).expect(200);
    const converted = await t.http.get(`/contacts/${contact._id}`).expect(200);
    expect(converted.body).toMatchObject({ isModified: 12, toObject: 'kept' });

    await t.http.delete(`/schema/${attribute._id}`).expect(200);
    const erased = await t.http.get(`/contacts/${contact._id}`).expect(200);
    expect(erased.body).not.toHaveProperty('isModified');
    expect(erased.body).toMatchObject({ toObject: 'kept' });
  });

  it('refuses a contact that lacks a required one', async () => {
    const fresh = await startTestApp();
    try {
      await defineAttribute(fresh, { key: 'hasOwnProperty', type: 'string', required: true });

      const res = await fresh.http.post('/saveContact').send({ first_name: 'No' }).expect(400);

      expect(res.body.errors).toEqual([{ path: 'hasOwnProperty', message: 'is required' }]);
    } finally {
      await fresh.close();
    }
  });
});
