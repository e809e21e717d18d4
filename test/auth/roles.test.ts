import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app';

const keys = {
  admin: 'admin-key-0123456789abcdef',
  agent: 'agent-key-0123456789abcdef',
  integration: 'integration-key-0123456789',
};
const hashedIntegrationKey = 'hashed-integration-key-42424242';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

type Role = keyof typeof keys;
const everyone: Role[] = ['admin', 'agent', 'integration'];
const id = '0123456789abcdef01234567';

/** Who may call what: written out here, independently of src/auth/permissions.ts. */
const accessTable: { method: string; path: string; url: string; allowed: Role[] | 'public'; body?: unknown }[] = [
  { method: 'GET', path: '/health', url: '/health', allowed: 'public' },
  { method: 'GET', path: '/ready', url: '/ready', allowed: 'public' },
  { method: 'GET', path: '/openapi.json', url: '/openapi.json', allowed: 'public' },
  { method: 'GET', path: '/docs', url: '/docs', allowed: 'public' },
  { method: 'GET', path: '/getSchema', url: '/getSchema', allowed: ['admin', 'agent'] },
  { method: 'POST', path: '/saveSchema', url: '/saveSchema', allowed: ['admin'], body: {} },
  { method: 'PUT', path: '/schema/{schema_id}', url: `/schema/${id}`, allowed: ['admin'], body: {} },
  { method: 'DELETE', path: '/schema/{schema_id}', url: `/schema/${id}`, allowed: ['admin'] },
  { method: 'POST', path: '/mapping', url: '/mapping', allowed: ['admin'], body: {} },
  { method: 'POST', path: '/webhooks', url: '/webhooks', allowed: ['admin'], body: {} },
  { method: 'GET', path: '/webhooks', url: '/webhooks', allowed: ['admin'] },
  { method: 'GET', path: '/webhooks/{id}', url: `/webhooks/${id}`, allowed: ['admin'] },
  { method: 'PUT', path: '/webhooks/{id}', url: `/webhooks/${id}`, allowed: ['admin'], body: {} },
  { method: 'DELETE', path: '/webhooks/{id}', url: `/webhooks/${id}`, allowed: ['admin'] },
  { method: 'POST', path: '/webhooks/{id}/rotate-secret', url: `/webhooks/${id}/rotate-secret`, allowed: ['admin'] },
  { method: 'POST', path: '/webhooks/{id}/ping', url: `/webhooks/${id}/ping`, allowed: ['admin'] },
  { method: 'GET', path: '/webhooks/{id}/deliveries', url: `/webhooks/${id}/deliveries`, allowed: ['admin'] },
  {
    method: 'POST',
    path: '/webhooks/{id}/deliveries/{deliveryId}/retry',
    url: `/webhooks/${id}/deliveries/${id}-${id}/retry`,
    allowed: ['admin'],
  },
  { method: 'GET', path: '/mapping', url: '/mapping', allowed: ['admin', 'agent'] },
  { method: 'PUT', path: '/mapping/{id}', url: `/mapping/${id}`, allowed: ['admin'], body: {} },
  { method: 'DELETE', path: '/mapping/{id}', url: `/mapping/${id}`, allowed: ['admin'] },
  {
    method: 'GET',
    path: '/contacts/getContactByName/{name}',
    url: '/contacts/getContactByName/ann',
    allowed: everyone,
  },
  {
    method: 'POST',
    path: '/contacts/getContactsBySearchTerms',
    url: '/contacts/getContactsBySearchTerms',
    allowed: everyone,
    body: { first_name: 'a' },
  },
  { method: 'POST', path: '/contacts/lookup', url: '/contacts/lookup', allowed: everyone, body: { ani: '4155550100' } },
  { method: 'GET', path: '/contacts/lookup', url: '/contacts/lookup?ani=4155550100', allowed: everyone },
  { method: 'POST', path: '/saveContact', url: '/saveContact', allowed: ['admin', 'agent'], body: {} },
  { method: 'GET', path: '/getContactList', url: '/getContactList', allowed: everyone },
  { method: 'GET', path: '/contacts/export', url: '/contacts/export?format=ndjson', allowed: ['admin'] },
  { method: 'GET', path: '/contacts/loadMore/{last_id}', url: `/contacts/loadMore/${id}`, allowed: everyone },
  { method: 'GET', path: '/contacts/{contact_id}', url: `/contacts/${id}`, allowed: everyone },
  { method: 'GET', path: '/contacts/duplicates', url: '/contacts/duplicates', allowed: everyone },
  {
    method: 'POST',
    path: '/contacts/merge',
    url: '/contacts/merge',
    allowed: ['admin', 'agent'],
    body: { survivorId: id, mergedIds: [id] },
  },
  {
    method: 'GET',
    path: '/contacts/{contact_id}/duplicates',
    url: `/contacts/${id}/duplicates`,
    allowed: everyone,
  },
  { method: 'PUT', path: '/contacts/{contact_id}', url: `/contacts/${id}`, allowed: ['admin', 'agent'], body: {} },
  { method: 'DELETE', path: '/contacts/{contact_id}', url: `/contacts/${id}`, allowed: ['admin'] },
  {
    method: 'GET',
    path: '/interactions/loadInteractions/{id}',
    url: `/interactions/loadInteractions/${id}`,
    allowed: ['admin', 'agent'],
  },
  {
    method: 'GET',
    path: '/interactions/call/{call_Id}',
    url: '/interactions/call/no-such-call',
    allowed: ['admin', 'integration'],
  },
  {
    method: 'POST',
    path: '/interactions/updateOrSaveInteractionTree/{call_Id}',
    url: '/interactions/updateOrSaveInteractionTree/c1',
    allowed: ['admin', 'integration'],
    body: {},
  },
  { method: 'GET', path: '/audit', url: '/audit', allowed: ['admin'] },
  { method: 'POST', path: '/imports', url: '/imports', allowed: ['admin'] },
  { method: 'GET', path: '/imports', url: '/imports', allowed: ['admin'] },
  { method: 'GET', path: '/imports/{import_id}', url: `/imports/${id}`, allowed: ['admin'] },
  { method: 'DELETE', path: '/imports/{import_id}', url: `/imports/${id}`, allowed: ['admin'] },
  { method: 'GET', path: '/imports/{import_id}/rejects', url: `/imports/${id}/rejects`, allowed: ['admin'] },
];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    env: {
      CIM_API_KEYS: `admin:${keys.admin}, agent:${keys.agent},integration:${keys.integration},integration:sha256:${sha256(hashedIntegrationKey)}`,
    },
  });
});
afterAll(() => t.close());

