import { contactInput } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The contacts holding the phone number: contactInput() gives each body a number of its own. */
const idsWithPhone = async (app: TestApp, phone: unknown): Promise<string[]> =>
  (await app.http.post('/contacts/lookup').send({ ani: phone }).expect(200)).body.contacts.map(
    (contact: { _id: string }) => contact._id,
  );

describe('POST /saveContact with Idempotency-Key', () => {
  it('replays the first result for a retry with the same key and body, creating one contact', async () => {
    const body = contactInput();
    const first = await t.http.post('/saveContact').set('Idempotency-Key', 'retry-1').send(body).expect(200);
    const retry = await t.http.post('/saveContact').set('Idempotency-Key', 'retry-1').send(body).expect(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await idsWithPhone(t, body.phone1)).toEqual([first.body._id]);
  });

  it('treats the same body in another key order as the same request', async () => {
    const body = contactInput();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const first = await t.http.post('/saveContact').set('Idempotency-Key', 'order-1').send(body).expect(200);
    const retry = await t.http.post('/saveContact').set('Idempotency-Key', 'order-1').send(reordered).expect(200);
    expect(retry.body._id).toBe(first.body._id);
  });

  it('answers 422 when the key comes back with a different body, and stores nothing of it', async () => {
    const firstBody = contactInput();
    const first = await t.http.post('/saveContact').set('Idempotency-Key', 'reuse-1').send(firstBody).expect(200);
    const otherBody = contactInput();
    const res = await t.http.post('/saveContact').set('Idempotency-Key', 'reuse-1').send(otherBody).expect(422);
    expect(res.body.type).toBe('urn:cim:problem:idempotency-key-reused');
    expect(await idsWithPhone(t, otherBody.phone1)).toEqual([]);
    expect(await idsWithPhone(t, firstBody.phone1)).toEqual([first.body._id]);
  });

  it('creates exactly one contact when retries race the first request', async () => {
    const body = contactInput();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.http.post('/saveContact').set('Idempotency-Key', 'race-1').send(body)),
    );
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);
    const ids = [...new Set(results.filter((res) => res.status === 200).map((res) => res.body._id as string))];
    expect(ids).toHaveLength(1);
    expect(await idsWithPhone(t, body.phone1)).toEqual(ids);
  });

  it('lets a failed request be retried with the same key', async () => {
    await t.http.post('/saveContact').set('Idempotency-Key', 'fail-1').send({ nope: 1 }).expect(400);
    await t.http.post('/saveContact').set('Idempotency-Key', 'fail-1').send(contactInput()).expect(200);
  });

  it('refuses a malformed key with 400 naming the header, and stores nothing', async () => {
    const body = contactInput();
    const res = await t.http.post('/saveContact').set('Idempotency-Key', 'bad key with spaces').send(body).expect(400);
    expect(res.body.errors).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
    expect(await idsWithPhone(t, body.phone1)).toEqual([]);
  });
});

describe('Idempotency-Key of two callers', () => {
  const keys = ['first-idempotency-agent-key', 'second-idempotency-agent-key'];
  let keyed: TestApp;
  beforeAll(async () => {
    keyed = await startTestApp({ env: { CIM_API_KEYS: keys.map((key) => `agent:${key}`).join(',') } });
  });
  afterAll(() => keyed.close());

  const save = (apiKey: string, body: object) =>
    keyed.http.post('/saveContact').set('X-API-Key', apiKey).set('Idempotency-Key', 'shared-1').send(body);

  it('keeps each caller’s keys apart: the same key from another API key creates that caller’s contact', async () => {
    const [firstBody, secondBody] = [contactInput(), contactInput()];

    const first = await save(keys[0], firstBody).expect(200);
    const second = await save(keys[1], secondBody).expect(200);

    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body).toMatchObject({ phone1: secondBody.phone1 });
    expect(second.body._id).not.toBe(first.body._id);
    const replay = await save(keys[0], firstBody).expect(200);
    expect(replay.body).toEqual(first.body);
  });
});
