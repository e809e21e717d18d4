import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import supertest from 'supertest';
import { problemDetailsHandler } from '../../src/http/problem-details';
import { requestLogging } from '../../src/http/request-logging';
import { createContact } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(chunk.toString());
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines, raw };
}

const logs = captureLogs();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ logger: logs.logger });
});
afterAll(() => t.close());

describe('GET /health and GET /ready', () => {
  it('answers 200 while the process and database are up', async () => {
    await t.http.get('/health').expect(200, { status: 'ok' });
    const ready = await t.http.get('/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', searchFields: { version: expect.any(Number) } });
  });
});

describe('problem details', () => {
  it('answers an unknown route with 404 problem details', async () => {
    const res = await t.http.get('/no/such/thing').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:cim:problem:not-found', title: 'Not Found', status: 404 });
  });

  it('answers a wrong method on a known path with 405 and Allow', async () => {
    const res = await t.http.delete('/health').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.body).toMatchObject({ status: 405, type: 'urn:cim:problem:method-not-allowed' });
  });

  it('answers a wrong method on a fixed path with 405, not as the parametrised path beside it', async () => {
    for (const path of ['/contacts/lookup', '/contacts/getContactsBySearchTerms']) {
      const res = await t.http.put(path).send({}).expect(405);
      expect(res.body).toMatchObject({ status: 405, type: 'urn:cim:problem:method-not-allowed' });
    }
    const lookup = await t.http.delete('/contacts/lookup').expect(405);
    expect(lookup.headers.allow).toBe('POST, GET, HEAD');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await t.http.post('/health').set('Content-Type', 'application/json').send('{"a": ').expect(400);
    expect(res.body).toMatchObject({ status: 400, type: 'urn:cim:problem:malformed-json' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
  });

  it('answers a body over the limit with 413', async () => {
    const big = JSON.stringify({ value: 'x'.repeat(1024 * 1024 + 10) });
    const res = await t.http.post('/health').set('Content-Type', 'application/json').send(big).expect(413);
    expect(res.body).toMatchObject({ status: 413, type: 'urn:cim:problem:body-too-large' });
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await t.http.post('/health').set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(res.body).toMatchObject({ status: 415 });
  });

  it('answers an unexpected error with a generic 500 and logs the cause', async () => {
    const captured = captureLogs();
    const app = express();
    app.use(requestLogging(captured.logger));
    app.get('/boom', () => {
      throw new Error('secret internal detail');
    });
    app.use(problemDetailsHandler);
    const res = await supertest(app).get('/boom').expect(500);
    expect(res.body).toEqual({
      type: 'urn:cim:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
    });
    expect(JSON.stringify(captured.lines)).toContain('secret internal detail');
  });
});

describe('X-Request-Id', () => {
  it('returns the id the client sent and logs it on the request line', async () => {
    const res = await t.http.get('/health').set('X-Request-Id', 'call-42.abc').expect(200);
    expect(res.headers['x-request-id']).toBe('call-42.abc');
    expect(logs.lines.map((line) => (line.req as { id?: string } | undefined)?.id)).toContain('call-42.abc');
  });

  it('sanitises and bounds a hostile id', async () => {
    const res = await t.http
      .get('/health')
      .set('X-Request-Id', `<script>${'a'.repeat(500)}`)
      .expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(res.headers['x-request-id']).not.toContain('<');
  });

  it('generates an id when none is sent', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs the route pattern, never the path or query that may hold personal data', async () => {
    await t.http.get('/health?name=Jos%C3%A9').set('X-Request-Id', 'route-check').expect(200);
    expect(JSON.stringify(logs.lines)).not.toContain('Jos');
    const line = logs.lines.find((entry) => (entry.req as { id?: string } | undefined)?.id === 'route-check');
    expect(line).toMatchObject({ route: '/health', res: { statusCode: 200 } });
    expect(logs.raw.find((text) => text.includes('route-check'))?.match(/"route"/g)).toHaveLength(1);
  });
});

describe('a jQuery cache-buster (_=<timestamp>)', () => {
  it('is ignored on every GET, while other undeclared query parameters stay 400', async () => {
    const contact = await createContact(t);

    await t.http.get(`/contacts/${contact._id}?_=1717171717171`).expect(200);
    await t.http.get('/getContactList?limit=5&_=1717171717171').expect(200);
    await t.http.get(`/interactions/loadInteractions/${contact._id}?_=1`).expect(200);
    const lookup = await t.http.get('/contacts/lookup?ani=%2B14155550100&_=1717171717171').expect(200);
    expect(lookup.body.matchedOn).toEqual([{ key: 'phone', value: '+14155550100', source: 'ani' }]);
    await t.http.get(`/contacts/${contact._id}?x=1`).expect(400);
  });

  it('is refused on a write like any other undeclared parameter', async () => {
    const contact = await createContact(t);

    await t.http.delete(`/contacts/${contact._id}?_=1717171717171`).expect(400);
    await t.http.get(`/contacts/${contact._id}`).expect(200);
  });
});
