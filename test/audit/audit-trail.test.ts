import { createHash } from 'node:crypto';
import { contactInput } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

const adminKey = 'audit-admin-key-000000000';
const agentKey = 'audit-agent-key-000000000';
const keyIdOf = (key: string) => `key-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { CIM_API_KEYS: `admin:${adminKey},agent:${agentKey}` } });
});
afterAll(() => t.close());

const as = (key: string) => ({
  get: (url: string) => t.http.get(url).set('Authorization', `Bearer ${key}`),
  post: (url: string) => t.http.post(url).set('Authorization', `Bearer ${key}`),
  put: (url: string) => t.http.put(url).set('Authorization', `Bearer ${key}`),
  delete: (url: string) => t.http.delete(url).set('Authorization', `Bearer ${key}`),
});
const admin = as(adminKey);
const agent = as(agentKey);
const auditOf = async (contactId: string) => (await admin.get(`/audit?contactId=${contactId}`).expect(200)).body;

describe('audit of contact changes', () => {
  it('records create, update and delete with key id, role, request id and changed keys, never values', async () => {
    const input = contactInput({ first_name: 'Secretname' });
    const created = (await agent.post('/saveContact').set('X-Request-Id', 'req-create-1').send(input).expect(200)).body;
    await agent
      .put(`/contacts/${created._id}`)
      .set('X-Request-Id', 'req-update-1')
      .send({ last_name: 'Other', first_name: 'Secretname' })
      .expect(200);
    await admin.delete(`/contacts/${created._id}`).set('X-Request-Id', 'req-delete-1').expect(200);

    const entries = await auditOf(created._id);
    expect(entries).toMatchObject([
      {
        action: 'delete',
        resource: 'contacts',
        entityId: created._id,
        role: 'admin',
        keyId: keyIdOf(adminKey),
        requestId: 'req-delete-1',
      },
      { action: 'update', changed: ['last_name'], role: 'agent', keyId: keyIdOf(agentKey), requestId: 'req-update-1' },
      { action: 'create', changed: Object.keys(input), role: 'agent', requestId: 'req-create-1' },
    ]);
    expect(JSON.stringify(entries)).not.toContain('Secretname');
    expect(JSON.stringify(entries)).not.toContain(agentKey);
  });

  it('records an erasure with how many call trees it removed', async () => {
    const contact = (await admin.post('/saveContact').send(contactInput()).expect(200)).body;
    const integrationLeg = { type: 'agent', agentId: 'a1', start_time: '2026-01-01T10:00:00Z', call_id: 'c-erase' };
    await admin
      .post('/interactions/updateOrSaveInteractionTree/c-erase')
      .send({ interaction: integrationLeg, ani: contact.phone1 })
      .expect(200);
    await admin.delete(`/contacts/${contact._id}?erase=true`).expect(200);
    const entries = await auditOf(contact._id);
    expect(entries[0]).toMatchObject({ action: 'delete' });
    expect(entries[1]).toMatchObject({
      action: 'erase',
      resource: 'interaction_trees',
      count: 1,
      contactId: contact._id,
    });
  });

  it('records nothing for a change that failed', async () => {
    const contact = (await admin.post('/saveContact').send(contactInput()).expect(200)).body;
    await admin.put(`/contacts/${contact._id}`).send({ nope: 1 }).expect(400);
    expect(await auditOf(contact._id)).toHaveLength(1);
  });
});

describe('audit of mapping changes', () => {
  it('records create, update and delete of a mapping', async () => {
    const mapping = (await admin.post('/mapping').send({ callVariable: 'callVariable3', key: 'phone1' }).expect(200))
      .body;
    await admin.put(`/mapping/${mapping._id}`).send({ callVariable: 'callVariable4', key: 'phone1' }).expect(200);
    await admin.delete(`/mapping/${mapping._id}`).expect(200);
    const entries = (await admin.get('/audit?limit=100').expect(200)).body.filter(
      (entry: { entityId: string }) => entry.entityId === mapping._id,
    );
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(['delete', 'update', 'create']);
    expect(entries[0]).toMatchObject({ resource: 'call_variable_mappings' });
  });
});

describe('GET /audit', () => {
  it('is newest first and keyset-paged with before', async () => {
    const all = (await admin.get('/audit?limit=100').expect(200)).body;
    expect(all.length).toBeGreaterThan(3);
    const first = (await admin.get('/audit?limit=2').expect(200)).body;
    const next = (await admin.get(`/audit?limit=2&before=${first[1]._id}`).expect(200)).body;
    expect([...first, ...next].map((entry: { _id: string }) => entry._id)).toEqual(
      all.slice(0, 4).map((entry: { _id: string }) => entry._id),
    );
  });

  it('is for admins only and validates its query', async () => {
    await agent.get('/audit').expect(403);
    await admin.get('/audit?before=nope').expect(400);
    await admin.get('/audit?contactId[$ne]=x').expect(400);
  });
});

describe('audit of attribute definition changes', () => {
  it('records create, update and delete of a definition with the fields changed', async () => {
    const created = (
      await admin.post('/saveSchema').send({ key: 'loyalty', label: 'Loyalty', type: 'string' }).expect(200)
    ).body;
    await admin.put(`/schema/${created._id}`).send({ label: 'Loyalty tier', type: 'string' }).expect(200);
    await admin.delete(`/schema/${created._id}`).expect(200);
    const entries = (await admin.get('/audit?limit=100').expect(200)).body.filter(
      (entry: { entityId: string }) => entry.entityId === created._id,
    );
    expect(entries).toMatchObject([
      { action: 'delete', resource: 'attribute_definitions', changed: ['loyalty'] },
      { action: 'update', changed: ['label'] },
      { action: 'create', changed: expect.arrayContaining(['key', 'label', 'type']) },
    ]);
  });
});