function call(method: string, url: string, body?: unknown) {
  const request = t.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](url);
  return body === undefined ? request : request.send(body as object);
}

describe('the access table', () => {
  it('covers every endpoint of the app', () => {
    const served = t.cim.routes.map((spec) => `${spec.method.toUpperCase()} ${spec.path}`).sort();
    expect(accessTable.map((row) => `${row.method} ${row.path}`).sort()).toEqual(served);
  });
});

describe.each(accessTable)('$method $path', ({ method, url, allowed, body }) => {
  if (allowed === 'public') {
    it('needs no key', async () => {
      const res = await call(method, url, body);
      expect([401, 403]).not.toContain(res.status);
    });
    return;
  }
  it('answers 401 with WWW-Authenticate without a key or with an unknown one', async () => {
    const missing = await call(method, url, body).expect(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer realm="cim"/);
    expect(missing.body).toMatchObject({ status: 401, type: 'urn:cim:problem:unauthenticated' });
    await call(method, url, body).set('Authorization', 'Bearer not-a-real-key-at-all').expect(401);
  });
  it.each(everyone)('as %s', async (role) => {
    const res = await call(method, url, body).set('Authorization', `Bearer ${keys[role]}`);
    if (allowed.includes(role)) expect([401, 403]).not.toContain(res.status);
    else expect(res.status).toBe(403);
  });
});

describe('API keys', () => {
  it('accepts the key in X-API-Key as well as Authorization: Bearer', async () => {
    await t.http.get('/getContactList').set('X-API-Key', keys.agent).expect(200);
  });

  it('accepts a key configured only by its SHA-256', async () => {
    await t.http.get('/getContactList').set('Authorization', `Bearer ${hashedIntegrationKey}`).expect(200);
    await t.http.get('/getSchema').set('Authorization', `Bearer ${hashedIntegrationKey}`).expect(403);
  });
});
