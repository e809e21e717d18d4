import { MongoClient, type Db } from 'mongodb';
import {
  acknowledged,
  defineAccountAttribute,
  driveLoad,
  requestPlan,
  retryUntilStored,
  send,
  type Outcome,
} from './load-clients';
import { adminRequest, serverPool, startFaultDatabase, type FaultDatabase, type ServerProcess } from './server-process';

const clients = 6;
const killAfterAcknowledged = 60;

let database: FaultDatabase;
let mongo: MongoClient;
let db: Db;
const servers = serverPool(() => database);

beforeAll(async () => {
  database = await startFaultDatabase();
  mongo = await MongoClient.connect(database.uri);
  db = mongo.db(database.dbName);
});

afterAll(async () => {
  await servers.stopAll();
  await mongo?.close();
  await database?.stop();
});

const start = () => servers.start();

const api = adminRequest;

/** Load until `killAfterAcknowledged` requests got a 2xx (or 20 s passed), then SIGKILL; clients send until it died. */
async function loadAndKill(server: ServerProcess): Promise<Outcome[]> {
  let acks = 0;
  let dead = false;
  void server.exited.then(() => (dead = true));
  const killTimer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
  const outcomes = await driveLoad({
    baseUrl: server.baseUrl,
    clients,
    next: requestPlan(),
    stopped: () => dead,
    onOutcome: (outcome) => {
      if (acknowledged(outcome) && ++acks === killAfterAcknowledged) server.child.kill('SIGKILL');
    },
  });
  clearTimeout(killTimer);
  expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
  return outcomes;
}

function legIdentity(outcome: Outcome) {
  const { interaction } = outcome.request.body as { interaction: { agentId: string } };
  return interaction.agentId;
}

async function expectContactFoundOnce(server: ServerProcess, outcome: Outcome): Promise<void> {
  const sent = outcome.request.body as Record<string, string>;
  const { _id } = outcome.body as { _id: string };
  const byId = await api(server, 'GET', `/contacts/${_id}`);
  expect(byId).toMatchObject({ status: 200, body: { _id, ...sent } });
  const byPhone = await api(server, 'POST', '/contacts/getContactsBySearchTerms', { phone: sent.phone1 });
  expect((byPhone.body as unknown as { _id: string }[]).map((contact) => contact._id)).toEqual([_id]);
  const byAccount = await api(server, 'POST', '/contacts/getContactsBySearchTerms', { account: sent.account });
  expect((byAccount.body as unknown as { _id: string }[]).map((contact) => contact._id)).toEqual([_id]);
}

/** Each call's tree holds every leg in `required` once, and nothing but legs that were sent. */
async function expectLegsOnce(server: ServerProcess, required: Outcome[], sent: Outcome[]): Promise<void> {
  const callIds = [...new Set(sent.map((leg) => leg.request.path.split('/').pop()!))];
  for (const callId of callIds) {
    const ofCall = (legs: Outcome[]) => legs.filter((leg) => leg.request.path.endsWith(`/${callId}`)).map(legIdentity);
    const tree = await api(server, 'GET', `/interactions/call/${callId}`);
    const stored = (tree.body.interactions as { agentId: string }[]).map((leg) => leg.agentId);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored).toEqual(expect.arrayContaining(ofCall(required)));
    expect(ofCall(sent)).toEqual(expect.arrayContaining(stored));
  }
}

/** Nothing half-written: every contact has its search fields, every unique claim its contact, one create entry each. */
async function expectNothingHalfWritten(contactCount: number): Promise<void> {
  const contacts = await db.collection('contacts').find().toArray();
  expect(contacts).toHaveLength(contactCount);
  for (const contact of contacts) {
    expect(contact._kv).toEqual(expect.arrayContaining([`account:${contact.account}`]));
    expect(contact._phones).toEqual([contact.phone1]);
  }
  const ids = new Set(contacts.map((contact) => String(contact._id)));
  const claims = await db.collection('contact_unique_values').find().toArray();
  expect(claims.map((claim) => claim.contactId).sort()).toEqual([...ids].sort());
  const creates = await db.collection('audit_entries').find({ resource: 'contacts', action: 'create' }).toArray();
  expect(creates.map((entry) => entry.entityId).sort()).toEqual([...ids].sort());
}

describe('a server killed with SIGKILL under load', () => {
  it('keeps every acknowledged write once, shows nothing half-written, and retries make no duplicates', async () => {
    const first = await start();
    await defineAccountAttribute(first.baseUrl);

    const outcomes = await loadAndKill(first);
    const acked = outcomes.filter(acknowledged);
    const unacked = outcomes.filter((outcome) => !acknowledged(outcome));
    expect(acked.length).toBeGreaterThan(0);
    expect(unacked.length).toBeGreaterThan(0);
    expect(unacked.filter((outcome) => outcome.error === undefined)).toEqual([]);

    const second = await start();
    const ackedContacts = acked.filter((outcome) => outcome.request.kind === 'contact');
    for (const outcome of ackedContacts) await expectContactFoundOnce(second, outcome);
    const legs = outcomes.filter((outcome) => outcome.request.kind === 'leg');
    await expectLegsOnce(second, legs.filter(acknowledged), legs);

    // An in-flight Idempotency-Key is held for 30 s, so retries of contacts cut off by the kill wait with 409s.
    const deadline = Date.now() + 45_000;
    const retried = await Promise.all(
      unacked.map((outcome) => retryUntilStored(second.baseUrl, outcome.request, deadline)),
    );
    const contacts = [...acked, ...retried].filter((outcome) => outcome.request.kind === 'contact');
    for (const outcome of contacts) await expectContactFoundOnce(second, outcome);
    await expectLegsOnce(second, legs, legs);
    await expectNothingHalfWritten(contacts.length);

    const replay = await send(second.baseUrl, contacts[0].request, 99);
    expect(replay).toMatchObject({ status: 200, body: { _id: (contacts[0].body as { _id: string })._id } });
    await expectNothingHalfWritten(contacts.length);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
