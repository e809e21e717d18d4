import { loadConfig } from '../../src/config';
import { startTestApp, type TestApp } from '../support/test-app';

describe('start-up without keys', () => {
  it('refuses to start in production without API keys, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CIM_API_KEYS/);
    expect(() => loadConfig({ NODE_ENV: 'production', CIM_API_KEYS: 'admin:a-long-enough-admin-key' })).not.toThrow();
  });

  it('refuses malformed key entries', () => {
    expect(() => loadConfig({ CIM_API_KEYS: 'root:whatever-long-enough-key' })).toThrow(/CIM_API_KEYS/);
    expect(() => loadConfig({ CIM_API_KEYS: 'admin:short' })).toThrow(/CIM_API_KEYS/);
    expect(() => loadConfig({ CIM_API_KEYS: 'admin:sha256:abc' })).toThrow(/CIM_API_KEYS/);
  });
});

describe('rate limit per key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        CIM_API_KEYS: 'agent:first-agent-key-000000,agent:second-agent-key-00000',
        CIM_RATE_LIMIT_MAX: '3',
        CIM_RATE_LIMIT_WINDOW_MS: '60000',
      },
    });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After past the limit, per key, and never limits health checks', async () => {
    for (let i = 0; i < 3; i++) await t.http.get('/getSchema').set('X-API-Key', 'first-agent-key-000000').expect(200);
    const limited = await t.http.get('/getSchema').set('X-API-Key', 'first-agent-key-000000').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, type: 'urn:cim:problem:rate-limited' });
    await t.http.get('/getSchema').set('X-API-Key', 'second-agent-key-00000').expect(200);
    for (let i = 0; i < 5; i++) {
      await t.http.get('/health').expect(200);
      await t.http.get('/ready').expect(200);
    }
  });
});

describe('security headers and CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CIM_CORS_ORIGINS: 'https://desktop.example.com' } });
  });
  afterAll(() => t.close());

  it('sends helmet headers and no x-powered-by', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('answers a request without an Origin (a CTI system) with Vary: Origin and no CORS grant', async () => {
    const res = await t.http.get('/getSchema').expect(200);
    expect(res.headers.vary).toBe('Origin');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-expose-headers']).toBeUndefined();
  });

  it('lets an allowed origin in and keeps others out', async () => {
    const allowed = await t.http.get('/getSchema').set('Origin', 'https://desktop.example.com').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://desktop.example.com');
    const other = await t.http.get('/getSchema').set('Origin', 'https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http
      .options('/saveContact')
      .set('Origin', 'https://desktop.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/i);
  });
});
