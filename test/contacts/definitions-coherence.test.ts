import type { Response } from 'supertest';
import { contactInput, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { repeatWhilePending } from '../support/while-pending';

let a: TestApp;
let b: TestApp;
// Writes are sent back to back while a definition change runs: no rate limit, which these tests are not about.
const unlimited = { CIM_RATE_LIMIT_MAX: '0' };

beforeAll(async () => {
  a = await startTestApp({ env: unlimited });
  b = await startTestApp({ dbName: a.dbName, env: unlimited });
});
afterAll(async () => {
  await b.close({ keepDatabase: true });
  await a.close();
});

/** Repeats the attempt every 50 ms for at most one second, until its result is the wanted one. */
async function withinOneSecond(attempt: () => Promise<Response>, wanted: (res: Response) => boolean) {
  const deadline = Date.now() + 1_000;
  for (;;) {
    const res = await attempt();
    if (wanted(res) || Date.now() >= deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const status = (code: number) => (res: Response) => res.status === code;
const keysOf = (res: Response) => (res.body as { key: string }[]).map((definition) => definition.key);

describe('attribute definitions across instances on one database', () => {
  it('lets the other instance accept a contact with a new attribute within one second', async () => {
    const key = uniqueKey('loyalty');
    await b.http
      .post('/saveContact')
      .send(contactInput({ [key]: '3' }))
      .expect(400);
    await a.http.post('/saveSchema').send({ key, label: 'Loyalty', type: 'number' }).expect(200);

    const res = await withinOneSecond(
      () => b.http.post('/saveContact').send(contactInput({ [key]: '3' })),
      status(200),
    );

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ [key]: 3 });
  });

  it('makes the other instance refuse a deleted attribute within one second', async () => {
    const key = uniqueKey('loyalty');
    const created = await a.http.post('/saveSchema').send({ key, label: 'Loyalty', type: 'string' }).expect(200);
    const before = await withinOneSecond(
      () => b.http.post('/saveContact').send(contactInput({ [key]: 'x' })),
      status(200),
    );
    expect(before.status).toBe(200);
    await a.http.delete(`/schema/${created.body._id}`).expect(200);

    const res = await withinOneSecond(
      () => b.http.post('/saveContact').send(contactInput({ [key]: 'x' })),
      status(400),
    );

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: key, message: 'is not a defined attribute' }]);
  });

  it('erases a deleted attribute from contacts the other instance wrote while the delete ran', async () => {
    // The deleting instance waits out stale rules for 4 refresh periods; a long one keeps a loaded machine safe.
    const admin = await startTestApp({ dbName: a.dbName, env: { CIM_CACHE_REFRESH_MS: '1000' } });
    try {
      const key = uniqueKey('hobby');
      const created = await admin.http.post('/saveSchema').send({ key, label: 'Hobby', type: 'string' }).expect(200);
      const save = (value: string) => b.http.post('/saveContact').send(contactInput({ [key]: value }));
      expect((await withinOneSecond(() => save('first'), status(200))).status).toBe(200);
      const deleted = admin.http.delete(`/schema/${created.body._id}`).expect(200);

      // Accepted (200) until the writing instance sees the delete, refused (400) after.
      const writes = await repeatWhilePending(deleted, (index) => save(`value ${index}`));
      await deleted;

      expect(writes.map((res) => res.status).filter((code) => code !== 200 && code !== 400)).toEqual([]);
      const holders = await a.db.connection
        .collection('contacts')
        .find({ [key]: { $exists: true } }, { projection: { [key]: 1 } })
        .toArray();
      expect(holders).toEqual([]);
    } finally {
      await admin.close({ keepDatabase: true });
    }
  });

  it('makes the other instance apply a changed rule within one second', async () => {
    const key = uniqueKey('tier');
    const created = await a.http
      .post('/saveSchema')
      .send({ key, label: 'Tier', type: 'enum', options: ['gold'] })
      .expect(200);
    const saveGold = () => b.http.post('/saveContact').send(contactInput({ [key]: 'gold' }));
    const savePlatinum = () => b.http.post('/saveContact').send(contactInput({ [key]: 'platinum' }));
    expect((await withinOneSecond(saveGold, status(200))).status).toBe(200);
    await savePlatinum().expect(400);
    await a.http
      .put(`/schema/${created.body._id}`)
      .send({ options: ['gold', 'platinum'] })
      .expect(200);

    const res = await withinOneSecond(savePlatinum, status(200));

    expect(res.status).toBe(200);
  });

  it('shows a new attribute in the other instance’s GET /getSchema within one second', async () => {
    const key = uniqueKey('region');
    await a.http.post('/saveSchema').send({ key, label: 'Region', type: 'string' }).expect(200);

    const res = await withinOneSecond(
      () => b.http.get('/getSchema'),
      (schema) => keysOf(schema).includes(key),
    );

    expect(keysOf(res)).toContain(key);
  });
});
