import { createContact, defineAttribute } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let jose: { _id: string };
let maria: { _id: string };
let emil: { _id: string };

beforeAll(async () => {
  t = await startTestApp();
  for (const [key, type] of [
    ['company', 'string'],
    ['notes', 'text'],
    ['email', 'email'],
    ['website', 'url'],
    ['mobile', 'phone'],
    ['age', 'number'],
    ['vip', 'boolean'],
    ['birthday', 'date'],
  ]) {
    await defineAttribute(t, { key, type });
  }
  await defineAttribute(t, { key: 'tier', type: 'enum', options: ['gold', 'silver', 'Gold Plus'] });

  jose = await createContact(t, {
    first_name: 'José',
    last_name: 'García',
    phone1: '+1 (415) 555-0100',
    mobile: '+44 20 7946 0958',
    company: 'Émile & Co.',
    notes: 'Prefers MORNING calls',
    email: 'Jose.Garcia@Example.com',
    website: 'https://acme.example/jose',
    age: 42,
    vip: true,
    birthday: '2024-05-01',
    tier: 'gold',
  });
  maria = await createContact(t, {
    first_name: 'Maria',
    last_name: 'Lopez',
    phone1: '+14155550199',
    mobile: '415-555-0100',
    company: 'Emilia Ltd',
    notes: 'Evening only',
    email: 'maria@other.org',
    website: 'http://other.org',
    age: 420,
    vip: false,
    birthday: '2024-05-02',
    tier: 'silver',
  });
  emil = await createContact(t, {
    first_name: 'Emil',
    last_name: 'Garcia',
    phone1: '+14155550142',
    company: 'Acme (Europe) [x]',
    age: 4.2,
    tier: 'Gold Plus',
  });
});
afterAll(() => t.close());

const search = (body: string | object, query = '') =>
  t.http.post(`/contacts/getContactsBySearchTerms${query}`).set('Content-Type', 'application/json').send(body);

async function idsFound(body: object, query = ''): Promise<string[]> {
  const res = await search(body, query).expect(200);
  expect(res.body).toEqual(expect.any(Array));
  return (res.body as { _id: string }[]).map((contact) => contact._id).sort();
}

const idsOf = (...contacts: { _id: string }[]) => contacts.map((contact) => contact._id).sort();

describe('search terms on string, text, email and url attributes', () => {
  it('matches a prefix of a string attribute, ignoring case and accents', async () => {
    expect(await idsFound({ company: 'emil' })).toEqual(idsOf(jose, maria));
    expect(await idsFound({ company: 'ÉMILE' })).toEqual(idsOf(jose));
    expect(await idsFound({ company: 'emile & co.' })).toEqual(idsOf(jose));
  });

  it('matches only at the start of the value, never inside it', async () => {
    expect(await idsFound({ company: 'co.' })).toEqual([]);
    expect(await idsFound({ notes: 'morning' })).toEqual([]);
  });

  it('matches a prefix of a text attribute, ignoring case', async () => {
    expect(await idsFound({ notes: 'prefers morning' })).toEqual(idsOf(jose));
  });

  it('matches a prefix of an email attribute, ignoring case', async () => {
    expect(await idsFound({ email: 'JOSE.garcia@' })).toEqual(idsOf(jose));
    expect(await idsFound({ email: 'jose.garcia@example.com' })).toEqual(idsOf(jose));
  });

  it('finds every contact holding a long email, however many others share its first characters', async () => {
    // More contacts share `billin` than a page reads: the long term must be looked up by a longer prefix.
    const others = Array.from({ length: 80 }, (_, index) => ({
      first_name: `Other${index}`,
      email: `billing@another-company-${index}.example`,
    }));
    await Promise.all(others.map((contact) => createContact(t, contact)));
    const targets = [];
    for (const first_name of ['Ann', 'Bob', 'Cid']) {
      targets.push(await createContact(t, { first_name, email: 'billing@the-target-company.example' }));
    }
    expect(await idsFound({ email: 'billing@the-target-company.example' })).toEqual(idsOf(...targets));
    expect(await idsFound({ email: 'Billing@The-Target-Co' })).toEqual(idsOf(...targets));
    expect(await idsFound({ email: 'billing@another-company-7' }, '?limit=100')).toHaveLength(11); // 7, 70–79
  });

  it('matches a prefix of a url attribute', async () => {
    expect(await idsFound({ website: 'HTTPS://acme' })).toEqual(idsOf(jose));
    expect(await idsFound({ website: 'http' })).toEqual(idsOf(jose, maria));
  });

  it('treats regular-expression characters in the value as text', async () => {
    expect(await idsFound({ company: 'acme (europe) [' })).toEqual(idsOf(emil));
    expect(await idsFound({ company: '.*' })).toEqual([]);
    expect(await idsFound({ company: 'emile & co\\.' })).toEqual([]);
  });

  it('refuses an empty text value with 400', async () => {
    const res = await search({ company: '  ' }).expect(400);

    expect(res.body).toMatchObject({ status: 400, errors: [{ path: 'company' }] });
  });
});

