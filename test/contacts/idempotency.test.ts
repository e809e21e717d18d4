import { contactInput } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const countContacts = async () => (await t.http.get('/getContactList?limit=100').expect(200)).body.length;

describe('POST /saveContact with Idempotency-Key', () => {
  it('replays the first result for a retry with the same key and body, creating one contact', async () => {
    const before = await countContacts();
    const body = contactInput();
    const first = await t.http.post('/saveContact').set('Idempotency-Key', 'retry-1').send(body).expect(200);
    const retry = await t.http.post('/saveContact').set('Idempotency-Key', 'retry-1').send(body).expect(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await countContacts()).toBe(before + 1);
  });

  it('treats the same body in another key order as the same request', async () => {
    const body = contactInput();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const first = await t.http.post('/saveContact').set('Idempotency-Key', 'order-1').send(body).expect(200);
    const retry = await t.http.post('/saveContact').set('Idempotency-Key', 'order-1').send(reordered).expect(200);
    expect(retry.body._id).toBe(first.body._id);
  });

  it('answers 422 when the key comes back with a different body', async () => {
    await t.http.post('/saveContact').set('Idempotency-Key', 'reuse-1').send(contactInput()).expect(200);
    const before = await countContacts();
    const res = await t.http.post('/saveContact').set('Idempotency-Key', 'reuse-1').send(contactInput()).expect(422);
    expect(res.body.type).toBe('urn:cim:problem:idempotency-key-reused');
    expect(await countContacts()).toBe(before);
  });

  it('creates exactly one contact when retries race the first request', async () => {
    const before = await countContacts();
    const body = contactInput();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.http.post('/saveContact').set('Idempotency-Key', 'race-1').send(body)),
    );
    const statuses = results.map((res) => res.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    expect(statuses).toContain(200);
    const ids = new Set(results.filter((res) => res.status === 200).map((res) => res.body._id));
    expect(ids.size).toBe(1);
    expect(await countContacts()).toBe(before + 1);
  });

  it('lets a failed request be retried with the same key', async () => {
    await t.http.post('/saveContact').set('Idempotency-Key', 'fail-1').send({ nope: 1 }).expect(400);
    await t.http.post('/saveContact').set('Idempotency-Key', 'fail-1').send(contactInput()).expect(200);
  });

  it('scopes keys to the caller and refuses malformed keys', async () => {
    await t.http.post('/saveContact').set('Idempotency-Key', 'bad key with spaces').send(contactInput()).expect(400);
  });
});
