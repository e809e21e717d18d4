import {
  contactInput,
  createContact,
  createContacts,
  defineAttribute,
  inBatches,
  uniqueKey,
} from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { repeatWhilePending } from '../support/while-pending';

// A short refresh makes the second migration pass, which waits out stale definitions, quick.
const env = { CIM_CACHE_REFRESH_MS: '50' };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env });
});
afterAll(() => t.close());

async function systemAttribute(app: TestApp, key: string) {
  const res = await app.http.get('/getSchema').expect(200);
  return (res.body as { _id: string; key: string }[]).find((definition) => definition.key === key)!;
}

/** Rules that look at every stored contact run on a database of their own. */
async function withFreshApp(test: (app: TestApp) => Promise<void>, refreshMs = env.CIM_CACHE_REFRESH_MS) {
  // Some tests send writes back to back while a change runs: no rate limit, which they are not about.
  const app = await startTestApp({ env: { CIM_CACHE_REFRESH_MS: refreshMs, CIM_RATE_LIMIT_MAX: '0' } });
  try {
    await test(app);
  } finally {
    await app.close();
  }
}

describe('PUT /schema/{schema_id}', () => {
  it('relabels an attribute and returns it', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey(), type: 'string' });

    const res = await t.http.put(`/schema/${attribute._id}`).send({ label: 'Account manager' }).expect(200);

    expect(res.body).toEqual({ ...attribute, label: 'Account manager', updatedAt: expect.any(String) });
    const schema = await t.http.get('/getSchema').expect(200);
    expect(schema.body).toContainEqual(res.body);
  });

  it('accepts the unchanged key and refuses a different one with 400', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey(), type: 'string' });
    await t.http.put(`/schema/${attribute._id}`).send({ key: attribute.key, label: 'Same' }).expect(200);

    const res = await t.http
      .put(`/schema/${attribute._id}`)
      .send({ key: `${attribute.key}x` })
      .expect(400);

    expect(res.body).toMatchObject({ type: 'urn:cim:problem:key-immutable', errors: [{ path: 'key' }] });
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    await t.http.put('/schema/0123456789abcdef01234567').send({ label: 'Nobody' }).expect(404);
    const res = await t.http.put('/schema/not-an-id').send({ label: 'Nobody' }).expect(400);

    expect(res.body).toMatchObject({ errors: [{ path: 'params.schema_id' }] });
  });

  it('rejects an unknown type with 400', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey(), type: 'string' });

    await t.http.put(`/schema/${attribute._id}`).send({ type: 'integer' }).expect(400);
  });
});

