import { MongoClient, type Db } from 'mongodb';
import { defineAccountAttribute } from './load-clients';
import { adminRequest, serverPool, startFaultDatabase, type FaultDatabase, type ServerProcess } from './server-process';

type Contact = Record<string, unknown> & { _id: string };

interface PlannedMerge {
  survivor: Contact;
  merged: Contact[];
  acknowledged: boolean;
}

const groupsPerRound = 12;
const concurrentMerges = 6;
const maxRounds = 5;

let database: FaultDatabase;
let mongo: MongoClient;
let db: Db;
const servers = serverPool(() => database);
let sequence = 0;

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

async function api(server: ServerProcess, method: string, path: string, body?: unknown) {
  const { status, body: answer } = await adminRequest(server, method, path, body);
  return { status, body: answer as Contact };
}

async function createContact(server: ServerProcess, withAccount: boolean): Promise<Contact> {
  sequence += 1;
  const body = {
    first_name: `Crash${sequence}`,
    last_name: 'Merge',
    phone1: `+1415${String(3_000_000 + sequence).padStart(7, '0')}`,
    ...(withAccount ? { account: `acct${sequence}` } : {}),
  };
  const res = await api(server, 'POST', '/saveContact', body);
  if (res.status !== 200) throw new Error(`saveContact: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Survivors with and without an account of their own, so that claims both move and are released. */
async function planMerges(server: ServerProcess): Promise<PlannedMerge[]> {
  const planned: PlannedMerge[] = [];
  for (let group = 0; group < groupsPerRound; group++) {
    const survivor = await createContact(server, group % 2 === 0);
    const merged = [await createContact(server, true), await createContact(server, group % 3 !== 0)];
    planned.push({ survivor, merged, acknowledged: false });
  }
  return planned;
}

/** Sends the merges a few at a time and SIGKILLs the server after a random delay; resolves once it died. */
async function mergeAndKill(server: ServerProcess, planned: PlannedMerge[]): Promise<void> {
  let next = 0;
  const send = async () => {
    while (next < planned.length) {
      const merge = planned[next++];
      const res = await api(server, 'POST', '/contacts/merge', {
        survivorId: merge.survivor._id,
        mergedIds: merge.merged.map((contact) => contact._id),
      }).catch(() => undefined);
      if (res?.status === 200) merge.acknowledged = true;
    }
  };
  const killer = setTimeout(() => server.child.kill('SIGKILL'), 50 + Math.random() * 400);
  await Promise.all(Array.from({ length: concurrentMerges }, send));
  clearTimeout(killer);
  server.child.kill('SIGKILL');
  await server.exited;
}

async function waitUntilNoMergePending(): Promise<void> {
  const deadline = Date.now() + 45_000;
  while ((await db.collection('contact_merges').countDocuments({ state: 'pending' })) > 0) {
    if (Date.now() > deadline) throw new Error('merges still pending 45 s after the restart');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Complete (survivor absorbed every merged contact, which redirect to it) or absent (all as they were). */
async function expectAbsentOrComplete(server: ServerProcess, merge: PlannedMerge): Promise<'complete' | 'absent'> {
  const survivor = await api(server, 'GET', `/contacts/${merge.survivor._id}`);
  expect(survivor.status).toBe(200);
  const merged = await Promise.all(merge.merged.map((contact) => api(server, 'GET', `/contacts/${contact._id}`)));
  if (!survivor.body.mergedFrom) {
    expect(merge.acknowledged).toBe(false);
    expect(survivor.body).toEqual(merge.survivor);
    expect(merged.map((res) => res.body)).toEqual(merge.merged);
    return 'absent';
  }
  expect(survivor.body.mergedFrom).toEqual(
    merge.merged.map((contact) => ({ id: contact._id, phones: [contact.phone1] })),
  );
  expect(survivor.body.account).toBe(merge.survivor.account ?? merge.merged[0].account);
  expect(merged.map((res) => [res.status, res.body.mergedInto])).toEqual(
    merge.merged.map(() => [301, merge.survivor._id]),
  );
  const popped = await api(server, 'GET', `/contacts/lookup?ani=${encodeURIComponent(String(merge.merged[1].phone1))}`);
  expect((popped.body.contacts as Contact[]).map((contact) => contact._id)).toEqual([merge.survivor._id]);
  return 'complete';
}

/** Every stored account claimed once, by the contact that holds it; no claim left to a merged contact. */
async function expectClaimsExactlyOnce(): Promise<void> {
  const holders = await db
    .collection('contacts')
    .find({ account: { $exists: true } })
    .toArray();
  const claims = await db.collection('contact_unique_values').find().toArray();
  const held = holders.map((contact) => [`account:${String(contact.account)}`, String(contact._id)]).sort();
  expect(claims.map((claim) => [claim._id, claim.contactId]).sort()).toEqual(held);
}

describe('a server killed with SIGKILL during a batch of merges', () => {
  it('leaves every merge absent or, after the restart, complete, and every unique value claimed once', async () => {
    let server = await start();
    await defineAccountAttribute(server.baseUrl);
    let caughtPending = 0;
    const outcomes: string[] = [];
    for (let round = 0; round < maxRounds && caughtPending === 0; round++) {
      const planned = await planMerges(server);
      await mergeAndKill(server, planned);
      caughtPending += await db.collection('contact_merges').countDocuments({ state: 'pending' });

      server = await start();
      await waitUntilNoMergePending();
      for (const merge of planned) outcomes.push(await expectAbsentOrComplete(server, merge));
      await expectClaimsExactlyOnce();
    }
    expect(outcomes).toContain('complete');
    // The kill landed between a journal write and the end of its merge at least once: recovery did the rest.
    expect(caughtPending).toBeGreaterThan(0);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 240_000);
});
