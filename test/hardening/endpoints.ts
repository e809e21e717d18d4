import { createContact, defineAttribute, uniqueKey, uniquePhone } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { postImport, waitForJob } from '../imports/import-support';

/** Ids and values the seeded database holds, so every base request names something that exists. */
export interface Seed {
  contactId: string;
  /** A second contact, for the merge of two. */
  otherContactId: string;
  phone: string;
  spareAttributeId: string;
  mappingId: string;
  callId: string;
  importId: string;
  webhookId: string;
  deliveryId: string;
}

type Method = 'get' | 'post' | 'put' | 'delete';

/** One endpoint that takes input, with a request that it accepts (2xx); hostile cases spoil one part of it. */
export interface Endpoint {
  method: Method;
  /** As the route declares it (OpenAPI style). */
  path: string;
  params?: (seed: Seed) => Record<string, string>;
  /** Path parameters that hold an ObjectId. */
  idParams?: string[];
  query?: (seed: Seed) => Record<string, string>;
  /** A fresh valid body on each call, so a create that wrongly succeeded would change the database. */
  body?: (seed: Seed) => Record<string, unknown>;
}

let legMinute = 0;
const newLeg = () => ({
  type: 'agent',
  agentId: 'agent-7',
  start_time: new Date(Date.UTC(2024, 4, 1, 9, legMinute++)).toISOString(),
  call_disposition: 'handled',
});

const limit = () => ({ limit: '5' });
/** Nothing listens there: deliveries fail and are retried, which no hardening case waits for. */
const hardeningReceiver = 'http://127.0.0.1:9/hook';
const webhook = (seed: Seed) => ({ id: seed.webhookId });
const contact = (seed: Seed) => ({ contact_id: seed.contactId });

export const endpoints: Endpoint[] = [
  { method: 'post', path: '/saveSchema', body: () => ({ key: uniqueKey('h'), label: 'Hardening', type: 'string' }) },
  {
    method: 'put',
    path: '/schema/{schema_id}',
    params: (seed) => ({ schema_id: seed.spareAttributeId }),
    idParams: ['schema_id'],
    body: () => ({ label: 'Spare renamed', required: false, options: ['a', 'b', 'c'] }),
  },
  {
    method: 'delete',
    path: '/schema/{schema_id}',
    params: (seed) => ({ schema_id: seed.spareAttributeId }),
    idParams: ['schema_id'],
  },
  { method: 'post', path: '/mapping', body: () => ({ callVariable: uniqueKey('cv'), key: 'account_no' }) },
  {
    method: 'put',
    path: '/mapping/{id}',
    params: (seed) => ({ id: seed.mappingId }),
    idParams: ['id'],
    body: () => ({ callVariable: 'user.cim.accountNo', varNumber: '3', callVar: 'Account', key: 'account_no' }),
  },
  { method: 'delete', path: '/mapping/{id}', params: (seed) => ({ id: seed.mappingId }), idParams: ['id'] },
  {
    method: 'get',
    path: '/contacts/getContactByName/{name}',
    params: () => ({ name: 'Ann' }),
    query: limit,
  },
  {
    method: 'post',
    path: '/contacts/getContactsBySearchTerms',
    query: limit,
    body: () => ({ first_name: 'Ann', vip: true }),
  },
  {
    method: 'post',
    path: '/contacts/lookup',
    query: limit,
    body: (seed) => ({ ani: seed.phone, callVariables: { 'user.cim.accountNo': 'A-1' } }),
  },
  {
    method: 'get',
    path: '/contacts/lookup',
    query: (seed) => ({ ani: seed.phone, limit: '5', 'user.cim.accountNo': 'A-1' }),
  },
  {
    method: 'post',
    path: '/saveContact',
    body: () => ({
      first_name: 'Hostile',
      last_name: 'Example',
      phone1: uniquePhone(),
      account_no: uniqueKey('acc'),
      vip: true,
      score: 3,
    }),
  },
  { method: 'get', path: '/getContactList', query: limit },
  { method: 'get', path: '/contacts/export', query: () => ({ format: 'ndjson' }) },
  { method: 'get', path: '/imports', query: limit },
  {
    method: 'get',
    path: '/imports/{import_id}',
    params: (seed) => ({ import_id: seed.importId }),
    idParams: ['import_id'],
  },
  {
    method: 'get',
    path: '/imports/{import_id}/rejects',
    params: (seed) => ({ import_id: seed.importId }),
    idParams: ['import_id'],
  },
  {
    method: 'delete',
    path: '/imports/{import_id}',
    params: (seed) => ({ import_id: seed.importId }),
    idParams: ['import_id'],
  },
  {
    method: 'get',
    path: '/contacts/loadMore/{last_id}',
    params: (seed) => ({ last_id: seed.contactId }),
    idParams: ['last_id'],
    query: limit,
  },
  { method: 'get', path: '/contacts/{contact_id}', params: contact, idParams: ['contact_id'] },
  {
    method: 'get',
    path: '/contacts/{contact_id}/duplicates',
    params: contact,
    idParams: ['contact_id'],
    query: limit,
  },
  { method: 'post', path: '/webhooks', body: () => ({ url: hardeningReceiver, events: ['contact.created'] }) },
  { method: 'get', path: '/webhooks/{id}', params: webhook, idParams: ['id'] },
  {
    method: 'put',
    path: '/webhooks/{id}',
    params: webhook,
    idParams: ['id'],
    body: () => ({ events: ['contact.updated'], description: 'hardening' }),
  },
  { method: 'delete', path: '/webhooks/{id}', params: webhook, idParams: ['id'] },
  { method: 'post', path: '/webhooks/{id}/rotate-secret', params: webhook, idParams: ['id'] },
  { method: 'post', path: '/webhooks/{id}/ping', params: webhook, idParams: ['id'] },
  {
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    params: webhook,
    idParams: ['id'],
    query: () => ({ status: 'pending', limit: '5' }),
  },
  {
    method: 'post',
    path: '/webhooks/{id}/deliveries/{deliveryId}/retry',
    params: (seed) => ({ id: seed.webhookId, deliveryId: seed.deliveryId }),
    idParams: ['id'],
  },
  { method: 'get', path: '/contacts/duplicates', query: () => ({ limit: '5', after: 'phone:+1' }) },
  {
    method: 'post',
    path: '/contacts/merge',
    // A dry run: the base request changes nothing, so any spoilt one that did would show.
    body: (seed) => ({
      survivorId: seed.contactId,
      mergedIds: [seed.otherContactId],
      fieldSources: { first_name: seed.otherContactId },
      dryRun: true,
    }),
  },
  {
    method: 'put',
    path: '/contacts/{contact_id}',
    params: contact,
    idParams: ['contact_id'],
    body: () => ({ last_name: 'Changed', vip: false, score: 7 }),
  },
  {
    method: 'delete',
    path: '/contacts/{contact_id}',
    params: contact,
    idParams: ['contact_id'],
    query: () => ({ erase: 'true' }),
  },
  {
    method: 'get',
    path: '/interactions/loadInteractions/{id}',
    params: (seed) => ({ id: seed.contactId }),
    idParams: ['id'],
    query: limit,
  },
  { method: 'get', path: '/interactions/call/{call_Id}', params: (seed) => ({ call_Id: seed.callId }) },
  {
    method: 'post',
    path: '/interactions/updateOrSaveInteractionTree/{call_Id}',
    params: (seed) => ({ call_Id: seed.callId }),
    body: (seed) => ({ ani: seed.phone, interaction: newLeg() }),
  },
  { method: 'get', path: '/audit', query: (seed) => ({ limit: '5', contactId: seed.contactId }) },
];

