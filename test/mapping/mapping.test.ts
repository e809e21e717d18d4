import { defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let accountKey: string;

beforeAll(async () => {
  t = await startTestApp();
  accountKey = (await defineAttribute(t, { key: 'account_no', type: 'string' })).key;
});
afterAll(() => t.close());

function mappingInput(overrides: Record<string, unknown> = {}) {
  return {
    callVariable: uniqueKey('callVariable'),
    varNumber: '3',
    callVar: 'Account number',
    key: accountKey,
    ...overrides,
  };
}

async function createMapping(overrides: Record<string, unknown> = {}) {
  const res = await t.http.post('/mapping').send(mappingInput(overrides)).expect(200);
  return res.body as { _id: string; callVariable: string; key: string };
}

const mappingId = expect.stringMatching(/^[0-9a-f]{24}$/);

describe('POST /mapping', () => {
  it('creates a condition with the spec’s fields and returns it with its id', async () => {
    const input = mappingInput({ callVariable: 'callVariable3' });

    const res = await t.http.post('/mapping').send(input).expect(200);

    expect(res.body).toEqual({ _id: mappingId, ...input });
  });

  it('accepts an expanded call variable and leaves out the optional fields', async () => {
    const res = await t.http
      .post('/mapping')
      .send({ callVariable: 'user.cim.accountNo', key: 'first_name' })
      .expect(200);

    expect(res.body).toEqual({ _id: mappingId, callVariable: 'user.cim.accountNo', key: 'first_name' });
  });

  it('refuses a key that is not a defined attribute with 400', async () => {
    const res = await t.http
      .post('/mapping')
      .send(mappingInput({ key: 'no_such_attribute' }))
      .expect(400);

    expect(res.body).toMatchObject({ status: 400, errors: [{ path: 'key' }] });
  });

  it('refuses the same callVariable mapped twice to the same key with 409', async () => {
    const first = await createMapping();

    const res = await t.http
      .post('/mapping')
      .send(mappingInput({ callVariable: first.callVariable }))
      .expect(409);

    expect(res.body).toMatchObject({ status: 409, type: 'urn:cim:problem:mapping-exists' });
  });

  it('allows one callVariable mapped to two different keys', async () => {
    const first = await createMapping();

    await t.http
      .post('/mapping')
      .send(mappingInput({ callVariable: first.callVariable, key: 'last_name' }))
      .expect(200);
  });

  it.each([
    ['a missing callVariable', { callVariable: undefined }, 'callVariable'],
    ['an empty callVariable', { callVariable: '' }, 'callVariable'],
    ['a blank callVariable', { callVariable: '   ' }, 'callVariable'],
    ['a callVariable over 100 characters', { callVariable: 'v'.repeat(101) }, 'callVariable'],
    ['a callVariable that is not text', { callVariable: 3 }, 'callVariable'],
    ['a varNumber with letters', { varNumber: '3a' }, 'varNumber'],
    ['a negative varNumber', { varNumber: '-3' }, 'varNumber'],
    ['a varNumber that is no whole number', { varNumber: 3.5 }, 'varNumber'],
    ['a callVar over 100 characters', { callVar: 'c'.repeat(101) }, 'callVar'],
    ['a missing key', { key: undefined }, 'key'],
    ['an unknown field', { priority: 1 }, ''],
  ])('refuses %s with 400', async (_case, overrides, path) => {
    const res = await t.http.post('/mapping').send(mappingInput(overrides)).expect(400);

    expect(res.body.errors).toContainEqual(expect.objectContaining({ path }));
  });

  it('refuses an operator object as key with 400', async () => {
    const res = await t.http
      .post('/mapping')
      .send(mappingInput({ key: { $ne: null } }))
      .expect(400);

    expect(res.body).toMatchObject({ status: 400 });
  });

  it('accepts a callVariable of exactly 100 characters', async () => {
    await t.http
      .post('/mapping')
      .send(mappingInput({ callVariable: 'v'.repeat(100) }))
      .expect(200);
  });
});

describe('GET /mapping', () => {
  it('returns every condition as an array', async () => {
    const first = await createMapping();
    const second = await createMapping({ key: 'last_name', varNumber: undefined, callVar: undefined });

    const res = await t.http.get('/mapping').expect(200);

    expect(res.body).toEqual(expect.arrayContaining([first, second]));
  });
});

describe('PUT /mapping/{id}', () => {
  it('replaces the condition and returns it', async () => {
    const existing = await createMapping();
    const replacement = { callVariable: 'callVariable7', varNumber: '7', key: 'last_name' };

    const res = await t.http.put(`/mapping/${existing._id}`).send(replacement).expect(200);

    expect(res.body).toEqual({ _id: existing._id, ...replacement });
    expect((await t.http.get('/mapping')).body).toContainEqual(res.body);
  });

  it('validates the body like POST', async () => {
    const existing = await createMapping();

    await t.http
      .put(`/mapping/${existing._id}`)
      .send(mappingInput({ key: 'no_such_attribute' }))
      .expect(400);
    await t.http
      .put(`/mapping/${existing._id}`)
      .send(mappingInput({ varNumber: 'x' }))
      .expect(400);
    await t.http
      .put(`/mapping/${existing._id}`)
      .send(mappingInput({ extra: true }))
      .expect(400);
    await t.http.put(`/mapping/${existing._id}`).send({ key: accountKey }).expect(400);
  });

  it('refuses to make a condition the duplicate of another with 409', async () => {
    const taken = await createMapping();
    const existing = await createMapping();

    await t.http
      .put(`/mapping/${existing._id}`)
      .send(mappingInput({ callVariable: taken.callVariable }))
      .expect(409);

    expect((await t.http.get('/mapping')).body).toContainEqual(existing);
  });

  it('answers an unknown id with 404 and a malformed id with 400', async () => {
    await t.http.put('/mapping/0123456789abcdef01234567').send(mappingInput()).expect(404);
    await t.http.put('/mapping/not-an-id').send(mappingInput()).expect(400);
  });
});

describe('DELETE /mapping/{id}', () => {
  it('removes the condition and answers 200', async () => {
    const existing = await createMapping();

    await t.http.delete(`/mapping/${existing._id}`).expect(200);

    expect((await t.http.get('/mapping')).body).not.toContainEqual(existing);
    await t.http.delete(`/mapping/${existing._id}`).expect(404);
  });

  it('answers an unknown id with 404 and a malformed id with 400', async () => {
    await t.http.delete('/mapping/0123456789abcdef01234567').expect(404);
    await t.http.delete('/mapping/{"$ne":null}').expect(400);
  });
});

describe('deleting an attribute that a mapping uses', () => {
  it('is refused with 409 while the mapping exists, and allowed after it is deleted', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('customer'), type: 'string' });
    const mapping = await createMapping({ key: attribute.key });

    const refused = await t.http.delete(`/schema/${attribute._id}`).expect(409);
    expect(refused.body).toMatchObject({ status: 409, type: 'urn:cim:problem:attribute-in-use' });

    await t.http.delete(`/mapping/${mapping._id}`).expect(200);
    await t.http.delete(`/schema/${attribute._id}`).expect(200);
    await t.http
      .post('/mapping')
      .send(mappingInput({ key: attribute.key }))
      .expect(400);
  });
});
