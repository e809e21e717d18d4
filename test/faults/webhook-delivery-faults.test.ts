import { startReceiver } from '../webhooks/receiver';
import { adminRequest, serverPool, startFaultDatabase, type FaultDatabase, type ServerProcess } from './server-process';

const webhookEnv = { CIM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };

let database: FaultDatabase;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const servers = serverPool(() => database);

beforeAll(async () => {
  database = await startFaultDatabase();
  receiver = await startReceiver();
});

afterAll(async () => {
  await servers.stopAll();
  await receiver?.close();
  await database?.stop();
});

const start = () => servers.start(webhookEnv);

async function post(server: ServerProcess, path: string, body: unknown) {
  const { status, body: answer } = await adminRequest(server, 'POST', path, body);
  return { status, body: answer as { _id: string } };
}

/** The ids of the contacts whose contact.created event the receiver got, with how often each came. */
function createdEvents(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { event } of receiver.received) {
    if (event.type !== 'contact.created') continue;
    const id = (event.data.contact as { _id: string })._id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

async function waitForEvents(ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (ids.some((id) => !createdEvents().has(id))) {
    if (Date.now() > deadline) throw new Error(`${ids.filter((id) => !createdEvents().has(id)).length} events missing`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('webhook deliveries across crashes and instances', () => {
  it('delivers the event of every acknowledged change after a SIGKILL right after the answers', async () => {
    const first = await start();
    expect((await post(first, '/webhooks', { url: receiver.url, events: ['contact.created'] })).status).toBe(200);
    const acknowledged: string[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        const res = await post(first, '/saveContact', { first_name: `Killed${index}` }).catch(() => undefined);
        if (res?.status !== 200) return;
        acknowledged.push(res.body._id);
        if (acknowledged.length === 20) first.child.kill('SIGKILL');
      }),
    );
    await first.exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    await start();
    await waitForEvents(acknowledged, 45_000);
  }, 90_000);

  it('two instances deliver every event once: none by both', async () => {
    const [one, two] = [await start(), await start()];
    const before = receiver.received.length;
    const ids = await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        const res = await post(index % 2 ? one : two, '/saveContact', { first_name: `Twin${index}` });
        expect(res.status).toBe(200);
        return res.body._id;
      }),
    );

    await waitForEvents(ids, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 12_000));

    const counts = createdEvents();
    expect(ids.map((id) => counts.get(id))).toEqual(ids.map(() => 1));
    expect(receiver.received.length - before).toBe(ids.length);
  }, 90_000);
});