/** The URL of an endpoint's base request, with one path parameter or the query string replaced when given. */
export function urlOf(
  endpoint: Endpoint,
  seed: Seed,
  { params = {}, query }: { params?: Record<string, string>; query?: string } = {},
): string {
  const values = { ...endpoint.params?.(seed), ...params };
  const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
  const search = query ?? new URLSearchParams(endpoint.query?.(seed)).toString();
  return search ? `${path}?${search}` : path;
}

async function ok(request: PromiseLike<{ status: number; body: unknown }>, what: string) {
  const res = await request;
  if (res.status !== 200 && res.status !== 202)
    throw new Error(`seeding ${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, string>;
}

/** A little of everything: extra attributes, contacts, a mapping, a call tree, audit entries. */
export async function seedDatabase(t: TestApp): Promise<Seed> {
  await defineAttribute(t, { key: 'account_no', type: 'string', unique: true });
  await defineAttribute(t, { key: 'vip', type: 'boolean' });
  await defineAttribute(t, { key: 'score', type: 'number' });
  const spare = await defineAttribute(t, { key: 'spare', type: 'enum', options: ['a', 'b'] });
  const mapping = await ok(
    t.http.post('/mapping').send({ callVariable: 'user.cim.accountNo', key: 'account_no' }),
    'a mapping',
  );
  const phone = uniquePhone();
  const first = await createContact(t, { first_name: 'Ann', phone1: phone, account_no: 'A-1', vip: true, score: 1 });
  const other = await createContact(t, { first_name: 'Anna', account_no: 'A-2', spare: 'a' });
  await createContact(t, { first_name: 'Bob', vip: false });
  const callId = 'call-seed-1';
  await ok(
    t.http.post(`/interactions/updateOrSaveInteractionTree/${callId}`).send({ ani: phone, interaction: newLeg() }),
    'a call tree',
  );
  await ok(
    t.http.post('/saveContact').set('Idempotency-Key', 'seed-key-1').send({ first_name: 'Idem' }),
    'a retry-safe contact',
  );
  const webhook = await ok(t.http.post('/webhooks').send({ url: hardeningReceiver, events: ['*'] }), 'a webhook');
  const delivery = await ok(t.http.post(`/webhooks/${webhook.id}/ping`), 'a delivery');
  const job = await waitForJob(t, (await postImport(t, 'first_name\nImported\n', 'text/csv').expect(202)).body.id);
  // The runner deletes a job's stored file just after marking it completed: wait for that, or it lands in a snapshot.
  const chunks = t.db.connection.collection('import_chunks');
  while (await chunks.countDocuments()) await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    contactId: first._id,
    otherContactId: other._id,
    phone,
    spareAttributeId: spare._id,
    mappingId: mapping._id,
    callId,
    importId: job.id,
    webhookId: webhook.id,
    deliveryId: delivery.id,
  };
}