describe('PUT /schema/{schema_id} on system attributes', () => {
  it('relabels a system attribute and makes it required', async () => {
    await withFreshApp(async (app) => {
      const firstName = await systemAttribute(app, 'first_name');
      await createContact(app);

      const res = await app.http
        .put(`/schema/${firstName._id}`)
        .send({ label: 'Given name', required: true })
        .expect(200);

      expect(res.body).toMatchObject({ key: 'first_name', label: 'Given name', required: true, system: true });
      const missing = await app.http.post('/saveContact').send({ last_name: 'Only' }).expect(400);
      expect(missing.body.errors).toContainEqual({ path: 'first_name', message: 'is required' });
    });
  });

  it('refuses to change the type of a system attribute with 409', async () => {
    const phone = await systemAttribute(t, 'phone1');

    const res = await t.http.put(`/schema/${phone._id}`).send({ type: 'string' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:cim:problem:system-attribute' });
  });
});

describe('PUT /schema/{schema_id} type change', () => {
  it('converts every stored value when all of them fit the new type', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('score'), type: 'string' });
    const [a, b] = [
      await createContact(t, { [attribute.key]: '42' }),
      await createContact(t, { [attribute.key]: '-7.5' }),
    ];

    const res = await t.http.put(`/schema/${attribute._id}`).send({ type: 'number' }).expect(200);

    expect(res.body).toMatchObject({ key: attribute.key, type: 'number' });
    const [storedA, storedB] = [await t.http.get(`/contacts/${a._id}`), await t.http.get(`/contacts/${b._id}`)];
    expect(storedA.body).toEqual({ ...a, [attribute.key]: 42, updatedAt: expect.any(String) });
    expect(storedB.body).toEqual({ ...b, [attribute.key]: -7.5, updatedAt: expect.any(String) });
    const invalid = await t.http
      .post('/saveContact')
      .send({ [attribute.key]: 'many' })
      .expect(400);
    expect(invalid.body.errors).toEqual([{ path: attribute.key, message: expect.any(String) }]);
  });

  it('refuses with 409, the number of violations and their ids when some values do not fit', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('score'), type: 'string' });
    await createContact(t, { [attribute.key]: '42' });
    const bad = [await createContact(t, { [attribute.key]: 'abc' }), await createContact(t, { [attribute.key]: 'x1' })];

    const res = await t.http.put(`/schema/${attribute._id}`).send({ type: 'number' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:cim:problem:contacts-violate-change', status: 409, violations: 2 });
    expect([...res.body.contactIds].sort()).toEqual(bad.map((contact) => contact._id).sort());
    const schema = await t.http.get('/getSchema').expect(200);
    expect(schema.body).toContainEqual(attribute);
  });

  it('reports at most five contact ids however many violate', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('code'), type: 'string' });
    for (let index = 0; index < 7; index++) await createContact(t, { [attribute.key]: `not a date ${index}` });

    const res = await t.http.put(`/schema/${attribute._id}`).send({ type: 'date' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ violations: 7 });
    expect(res.body.contactIds).toHaveLength(5);
  });

  it('refuses a type change that would make unique values equal', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('ref'), type: 'string', unique: true });
    await createContact(t, { [attribute.key]: '42' });
    const clash = await createContact(t, { [attribute.key]: '42.0' });

    const res = await t.http.put(`/schema/${attribute._id}`).send({ type: 'number' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ violations: 1, contactIds: [clash._id] });
  });

  it('keeps a unique attribute unique under its new type', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('ref'), type: 'string', unique: true });
    await createContact(t, { [attribute.key]: '42' });
    await t.http.put(`/schema/${attribute._id}`).send({ type: 'number' }).expect(200);

    const res = await t.http.post('/saveContact').send({ first_name: 'Dup', [attribute.key]: 42 });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ errors: [{ path: attribute.key }] });
    await createContact(t, { [attribute.key]: '43' });
  });

  it('turns an attribute into an enum when every value is one of the options', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('tier'), type: 'string' });
    const contact = await createContact(t, { [attribute.key]: 'gold' });

    const res = await t.http
      .put(`/schema/${attribute._id}`)
      .send({ type: 'enum', options: ['gold', 'silver'] })
      .expect(200);

    expect(res.body).toMatchObject({ type: 'enum', options: ['gold', 'silver'] });
    const stored = await t.http.get(`/contacts/${contact._id}`).expect(200);
    expect(stored.body).toEqual({ ...contact, updatedAt: expect.any(String) });
  });

  it('refuses a change to enum without options with 400', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('tier'), type: 'string' });

    const res = await t.http.put(`/schema/${attribute._id}`).send({ type: 'enum' }).expect(400);

    expect(res.body).toMatchObject({ errors: [{ path: 'options' }] });
  });

  it('refuses options on an attribute that stays or becomes a non-enum, with 400', async () => {
    const plain = await defineAttribute(t, { key: uniqueKey('plain'), type: 'string' });
    const tier = await defineAttribute(t, { key: uniqueKey('tier'), type: 'enum', options: ['gold'] });

    const stays = await t.http
      .put(`/schema/${plain._id}`)
      .send({ options: ['a'] })
      .expect(400);
    const becomes = await t.http
      .put(`/schema/${tier._id}`)
      .send({ type: 'string', options: ['gold'] })
      .expect(400);

    expect(stays.body).toMatchObject({ errors: [{ path: 'options', message: 'only allowed for type enum' }] });
    expect(becomes.body).toMatchObject({ errors: [{ path: 'options' }] });
  });

  it('drops the options when an enum becomes a string', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('tier'), type: 'enum', options: ['gold'] });

    const res = await t.http.put(`/schema/${attribute._id}`).send({ type: 'string' }).expect(200);

    expect(res.body).not.toHaveProperty('options');
    await createContact(t, { [attribute.key]: 'platinum' });
  });
});

