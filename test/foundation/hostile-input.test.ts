import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const postJson = (path: string, raw: string | Buffer) =>
  t.http
    .post(path)
    .set('Content-Type', 'application/json')
    .serialize((body) => body)
    .send(raw as string);

describe('hostile input is refused before any route', () => {
  it('refuses a body that is not valid UTF-8 with 400', async () => {
    const res = await postJson(
      '/contacts/getContactsBySearchTerms',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    );
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/UTF-8/);
  });

  it.each(['__proto__', 'constructor', 'prototype', '$where'])('refuses the key %s anywhere in a body', async (key) => {
    const res = await postJson('/saveContact', `{"first_name":"A","nested":{"${key}":{"x":1}}}`).expect(400);
    expect(res.body.type).toBe('urn:cim:problem:bad-input');
  });

  it('refuses JSON nested 1,000 levels deep', async () => {
    const deep = '{"a":'.repeat(1000) + '1' + '}'.repeat(1000);
    await postJson('/contacts/getContactsBySearchTerms', deep).expect(400);
  });

  it('refuses null characters in bodies, queries and paths', async () => {
    await postJson('/saveContact', JSON.stringify({ first_name: 'A\u0000B' })).expect(400);
    await t.http.get('/getContactList?limit=1%00').expect(400);
    await t.http.get('/contacts/getContactByName/ann%00').expect(400);
  });

  it('refuses $ operator keys in query parameters', async () => {
    await t.http.get('/contacts/lookup?$where=1').expect(400);
  });
});
