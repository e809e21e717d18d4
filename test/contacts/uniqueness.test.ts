import { contactInput, createContact, createContacts, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await defineAttribute(t, { key: 'email', type: 'email', unique: true });
});
afterAll(() => t.close());

const valueTaken = (key: string) => ({
  type: 'urn:cim:problem:unique-value-taken',
  status: 409,
  errors: [{ path: key, message: 'is already used by another contact' }],
});

function statusesOf(responses: { status: number }[]) {
  return responses.map((res) => res.status).sort();
}

describe('unique attributes on POST /saveContact', () => {
  it('lets exactly one of 20 simultaneous creates with the same value succeed', async () => {
    const email = `race-${uniqueKey()}@example.com`;

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post('/saveContact').send(contactInput({ email }))),
    );

    expect(statusesOf(responses)).toEqual([200, ...Array(19).fill(409)]);
    for (const res of responses.filter((response) => response.status === 409)) {
      expect(res.body).toMatchObject(valueTaken('email'));
    }
    const winner = responses.find((res) => res.status === 200)!;
    await t.http.get(`/contacts/${winner.body._id}`).expect(200, winner.body);
  });

  it('treats emails that differ only in case as equal', async () => {
    await createContact(t, { email: 'Case.Test@Example.com' });

    const res = await t.http.post('/saveContact').send(contactInput({ email: 'case.test@EXAMPLE.COM' }));

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject(valueTaken('email'));
  });

  it('treats one phone number written in different ways as equal', async () => {
    const key = uniqueKey('direct_line');
    await defineAttribute(t, { key, type: 'phone', unique: true });
    await createContact(t, { [key]: '(415) 555-0177' });

    const res = await t.http.post('/saveContact').send(contactInput({ [key]: '+1 415 555 0177' }));

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject(valueTaken(key));
  });

  it('names the attribute whose value is taken when several are unique', async () => {
    const key = uniqueKey('badge');
    await defineAttribute(t, { key, type: 'string', unique: true });
    await createContact(t, { [key]: 'B-7' });

    const res = await t.http
      .post('/saveContact')
      .send(contactInput({ email: `free-${key}@example.com`, [key]: 'B-7' }));

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject(valueTaken(key));
    const free = await t.http.post('/saveContact').send(contactInput({ email: `free-${key}@example.com` }));
    expect(free.status).toBe(200);
  });

  it('compares long values whole, not by their first thousand characters', async () => {
    const key = uniqueKey('essay');
    await defineAttribute(t, { key, type: 'text', unique: true });
    const opening = 'w'.repeat(1_500);
    await createContact(t, { [key]: `${opening} ending one` });

    const other = await t.http.post('/saveContact').send(contactInput({ [key]: `${opening} ending two` }));
    const same = await t.http.post('/saveContact').send(contactInput({ [key]: `${opening} ending ONE` }));

    expect(other.status).toBe(200);
    expect(same.status).toBe(409);
  });

  it('lets many contacts go without a value', async () => {
    await createContacts(t, 3);
  });

  it('frees the value when its contact is deleted', async () => {
    const holder = await createContact(t, { email: 'leaving@example.com' });
    await t.http.delete(`/contacts/${holder._id}`).expect(200);

    const res = await t.http.post('/saveContact').send(contactInput({ email: 'leaving@example.com' }));

    expect(res.status).toBe(200);
  });
});

describe('unique attributes on PUT /contacts/{contact_id}', () => {
  it('refuses a value another contact holds with 409', async () => {
    await createContact(t, { email: 'held@example.com' });
    const contact = await createContact(t);

    const res = await t.http.put(`/contacts/${contact._id}`).send({ email: 'held@example.com' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject(valueTaken('email'));
  });

  it('frees the old value when a contact changes it', async () => {
    const contact = await createContact(t, { email: 'old@example.com' });
    await t.http.put(`/contacts/${contact._id}`).send({ email: 'new@example.com' }).expect(200);

    const res = await t.http.post('/saveContact').send(contactInput({ email: 'old@example.com' }));

    expect(res.status).toBe(200);
    const taken = await t.http.post('/saveContact').send(contactInput({ email: 'new@example.com' }));
    expect(taken.status).toBe(409);
  });

  it('frees the value when a contact removes it', async () => {
    const contact = await createContact(t, { email: 'dropped@example.com' });
    await t.http.put(`/contacts/${contact._id}`).send({ email: null }).expect(200);

    await createContact(t, { email: 'dropped@example.com' });
  });

  it('lets exactly one of 20 simultaneous updates of different contacts to the same value succeed', async () => {
    const contacts = await createContacts(t, 20);
    const email = `contested-${uniqueKey()}@example.com`;

    const responses = await Promise.all(
      contacts.map((contact) => t.http.put(`/contacts/${contact._id}`).send({ email })),
    );

    expect(statusesOf(responses)).toEqual([200, ...Array(19).fill(409)]);
    const winner = responses.find((res) => res.status === 200)!;
    const stored = await Promise.all(contacts.map((contact) => t.http.get(`/contacts/${contact._id}`)));
    expect(stored.filter((res) => res.body.email === email).map((res) => res.body._id)).toEqual([winner.body._id]);
  });
});
