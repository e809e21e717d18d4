import { createContact, defineAttribute, inBatches, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const allowedTypes = 'string, text, number, boolean, date, email, phone, url, enum';

describe('POST /saveSchema', () => {
  it('creates an attribute with defaults and returns it', async () => {
    const res = await t.http
      .post('/saveSchema')
      .send({ key: 'customer_no', label: 'Customer number', type: 'string' })
      .expect(200);

    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      key: 'customer_no',
      label: 'Customer number',
      type: 'string',
      required: false,
      unique: false,
      system: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const schema = await t.http.get('/getSchema').expect(200);
    expect(schema.body).toContainEqual(res.body);
  });

  it('creates an enum attribute with its options, required and unique', async () => {
    const key = uniqueKey('tier');

    const res = await t.http
      .post('/saveSchema')
      .send({ key, label: 'Tier', type: 'enum', options: ['gold', 'silver'], required: false, unique: true })
      .expect(200);

    expect(res.body).toMatchObject({ key, type: 'enum', options: ['gold', 'silver'], unique: true, system: false });
  });

  it.each(['1abc', '_hidden', 'has-dash', 'has space', 'a'.repeat(65), ''])(
    'rejects the key %j with 400',
    async (key) => {
      const res = await t.http.post('/saveSchema').send({ key, label: 'Bad', type: 'string' }).expect(400);

      expect(res.body).toMatchObject({ status: 400, errors: [{ path: 'key', message: expect.any(String) }] });
    },
  );

  it.each([
    ...['_id', 'id', 'ID', 'createdAt', 'CREATEDAT', 'updatedAt', '__v', 'phone', 'Phone', 'name', 'NAME'],
    ...['constructor', 'prototype'],
  ])('rejects the reserved key %j with 400', async (key) => {
    const res = await t.http.post('/saveSchema').send({ key, label: 'Reserved', type: 'string' }).expect(400);

    expect(res.body.errors).toContainEqual({ path: 'key', message: expect.stringMatching(/^is reserved/) });
  });

  it('rejects a key that exists in another case with 409', async () => {
    const key = uniqueKey('loyalty');
    await defineAttribute(t, { key, type: 'string' });

    const res = await t.http.post('/saveSchema').send({ key: key.toUpperCase(), label: 'Again', type: 'number' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:cim:problem:attribute-exists', status: 409 });
  });

  it('rejects a system key in another case with 409', async () => {
    const res = await t.http.post('/saveSchema').send({ key: 'First_Name', label: 'Again', type: 'string' });

    expect(res.status).toBe(409);
  });

  it('rejects an unknown type with 400 naming the allowed types', async () => {
    const res = await t.http
      .post('/saveSchema')
      .send({ key: uniqueKey(), label: 'Shoe size', type: 'integer' })
      .expect(400);

    expect(res.body).toMatchObject({ errors: [{ path: 'type', message: expect.stringContaining(allowedTypes) }] });
  });

  it('rejects an enum without options with 400', async () => {
    const res = await t.http.post('/saveSchema').send({ key: uniqueKey(), label: 'Tier', type: 'enum' }).expect(400);

    expect(res.body).toMatchObject({ errors: [{ path: 'options' }] });
  });

  it.each([
    ['empty', []],
    ['duplicated', ['gold', 'gold']],
    ['more than 200', Array.from({ length: 201 }, (_, index) => `option${index}`)],
  ])('rejects %s enum options with 400', async (_case, options) => {
    const res = await t.http
      .post('/saveSchema')
      .send({ key: uniqueKey(), label: 'Tier', type: 'enum', options })
      .expect(400);

    expect(res.body).toMatchObject({ errors: [{ path: 'options' }] });
  });

  it('rejects options on an attribute that is not an enum with 400', async () => {
    const res = await t.http
      .post('/saveSchema')
      .send({ key: uniqueKey(), label: 'Notes', type: 'string', options: ['a'] })
      .expect(400);

    expect(res.body).toMatchObject({ errors: [{ path: 'options', message: 'only allowed for type enum' }] });
  });

  it.each([
    ['an empty label', { label: '' }],
    ['a label over 100 characters', { label: 'x'.repeat(101) }],
    ['a missing type', { type: undefined }],
    ['a non-boolean required', { required: 'yes' }],
    ['an unknown field', { colour: 'red' }],
  ])('rejects %s with 400', async (_case, override) => {
    await t.http
      .post('/saveSchema')
      .send({ key: uniqueKey(), label: 'Fine', type: 'string', ...override })
      .expect(400);
  });

  it('refuses a new required attribute while stored contacts lack it, with 409', async () => {
    const contact = await createContact(t);

    const res = await t.http
      .post('/saveSchema')
      .send({ key: uniqueKey(), label: 'Must', type: 'string', required: true });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:cim:problem:contacts-violate-change',
      violations: 1,
      contactIds: [contact._id],
    });
  });
});

describe('POST /saveSchema limit', () => {
  let full: TestApp;
  beforeAll(async () => {
    full = await startTestApp();
  });
  afterAll(() => full.close());

  /** Adds attributes until there are `count` (this database starts with the 3 system ones). */
  async function defineUpTo(count: number): Promise<void> {
    const existing = (await full.http.get('/getSchema').expect(200)).body.length;
    await inBatches(count - existing, 10, (index) =>
      defineAttribute(full, { key: `extra_${existing + index}`, type: 'string' }),
    );
  }

  it('lets only one of several simultaneous creates take the last place', async () => {
    await defineUpTo(99);

    const responses = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((index) =>
        full.http.post('/saveSchema').send({ key: `last_${index}`, label: 'Last', type: 'string' }),
      ),
    );

    expect(responses.map((res) => res.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const schema = await full.http.get('/getSchema').expect(200);
    expect(schema.body).toHaveLength(100);
  });

  it('refuses the 101st attribute with 409', async () => {
    await defineUpTo(100);

    const res = await full.http.post('/saveSchema').send({ key: 'one_too_many', label: 'Over', type: 'string' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:cim:problem:too-many-attributes', status: 409 });
  });
});
