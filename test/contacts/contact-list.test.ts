import { createContact, createContacts } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

type Contact = Record<string, unknown> & { _id: string };

let t: TestApp;
let seeded: Contact[];
beforeAll(async () => {
  t = await startTestApp();
  seeded = [];
  for (let index = 0; index < 30; index++) seeded.push(await createContact(t, { last_name: `Listed${index}` }));
});
afterAll(() => t.close());

const idsOf = (page: Contact[]) => page.map((contact) => contact._id);
const newestFirst = (contacts: Contact[]) => idsOf(contacts).reverse();

describe('GET /getContactList', () => {
  it('returns the first 25 contacts, newest first, as stored', async () => {
    const res = await t.http.get('/getContactList').expect(200);

    expect(res.body).toHaveLength(25);
    expect(idsOf(res.body)).toEqual(newestFirst(seeded).slice(0, 25));
    expect(res.body[0]).toEqual(seeded[29]);
  });

  it.each([1, 30, 100])('returns at most limit=%i contacts', async (limit) => {
    const res = await t.http.get(`/getContactList?limit=${limit}`).expect(200);

    expect(idsOf(res.body)).toEqual(newestFirst(seeded).slice(0, limit));
  });

  it.each(['0', '101', 'abc', '2.5', '-1', ''])('rejects limit=%j with 400', async (limit) => {
    const res = await t.http.get(`/getContactList?limit=${limit}`).expect(400);

    expect(res.body).toMatchObject({ status: 400, errors: [{ path: 'query.limit' }] });
  });
});

describe('GET /contacts/loadMore/{last_id}', () => {
  it('returns the page after last_id in the same order', async () => {
    const first = await t.http.get('/getContactList?limit=10').expect(200);

    const res = await t.http.get(`/contacts/loadMore/${first.body[9]._id}?limit=10`).expect(200);

    expect(idsOf(res.body)).toEqual(newestFirst(seeded).slice(10, 20));
  });

  it('uses a page size of 25 by default', async () => {
    const res = await t.http.get(`/contacts/loadMore/${seeded[29]._id}`).expect(200);

    expect(idsOf(res.body)).toEqual(newestFirst(seeded).slice(1, 26));
  });

  it('returns an empty page after the oldest contact', async () => {
    await t.http.get(`/contacts/loadMore/${seeded[0]._id}`).expect(200, []);
  });

  it('still works when last_id has been deleted', async () => {
    const doomed = await createContact(t);
    const after = await t.http.get(`/contacts/loadMore/${doomed._id}?limit=5`).expect(200);
    await t.http.delete(`/contacts/${doomed._id}`).expect(200);

    const res = await t.http.get(`/contacts/loadMore/${doomed._id}?limit=5`).expect(200);

    expect(res.body).toEqual(after.body);
  });

  it('rejects a malformed last_id and a bad limit with 400', async () => {
    const bad = await t.http.get('/contacts/loadMore/not-an-id').expect(400);
    expect(bad.body).toMatchObject({ errors: [{ path: 'params.last_id' }] });

    await t.http.get(`/contacts/loadMore/${seeded[5]._id}?limit=0`).expect(400);
  });
});

describe('walking the contact list', () => {
  it('visits every contact that existed throughout exactly once while others come and go', async () => {
    // This one client sends thousands of requests a minute: no rate limit here.
    const walk = await startTestApp({ env: { CIM_RATE_LIMIT_MAX: '0' } });
    try {
      const contacts = await createContacts(walk, 1_100, (index) => ({
        last_name: index % 11 === 0 ? 'Doomed' : 'Stays',
      }));
      const staying = new Set(idsOf(contacts.filter((contact) => contact.last_name === 'Stays')));
      const doomed = idsOf(contacts.filter((contact) => contact.last_name === 'Doomed'));
      const churn = () => [
        ...[1, 2, 3, 4, 5].map(() => createContact(walk)),
        ...takeRandom(doomed, 8).map((id) => walk.http.delete(`/contacts/${id}`).expect(200)),
      ];

      const visited: string[] = [];
      let page = (await walk.http.get('/getContactList?limit=100').expect(200)).body as Contact[];
      while (page.length > 0) {
        visited.push(...idsOf(page));
        const lastId = page[page.length - 1]._id;
        const [next] = await Promise.all([
          walk.http.get(`/contacts/loadMore/${lastId}?limit=100`).expect(200),
          ...churn(),
        ]);
        page = next.body;
      }

      expect(staying.size).toBe(1_000);
      expect(new Set(visited).size).toBe(visited.length);
      expect(visited.filter((id) => staying.has(id))).toHaveLength(staying.size);
      expect([...visited].sort().reverse()).toEqual(visited);
    } finally {
      await walk.close();
    }
  }, 240_000);
});

/** Removes and returns up to count random items of the list. */
function takeRandom<T>(items: T[], count: number): T[] {
  return Array.from(
    { length: Math.min(count, items.length) },
    () => items.splice(Math.floor(Math.random() * items.length), 1)[0],
  );
}

describe('the contact list on both read paths', () => {
  it('answers the same pages through the driver as from FerretDB’s table', async () => {
    const driver = await startTestApp({ dbName: t.dbName, withoutEnginePostgres: true });
    try {
      const first = (await t.http.get('/getContactList?limit=10').expect(200)).body as Contact[];
      const next = (await t.http.get(`/contacts/loadMore/${first[9]._id}?limit=10`).expect(200)).body as Contact[];

      expect((await driver.http.get('/getContactList?limit=10').expect(200)).body).toEqual(first);
      expect((await driver.http.get(`/contacts/loadMore/${first[9]._id}?limit=10`).expect(200)).body).toEqual(next);
      expect(next).toHaveLength(10);
    } finally {
      await driver.close({ keepDatabase: true });
    }
  });
});