describe('search terms on phone attributes', () => {
  it.each(['+1 (415) 555-0100', '+14155550100', '415-555-0100', '(415) 555 0100', '0014155550100'])(
    'finds the same number written as %j',
    async (phone1) => {
      expect(await idsFound({ phone1 })).toEqual(idsOf(jose));
    },
  );

  it('does not match a different number', async () => {
    expect(await idsFound({ phone1: '+1 415 555 0101' })).toEqual([]);
    expect(await idsFound({ phone1: '+44 415 555 0100' })).toEqual([]);
  });

  it('matches a phone attribute by its own key only', async () => {
    expect(await idsFound({ mobile: '(415) 555-0100' })).toEqual(idsOf(maria));
  });

  it('refuses a value that is not a phone number with 400', async () => {
    const res = await search({ phone1: 'anonymous' }).expect(400);

    expect(res.body.errors).toEqual([{ path: 'phone1', message: 'is not a phone number' }]);
  });
});

describe('the virtual phone term', () => {
  it('matches the number in any phone attribute', async () => {
    expect(await idsFound({ phone: '+1 415-555-0100' })).toEqual(idsOf(jose, maria));
    expect(await idsFound({ phone: '+44 (0)20 7946 0958' })).toEqual(idsOf(jose));
    expect(await idsFound({ phone: '+14155550142' })).toEqual(idsOf(emil));
  });

  it('does not match a different number', async () => {
    expect(await idsFound({ phone: '415-555-0111' })).toEqual([]);
  });
});

describe('search terms on number, boolean, date and enum attributes', () => {
  it('matches a number exactly, from a number or a numeric string', async () => {
    expect(await idsFound({ age: 42 })).toEqual(idsOf(jose));
    expect(await idsFound({ age: '42' })).toEqual(idsOf(jose));
    expect(await idsFound({ age: ' 42.0 ' })).toEqual(idsOf(jose));
    expect(await idsFound({ age: '4.2' })).toEqual(idsOf(emil));
    expect(await idsFound({ age: 4 })).toEqual([]);
  });

  it('matches a boolean exactly, from a boolean or "true"/"false"', async () => {
    expect(await idsFound({ vip: true })).toEqual(idsOf(jose));
    expect(await idsFound({ vip: 'true' })).toEqual(idsOf(jose));
    expect(await idsFound({ vip: 'false' })).toEqual(idsOf(maria));
  });

  it('matches a date exactly, from a date or a date-time string', async () => {
    expect(await idsFound({ birthday: '2024-05-01' })).toEqual(idsOf(jose));
    expect(await idsFound({ birthday: '2024-05-01T00:00:00Z' })).toEqual(idsOf(jose));
    expect(await idsFound({ birthday: '2024-05-03' })).toEqual([]);
  });

  it('matches an enum option whole, in any case, never by prefix', async () => {
    expect(await idsFound({ tier: 'gold' })).toEqual(idsOf(jose));
    expect(await idsFound({ tier: 'GOLD' })).toEqual(idsOf(jose));
    expect(await idsFound({ tier: 'Gold Plus' })).toEqual(idsOf(emil));
    expect(await idsFound({ tier: 'gold plus' })).toEqual(idsOf(emil));
  });

  it.each([
    ['age', 'forty'],
    ['age', '4 2'],
    ['vip', 'yes'],
    ['vip', 1],
    ['birthday', 'May 1st'],
    ['birthday', '2024-05'],
    ['tier', 'bronze'],
  ])('refuses %s = %j, which cannot be coerced, with 400', async (term, value) => {
    const res = await search({ [term]: value }).expect(400);

    expect(res.body).toMatchObject({ status: 400, errors: [{ path: term }] });
  });
});

