import { createContact, createContacts } from '../support/factories';
import { startTestApp, type TestApp, onFerretDbTable } from '../support/test-app';

let t: TestApp;
const names = (body: { first_name?: string; last_name?: string }[]) =>
  body.map((c) => `${c.first_name} ${c.last_name}`);

beforeAll(async () => {
  t = await startTestApp();
  for (const [first_name, last_name] of [
    ['José', 'García'],
    ['Jose', 'Smith'],
    ['John', 'Smith'],
    ['Johnny', 'Smithers'],
    ['Anna', 'Müller'],
    ['Smith', 'John'],
    ['Mary Ann', "O'Brien"],
    ['a.b*c', '(x)'],
  ]) {
    await createContact(t, { first_name, last_name });
  }
});
afterAll(() => t.close());

const search = (name: string, query = '') =>
  t.http.get(`/contacts/getContactByName/${encodeURIComponent(name)}${query}`);

describe('GET /contacts/getContactByName/{name}', () => {
  it('matches the start of first or last name, ignoring case and accents', async () => {
    expect(names((await search('jose').expect(200)).body).sort()).toEqual(['Jose Smith', 'José García']);
    expect(names((await search('MÜLLER').expect(200)).body)).toEqual(['Anna Müller']);
    expect(names((await search('muller').expect(200)).body)).toEqual(['Anna Müller']);
    expect(names((await search('garc').expect(200)).body)).toEqual(['José García']);
  });

  it('needs every word to start a different name part, in any order', async () => {
    const byLastName = ['Smith John', 'John Smith', 'Johnny Smithers'];
    expect(names((await search('john smi')).body)).toEqual(byLastName);
    expect(names((await search('smi john')).body)).toEqual(byLastName);
    expect(names((await search('smith smith')).body)).toEqual([]);
    expect(names((await search("o'brien mary")).body)).toEqual(["Mary Ann O'Brien"]);
  });

  it('ranks exact full-name matches first, then by last name', async () => {
    await createContact(t, { first_name: 'Jo', last_name: 'Smithson' });
    await createContact(t, { first_name: 'Jo', last_name: 'Smith' });
    expect(names((await search('jo smith')).body)).toEqual([
      'Jo Smith',
      'Smith John',
      'John Smith',
      'Jose Smith',
      'Johnny Smithers',
      'Jo Smithson',
    ]);
  });

  it('finds a match for words that prefix each other beyond contacts matching one name word twice', async () => {
    await createContacts(t, 60, () => ({ first_name: 'Anna', last_name: 'Aardvark' }));
    const annabel = await createContact(t, { first_name: 'Anna', last_name: 'Annabel' });

    const res = await search('ann anna', '?limit=1').expect(200);

    expect(res.body.map((contact: { _id: string }) => contact._id)).toEqual([annabel._id]);
  });

  it('honours limit', async () => {
    expect((await search('j', '?limit=2').expect(200)).body).toHaveLength(2);
    await search('j', '?limit=0').expect(400);
    await search('j', '?limit=101').expect(400);
  });

  it('treats regular-expression characters as text', async () => {
    expect(names((await search('a.b*c')).body)).toEqual(['a.b*c (x)']);
    expect((await search('.*')).body).toEqual([]);
    expect(names((await search('(x')).body)).toEqual(['a.b*c (x)']);
  });

  it('answers input shaped to make a pattern backtrack with 200 and no match, within the test timeout', async () => {
    await search(`${'a'.repeat(49)}!`.repeat(2)).expect(200, []);
    await search('(a+)+$'.repeat(10)).expect(200, []);
  });

  it('refuses empty, blank and over-long names with 400', async () => {
    await search(' ').expect(400);
    await search('---').expect(400);
    await search('a'.repeat(101)).expect(400);
  });
});

describe('search on both read paths', () => {
  onFerretDbTable('answers the same through the driver as from FerretDB’s table', async () => {
    const driver = await startTestApp({ dbName: t.dbName, withoutEnginePostgres: true });
    try {
      for (const path of [
        '/contacts/getContactByName/jo',
        '/contacts/getContactByName/john%20smi',
        '/contacts/getContactByName/m',
      ]) {
        const fromTable = (await t.http.get(path).expect(200)).body as unknown[];
        expect(fromTable.length).toBeGreaterThan(0);
        expect((await driver.http.get(path).expect(200)).body).toEqual(fromTable);
      }
      const terms = { last_name: 'smith' };
      const fromTable = (await t.http.post('/contacts/getContactsBySearchTerms').send(terms).expect(200)).body;
      expect(fromTable.length).toBeGreaterThan(2);
      expect((await driver.http.post('/contacts/getContactsBySearchTerms').send(terms).expect(200)).body).toEqual(
        fromTable,
      );
    } finally {
      await driver.close({ keepDatabase: true });
    }
  });
});
