import { createContact, defineAttribute, uniquePhone, uniqueWord } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

interface Group {
  reason: { kind: string; key: string };
  contactIds: string[];
  size: number;
  cursor: string;
}

// The same database read two ways: through FerretDB's PostgreSQL table, and by aggregation through the driver.
let table: TestApp;
let driver: TestApp;
const ids: Record<string, string[]> = {};

beforeAll(async () => {
  table = await startTestApp();
  driver = await startTestApp({ dbName: table.dbName, withoutEnginePostgres: true });
  await defineAttribute(table, { key: 'email', type: 'email' });
  await defineAttribute(table, { key: 'accountNo', type: 'string', unique: true });
  const phone = uniquePhone();
  const make = async (name: string, overrides: Record<string, unknown>) => {
    const contact = await createContact(table, {
      first_name: uniqueWord('f'),
      last_name: uniqueWord('l'),
      ...overrides,
    });
    (ids[name] ??= []).push(contact._id);
  };
  for (let index = 0; index < 3; index++) await make('phone', { phone1: phone });
  for (const email of ['Dup@Example.com', 'dup@example.com']) await make('email', { email });
  await make('name', { first_name: 'María', last_name: 'Group' });
  await make('name', { first_name: 'MARIA', last_name: 'group' });
  await make('single', {});
});
afterAll(async () => {
  await driver.close({ keepDatabase: true });
  await table.close();
});

async function sweep(t: TestApp, limit: number): Promise<Group[]> {
  const groups: Group[] = [];
  for (let after: string | undefined; ;) {
    const query = `limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    const page = (await t.http.get(`/contacts/duplicates?${query}`).expect(200)).body as Group[];
    groups.push(...page);
    if (page.length < limit) return groups;
    after = page[page.length - 1].cursor;
  }
}

describe('GET /contacts/duplicates', () => {
  it.each([
    ['from the table', () => table],
    ['by aggregation', () => driver],
  ])('lists each group of contacts sharing a phone, email or full name once, %s', async (_way, app) => {
    const groups = await sweep(app(), 100);

    expect(groups).toEqual([
      {
        reason: { kind: 'phone', key: expect.any(String) },
        contactIds: [...ids.phone].sort(),
        size: 3,
        cursor: expect.any(String),
      },
      {
        reason: { kind: 'email', key: 'email:dup@example.com' },
        contactIds: [...ids.email].sort(),
        size: 2,
        cursor: 'email:email:dup@example.com',
      },
      {
        reason: { kind: 'full-name', key: 'maria group' },
        contactIds: [...ids.name].sort(),
        size: 2,
        cursor: 'full-name:group maria',
      },
    ]);
  });

  it('pages with the cursor of the last group: one group a page gives the same groups', async () => {
    const whole = await sweep(table, 100);

    expect(await sweep(table, 1)).toEqual(whole);
    expect(await sweep(driver, 1)).toEqual(whole);
  });

  it('refuses a cursor that is none, and limits outside 1–1000, with 400', async () => {
    for (const query of ['after=nonsense', 'after=colour:red', 'limit=0', 'limit=1001']) {
      await table.http.get(`/contacts/duplicates?${query}`).expect(400);
    }
  });
});