describe('the virtual name term', () => {
  it('matches first and last name prefixes as name search does', async () => {
    expect(await idsFound({ name: 'garc' })).toEqual(idsOf(jose, emil));
    expect(await idsFound({ name: 'JOSE GAR' })).toEqual(idsOf(jose));
    expect(await idsFound({ name: 'garcia garcia' })).toEqual([]);
  });

  it('refuses an empty name with 400', async () => {
    await search({ name: ' ' }).expect(400);
  });
});

describe('several search terms', () => {
  it('combines every term with AND', async () => {
    expect(await idsFound({ name: 'garcia', company: 'emile' })).toEqual(idsOf(jose));
    expect(await idsFound({ phone: '4155550100', vip: false })).toEqual(idsOf(maria));
    expect(await idsFound({ company: 'emil', age: '420', tier: 'silver', email: 'maria' })).toEqual(idsOf(maria));
    expect(await idsFound({ company: 'emile', vip: false })).toEqual([]);
  });

  it('names every bad term in one 400', async () => {
    const res = await search({ age: 'x', unknown_term: 'y', company: 'emil' }).expect(400);

    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['age', 'unknown_term']);
  });
});

describe('the limit of search by terms', () => {
  it('returns at most limit contacts, by name', async () => {
    const limited = await search({ company: 'e' }, '?limit=1').expect(200);
    expect(limited.body.map((contact: { _id: string }) => contact._id)).toEqual([jose._id]);
    expect((await search({ company: 'e' }).expect(200)).body).toHaveLength(2);
  });

  it.each(['0', '101', 'x', '1.5'])('refuses limit=%s with 400', async (limit) => {
    await search({ company: 'e' }, `?limit=${limit}`).expect(400);
  });
});

describe('search terms that could inject a query', () => {
  it.each([
    ['an operator object', { phone1: { $ne: null } }],
    ['a $where term', { $where: '1' }],
    ['a $regex object', { first_name: { $regex: '.*' } }],
    ['a $or term', { $or: [{ first_name: 'José' }] }],
    ['a nested object', { first_name: { value: 'José' } }],
    ['an array value', { first_name: ['José', 'Maria'] }],
    ['an empty array value', { first_name: [] }],
    ['a null value', { first_name: null }],
    ['an unknown term', { nickname: 'Jo' }],
    ['a dotted key', { 'first_name.x': 'J' }],
    ['a key starting with $', { $first_name: 'J' }],
    ['an internal search field', { _kv: 'first_name:jose' }],
    ['the id', { _id: 'x' }],
    ['an empty body', {}],
    ['a __proto__ key', JSON.parse('{"__proto__": {"first_name": "José"}}')],
    ['an array body', [{ first_name: 'José' }]],
    ['an empty array body', []],
    ['a string body', 'José'],
    ['a number body', 42],
    ['a null body', null],
  ])('answers %s with 400 and no contacts', async (_case, body) => {
    const res = await search(JSON.stringify(body)).expect(400);

    expect(res.body).toMatchObject({ status: 400, type: expect.stringMatching(/^urn:cim:problem:/) });
  });

  it('answers a request without a body with 400', async () => {
    const res = await t.http.post('/contacts/getContactsBySearchTerms').expect(400);

    expect(res.body).toMatchObject({ status: 400, type: expect.stringMatching(/^urn:cim:problem:/) });
  });
});
