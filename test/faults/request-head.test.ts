import { adminRequest, serverPool, startFaultDatabase, type FaultDatabase } from './server-process';

let database: FaultDatabase;
const servers = serverPool(() => database);

beforeAll(async () => {
  database = await startFaultDatabase();
});

afterAll(async () => {
  await servers.stopAll();
  await database?.stop();
});

/** A cursor of `length` characters, each three bytes of UTF-8 and nine once percent-encoded. */
function nonAsciiCursor(length: number): string {
  const prefix = 'unique:';
  return encodeURIComponent(prefix + '€'.repeat(length - prefix.length));
}

describe('the request head the server takes', () => {
  it('answers a query within its documented length however it is encoded, and 400 beyond it, never 431', async () => {
    const server = await servers.start();

    const longest = await adminRequest(server, 'GET', `/contacts/duplicates?after=${nonAsciiCursor(2_100)}`);
    expect(longest.status).toBe(200);
    expect(longest.body).toEqual([]);

    const tooLong = await adminRequest(server, 'GET', `/contacts/duplicates?after=${nonAsciiCursor(2_101)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }, 120_000);
});
