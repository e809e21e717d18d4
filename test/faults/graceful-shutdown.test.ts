import { MongoClient, type Db } from 'mongodb';
import { Types } from 'mongoose';
import { acknowledged, defineAccountAttribute, driveLoad, requestPlan, type Outcome } from './load-clients';
import {
  loggedStatuses,
  startFaultDatabase,
  startServer,
  type FaultDatabase,
  type ServerProcess,
} from './server-process';

const clients = 8;
const signalAfterAcknowledged = 50;

let database: FaultDatabase;
let mongo: MongoClient;
let db: Db;
let server: ServerProcess | undefined;

beforeAll(async () => {
  database = await startFaultDatabase();
  mongo = await MongoClient.connect(database.uri);
  db = mongo.db(database.dbName);
});

afterAll(async () => {
  server?.child.kill('SIGKILL');
  await mongo?.close();
  await database?.stop();
});

/**
 * Load until `signalAfterAcknowledged` requests got a 2xx (or 20 s passed), then SIGTERM. Clients go on sending
 * until the process is gone, as keep-alive clients would: the server must not take their new requests, nor wait
 * for them.
 */
async function loadAndTerminate(running: ServerProcess): Promise<{ outcomes: Outcome[]; signalledAt: number }> {
  let acks = 0;
  let signalledAt = 0;
  let exited = false;
  void running.exited.then(() => (exited = true));
  const terminate = () => {
    if (signalledAt) return;
    signalledAt = Date.now();
    running.child.kill('SIGTERM');
  };
  const slowMachine = setTimeout(terminate, 20_000);
  const outcomes = await driveLoad({
    baseUrl: running.baseUrl,
    clients,
    next: requestPlan(2),
    stopped: () => exited,
    onOutcome: (outcome) => {
      if (acknowledged(outcome) && ++acks === signalAfterAcknowledged) {
        clearTimeout(slowMachine);
        terminate();
      }
    },
  });
  return { outcomes, signalledAt };
}

async function expectStored(outcome: Outcome): Promise<void> {
  if (outcome.request.kind === 'contact') {
    const { _id } = outcome.body as { _id: string };
    const contact = await db.collection('contacts').findOne({ _id: new Types.ObjectId(_id) });
    expect(contact).toMatchObject({ ...outcome.request.body, _kv: expect.any(Array), _phones: expect.any(Array) });
  } else {
    const callId = outcome.request.path.split('/').pop()!;
    const tree = await db.collection('interactions').findOne({ _id: callId as never });
    const agents = Object.values(tree?.legs ?? {}).map((leg) => (leg as { agentId: string }).agentId);
    const { interaction } = outcome.request.body as { interaction: { agentId: string } };
    expect(agents.filter((agent) => agent === interaction.agentId)).toHaveLength(1);
  }
}

describe('a server stopped with SIGTERM under load', () => {
  it('completes every request that reached it with 2xx, stores them, and exits 0', async () => {
    server = await startServer(database);
    await defineAccountAttribute(server.baseUrl);

    const { outcomes, signalledAt } = await loadAndTerminate(server);
    const exit = await server.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    const logged = loggedStatuses(server);
    // A request the server's log does not name never reached the app (a connection it was closing); any other
    // request must have been answered 2xx, and the client must have received that answer.
    const reached = outcomes.filter((outcome) => logged.has(outcome.request.requestId));
    const notReached = outcomes.filter((outcome) => !logged.has(outcome.request.requestId));
    expect(notReached.filter((outcome) => outcome.error === undefined)).toEqual([]);
    expect(reached.filter((outcome) => outcome.status !== logged.get(outcome.request.requestId))).toEqual([]);
    expect(reached.filter((outcome) => !acknowledged(outcome))).toEqual([]);
    expect(reached.filter((outcome) => outcome.endedAt >= signalledAt).length).toBeGreaterThan(1);
    for (const outcome of reached) await expectStored(outcome);
  });
});