describe('PUT /schema/{schema_id} required', () => {
  it('refuses required with 409 while a stored contact lacks the attribute', async () => {
    await withFreshApp(async (app) => {
      const attribute = await defineAttribute(app, { key: 'account', type: 'string' });
      await createContact(app, { account: 'A-1' });
      const lacking = await createContact(app);

      const res = await app.http.put(`/schema/${attribute._id}`).send({ required: true });

      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ violations: 1, contactIds: [lacking._id] });
    });
  });

  it('turns required on when every contact has the attribute, then enforces it', async () => {
    await withFreshApp(async (app) => {
      const attribute = await defineAttribute(app, { key: 'account', type: 'string' });
      await createContact(app, { account: 'A-1' });

      await app.http.put(`/schema/${attribute._id}`).send({ required: true }).expect(200);

      const res = await app.http.post('/saveContact').send({ first_name: 'No account' }).expect(400);
      expect(res.body.errors).toEqual([{ path: 'account', message: 'is required' }]);
    });
  });
});

describe('PUT /schema/{schema_id} unique', () => {
  it('refuses unique with 409 while two contacts share a value (case-insensitively)', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('member'), type: 'string' });
    await createContact(t, { [attribute.key]: 'M-100' });
    const duplicate = await createContact(t, { [attribute.key]: 'm-100' });
    await createContact(t, { [attribute.key]: 'M-200' });

    const res = await t.http.put(`/schema/${attribute._id}`).send({ unique: true });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ violations: 1, contactIds: [duplicate._id] });
  });

  it('turns unique on when values are distinct, then enforces it', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('member'), type: 'string' });
    const holder = await createContact(t, { [attribute.key]: 'M-300' });
    await createContact(t, { [attribute.key]: 'M-301' });

    await t.http.put(`/schema/${attribute._id}`).send({ unique: true }).expect(200);

    const res = await t.http.post('/saveContact').send({ first_name: 'Copy', [attribute.key]: 'm-300' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ errors: [{ path: attribute.key }] });
    await t.http
      .put(`/contacts/${holder._id}`)
      .send({ [attribute.key]: 'M-300' })
      .expect(200);
  });

  it('keeps every value of contacts created meanwhile claimed once unique is on', async () => {
    // The change waits 4 refresh periods for creates in flight; a long period keeps a loaded machine safe.
    await withFreshApp(async (app) => {
      const attribute = await defineAttribute(app, { key: 'member', type: 'string' });
      await createContacts(app, 200, (index) => ({ member: `M-${index}` }));
      const saveMember = (member: string) => app.http.post('/saveContact').send(contactInput({ member }));
      const turnedOn = app.http.put(`/schema/${attribute._id}`).send({ unique: true }).expect(200);

      const createdMeanwhile = await repeatWhilePending(turnedOn, (index) => saveMember(`D-${index}`));
      await turnedOn;

      expect(createdMeanwhile.map((res) => res.status).filter((code) => code !== 200)).toEqual([]);
      const copies = await inBatches(createdMeanwhile.length, 10, (index) => saveMember(`D-${index}`));
      const accepted = copies.flatMap((res, index) => (res.status === 409 ? [] : [`D-${index}: ${res.status}`]));
      expect(accepted).toEqual([]);
    }, '1000');
  });

  it('frees every value when unique is turned off', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('member'), type: 'string', unique: true });
    await createContact(t, { [attribute.key]: 'M-400' });

    await t.http.put(`/schema/${attribute._id}`).send({ unique: false }).expect(200);

    await createContact(t, { [attribute.key]: 'M-400' });
  });
});

describe('PUT /schema/{schema_id} enum options', () => {
  it('refuses to remove an option that a contact uses, with 409', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('tier'), type: 'enum', options: ['gold', 'silver'] });
    const user = await createContact(t, { [attribute.key]: 'silver' });

    const res = await t.http.put(`/schema/${attribute._id}`).send({ options: ['gold'] });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ violations: 1, contactIds: [user._id] });
  });

  it('removes an unused option and adds new ones', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('tier'), type: 'enum', options: ['gold', 'silver'] });
    await createContact(t, { [attribute.key]: 'gold' });

    const res = await t.http
      .put(`/schema/${attribute._id}`)
      .send({ options: ['gold', 'bronze'] })
      .expect(200);

    expect(res.body).toMatchObject({ options: ['gold', 'bronze'] });
    await t.http
      .post('/saveContact')
      .send({ [attribute.key]: 'silver' })
      .expect(400);
    await createContact(t, { [attribute.key]: 'bronze' });
  });
});
