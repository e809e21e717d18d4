import { contactInput, createContact, defineAttribute, uniqueWord } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const idsNamed = async (name: string): Promise<string[]> =>
  (await t.http.get(`/contacts/getContactByName/${name}`).expect(200)).body.map((c: { _id: string }) => c._id);

describe('POST /saveContact', () => {
  it('stores a contact and returns it with id, timestamps and no internal field', async () => {
    const res = await t.http
      .post('/saveContact')
      .send({ first_name: 'José', last_name: 'García', phone1: '(415) 555-0100' })
      .expect(200);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      first_name: 'José',
      last_name: 'García',
      phone1: '+14155550100',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await t.http.get(`/contacts/${res.body._id}`).expect(200, res.body);
  });

  it('rejects unknown attributes with 400 listing them, and stores nothing', async () => {
    const first_name = uniqueWord('Unstored');
    const res = await t.http.post('/saveContact').send({ first_name, shoe_size: 42, hobby: 'x' }).expect(400);
    expect(res.body.detail).toContain('shoe_size');
    expect(res.body.errors).toEqual([
      { path: 'shoe_size', message: 'is not a defined attribute' },
      { path: 'hobby', message: 'is not a defined attribute' },
    ]);
    expect(await idsNamed(first_name)).toEqual([]);
    // The same search finds the name once a contact holds it.
    const stored = await createContact(t, { first_name });
    expect(await idsNamed(first_name)).toEqual([stored._id]);
  });

  it('rejects an empty contact with 400', async () => {
    await t.http.post('/saveContact').send({}).expect(400);
    const res = await t.http.post('/saveContact').send({ first_name: '  ', phone1: null }).expect(400);
    expect(res.body.type).toBe('urn:cim:problem:empty-contact');
  });

  it('rejects a body that is not an object', async () => {
    await t.http
      .post('/saveContact')
      .send([{ first_name: 'A' }])
      .expect(400);
    await t.http.post('/saveContact').set('Content-Type', 'application/json').send('"text"').expect(400);
  });

  it('rejects an unparseable phone with 400 naming the attribute', async () => {
    const res = await t.http
      .post('/saveContact')
      .send(contactInput({ phone1: 'call me maybe' }))
      .expect(400);
    expect(res.body.errors).toEqual([{ path: 'phone1', message: 'is not a phone number' }]);
  });

  it('requires attributes marked required', async () => {
    const fresh = await startTestApp();
    try {
      await defineAttribute(fresh, { key: 'customer_no', type: 'string', required: true });
      const res = await fresh.http.post('/saveContact').send({ first_name: 'No', phone1: '+14155550199' }).expect(400);
      expect(res.body.errors).toContainEqual({ path: 'customer_no', message: 'is required' });
      await createContact(fresh, { customer_no: 'C-1' });
    } finally {
      await fresh.close();
    }
  });
});
