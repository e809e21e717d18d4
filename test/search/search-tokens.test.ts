import { createContact, createContacts, defineAttribute } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
const names = (body: { first_name?: string; last_name?: string }[]) =>
  body.map((c) => `${c.first_name} ${c.last_name}`).sort();
const byName = (name: string, query = '') =>
  t.http.get(`/contacts/getContactByName/${encodeURIComponent(name)}${query}`).expect(200);
const byTerms = (terms: Record<string, unknown>, query = '') =>
  t.http.post(`/contacts/getContactsBySearchTerms${query}`).send(terms);

beforeAll(async () => {
  t = await startTestApp();
  await defineAttribute(t, { key: 'city', type: 'string' });
  await defineAttribute(t, { key: 'mobile', type: 'phone' });
  for (const [first_name, last_name, city] of [
    ['Søren', 'Kierkegaard', 'København'],
    ['Łucja', 'Łódź', 'Łódź'],
    ['Hans', 'Straße', 'Straßburg'],
    ['Ærø', 'Ferry', 'Ærøskøbing'],
    ['Jürgen', 'Müller-Lüdenscheidt', 'Köln'],
    ['Maximiliana', 'Wolfeschlegelstein', 'Hamburg'],
  ]) {
    await createContact(t, { first_name, last_name, city });
  }
  await createContact(t, { first_name: 'Uk', last_name: 'Caller', mobile: '+44 20 7946 0958' });
  await createContact(t, { first_name: 'Us', last_name: 'Caller', phone1: '(415) 555-0100' });
});
afterAll(() => t.close());

describe('search folds letters that decomposition leaves alone', () => {
  it.each([
    ['soren', 'Søren Kierkegaard'],
    ['lodz', 'Łucja Łódź'],
    ['strasse', 'Hans Straße'],
    ['aero', 'Ærø Ferry'],
    ['aeroe', 'Ærø Ferry'],
    ['mueller', 'Jürgen Müller-Lüdenscheidt'],
    ['muller ludenscheidt', 'Jürgen Müller-Lüdenscheidt'],
    ['juergen muel', 'Jürgen Müller-Lüdenscheidt'],
    ['ｓｏｒｅｎ', 'Søren Kierkegaard'],
    ['𝕾𝖔𝖗𝖊𝖓', 'Søren Kierkegaard'],
  ])('finds %s by name', async (query, expected) => {
    expect(names((await byName(query)).body)).toEqual([expected]);
  });

  it('folds attribute values the same way, in every spelling', async () => {
    expect(names((await byTerms({ city: 'kobenhavn' }).expect(200)).body)).toEqual(['Søren Kierkegaard']);
    expect(names((await byTerms({ city: 'koebenhavn' }).expect(200)).body)).toEqual(['Søren Kierkegaard']);
    expect(names((await byTerms({ city: 'strassb' }).expect(200)).body)).toEqual(['Hans Straße']);
    expect(names((await byTerms({ city: 'aeroeskoebing' }).expect(200)).body)).toEqual(['Ærø Ferry']);
  });
});

describe('words and prefixes longer than the stored tokens', () => {
  it('matches a long word in full, not only by its first characters', async () => {
    expect(names((await byName('wolfeschlegelstein')).body)).toEqual(['Maximiliana Wolfeschlegelstein']);
    expect((await byName('wolfeschlegelsteinx')).body).toEqual([]);
    expect(names((await byName('maximiliana')).body)).toEqual(['Maximiliana Wolfeschlegelstein']);
    expect((await byName('maximilianus')).body).toEqual([]);
  });

  it('matches a long attribute prefix in full', async () => {
    expect(names((await byTerms({ last_name: 'wolfeschlegel' }).expect(200)).body)).toEqual([
      'Maximiliana Wolfeschlegelstein',
    ]);
    expect((await byTerms({ last_name: 'wolfeschlegelx' }).expect(200)).body).toEqual([]);
    expect((await byTerms({ city: 'hamburgx' }).expect(200)).body).toEqual([]);
  });

  it('matches first_name and last_name terms as prefixes of the whole value, not of any word', async () => {
    expect(names((await byTerms({ last_name: 'muller-lud' }).expect(200)).body)).toEqual([
      'Jürgen Müller-Lüdenscheidt',
    ]);
    expect((await byTerms({ last_name: 'ludenscheidt' }).expect(200)).body).toEqual([]);
    expect((await byTerms({ first_name: 'kierkegaard' }).expect(200)).body).toEqual([]);
  });
});

describe('a partial phone number', () => {
  it.each([
    ['415 555', 'Us Caller'],
    ['1415555', 'Us Caller'],
    ['(415) 555-01', 'Us Caller'],
    ['0207946', 'Uk Caller'],
    ['+44 20 7946', 'Uk Caller'],
    ['2079460', 'Uk Caller'],
  ])('finds numbers starting with %s', async (phone, expected) => {
    expect(names((await byTerms({ phone }).expect(200)).body)).toEqual([expected]);
  });

  it('refuses fewer than 6 digits, and text that is no number, with 400', async () => {
    const short = await byTerms({ phone: '415 55' }).expect(400);
    expect(short.body.errors).toEqual([{ path: 'phone', message: expect.stringMatching(/6 digits/) }]);
    await byTerms({ phone: 'call me 415555' }).expect(400);
  });
});

describe('a broad search', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await createContacts(app, 150, (index) => ({ first_name: `Person${index}`, last_name: 'Broadname' }));
  });
  afterAll(() => app.close());

  it('answers `limit` contacts in name order when more match', async () => {
    const res = await app.http.get('/contacts/getContactByName/broad?limit=30').expect(200);

    expect(res.body).toHaveLength(30);
    const sortNames = res.body.map((c: { first_name: string }) => c.first_name.toLowerCase());
    expect(sortNames).toEqual([...sortNames].sort());
    expect(new Set(res.body.map((c: { _id: string }) => c._id)).size).toBe(30);
  });

  it('still finds every match when fewer than `limit` do', async () => {
    const res = await app.http.get('/contacts/getContactByName/person1?limit=100').expect(200);

    const expected = Array.from({ length: 150 }, (_, index) => `Person${index}`).filter((name) =>
      name.startsWith('Person1'),
    );
    expect(expected).toHaveLength(61);
    expect(res.body.map((c: { first_name: string }) => c.first_name).sort()).toEqual(expected.sort());
    const one = await app.http.get('/contacts/getContactByName/person149').expect(200);
    expect(one.body.map((c: { first_name: string }) => c.first_name)).toEqual(['Person149']);
  });
});
