import { createContact, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp, onFerretDbTable } from '../support/test-app';

type Contact = Record<string, unknown> & { _id: string };

let t: TestApp;
let account123: Contact;
let account1234: Contact;
let school: Contact;
let sharedNorth: Contact;
let sharedSouth: Contact;

beforeAll(async () => {
  t = await startTestApp();
  await defineAttribute(t, { key: 'account', type: 'string' });
  await defineAttribute(t, { key: 'region', type: 'string' });
  await defineAttribute(t, { key: 'customer_id', type: 'number' });
  await defineAttribute(t, { key: 'vip', type: 'boolean' });
  await defineAttribute(t, { key: 'work_phone', type: 'phone' });

  account123 = await createContact(t, {
    first_name: 'Ann',
    account: '123',
    region: 'North',
    customer_id: 42,
    phone1: '+14155550100',
  });
  account1234 = await createContact(t, { first_name: 'Ben', account: '1234', region: 'North', phone1: '+14155550101' });
  school = await createContact(t, { first_name: 'Cleo', account: 'École-7', vip: true, phone1: '+442079460958' });
  sharedNorth = await createContact(t, {
    first_name: 'Dan',
    account: 'SHARED',
    region: 'North',
    phone1: '+14155550177',
  });
  sharedSouth = await createContact(t, {
    first_name: 'Eve',
    account: 'SHARED',
    region: 'Süd',
    phone1: '+14155550188',
    work_phone: '+1 415 555 0177',
  });
});
afterAll(() => t.close());

/** Maps a fresh call variable to an attribute, so each test's mappings apply only to its own calls. */
async function mapVariable(key: string, callVariable = uniqueKey('callVar')) {
  const res = await t.http.post('/mapping').send({ callVariable, key }).expect(200);
  return { callVariable, id: (res.body as { _id: string })._id };
}

const lookup = (body: unknown, query = '') =>
  t.http.post(`/contacts/lookup${query}`).set('Content-Type', 'application/json').send(JSON.stringify(body));

async function poppedIds(body: unknown, query = ''): Promise<string[]> {
  const res = await lookup(body, query).expect(200);
  return (res.body.contacts as Contact[]).map((contact) => contact._id).sort();
}

const idsOf = (...contacts: Contact[]) => contacts.map((contact) => contact._id).sort();

describe('screen pop by call variables', () => {
  it('pops the contact whose mapped attribute equals the variable, and says what matched', async () => {
    const { callVariable } = await mapVariable('account');

    const res = await lookup({ ani: '+14155550101', callVariables: { [callVariable]: '123' } }).expect(200);

    expect(res.body).toEqual({
      contacts: [account123],
      matchedOn: [{ key: 'account', value: '123', source: 'callVariable' }],
    });
  });

  it('matches exactly, never by prefix', async () => {
    const { callVariable } = await mapVariable('account');

    expect(await poppedIds({ callVariables: { [callVariable]: '12' } })).toEqual([]);
    expect(await poppedIds({ callVariables: { [callVariable]: '1234' } })).toEqual(idsOf(account1234));
    expect(await poppedIds({ callVariables: { [callVariable]: 'shar' } })).toEqual([]);
  });

  it('matches text case- and accent-insensitively', async () => {
    const { callVariable } = await mapVariable('account');

    expect(await poppedIds({ callVariables: { [callVariable]: 'ecole-7' } })).toEqual(idsOf(school));
    expect(await poppedIds({ callVariables: { [callVariable]: ' ÉCOLE-7 ' } })).toEqual(idsOf(school));
    expect(await poppedIds({ callVariables: { [callVariable]: 'ecole-' } })).toEqual([]);
  });

  it('matches a text attribute from a numeric variable value', async () => {
    const { callVariable } = await mapVariable('account');

    expect(await poppedIds({ callVariables: { [callVariable]: 123 } })).toEqual(idsOf(account123));
  });

  it('matches numbers and booleans after coercing the variable', async () => {
    const customer = await mapVariable('customer_id');
    const vip = await mapVariable('vip');

    expect(await poppedIds({ callVariables: { [customer.callVariable]: '42' } })).toEqual(idsOf(account123));
    expect(await poppedIds({ callVariables: { [customer.callVariable]: 42 } })).toEqual(idsOf(account123));
    expect(await poppedIds({ callVariables: { [customer.callVariable]: '4' } })).toEqual([]);
    expect(await poppedIds({ callVariables: { [vip.callVariable]: 'true' } })).toEqual(idsOf(school));
  });

  it('matches a phone attribute as the same number in any format', async () => {
    const { callVariable } = await mapVariable('work_phone');

    expect(await poppedIds({ callVariables: { [callVariable]: '(415) 555-0177' } })).toEqual(idsOf(sharedSouth));
    expect(await poppedIds({ callVariables: { [callVariable]: 4155550177 } })).toEqual(idsOf(sharedSouth));
  });

  it('pops nothing, and does not fall back to the ANI, when a variable cannot match its attribute', async () => {
    const { callVariable } = await mapVariable('customer_id');

    const res = await lookup({ ani: '+14155550100', callVariables: { [callVariable]: 'abc' } }).expect(200);

    expect(res.body).toEqual({
      contacts: [],
      matchedOn: [{ key: 'customer_id', value: 'abc', source: 'callVariable' }],
    });
  });
});

describe('screen pop with several mappings', () => {
  it('combines the conditions of every variable present with AND', async () => {
    const account = await mapVariable('account');
    const region = await mapVariable('region');

    const res = await lookup({
      callVariables: { [account.callVariable]: 'shared', [region.callVariable]: 'sud' },
    }).expect(200);

    expect(res.body).toEqual({
      contacts: [sharedSouth],
      matchedOn: [
        { key: 'account', value: 'shared', source: 'callVariable' },
        { key: 'region', value: 'sud', source: 'callVariable' },
      ],
    });
    expect(
      await poppedIds({ callVariables: { [account.callVariable]: '1234', [region.callVariable]: 'South' } }),
    ).toEqual([]);
  });

  it('ignores a mapping whose variable is absent, empty or blank in the call', async () => {
    const account = await mapVariable('account');
    const region = await mapVariable('region');

    expect(await poppedIds({ callVariables: { [account.callVariable]: '123' } })).toEqual(idsOf(account123));
    expect(await poppedIds({ callVariables: { [account.callVariable]: '123', [region.callVariable]: '' } })).toEqual(
      idsOf(account123),
    );
    expect(await poppedIds({ callVariables: { [account.callVariable]: '123', [region.callVariable]: '  ' } })).toEqual(
      idsOf(account123),
    );
  });

  it('ignores a mapping whose variable is absent even when it is named like an object property', async () => {
    const { id } = await mapVariable('account', 'constructor');
    try {
      const res = await lookup({ ani: '+14155550100' }).expect(200);

      expect(res.body).toEqual({
        contacts: [account123],
        matchedOn: [{ key: 'phone', value: '+14155550100', source: 'ani' }],
      });
    } finally {
      await t.http.delete(`/mapping/${id}`).expect(200);
    }
  });

  it('matches one variable mapped to two attributes against both', async () => {
    const { callVariable } = await mapVariable('account');
    await mapVariable('region', callVariable);
    const both = await createContact(t, { first_name: 'Fay', account: 'Ost', region: 'ost' });

    const res = await lookup({ callVariables: { [callVariable]: 'OST' } }).expect(200);

    expect(res.body).toEqual({
      contacts: [both],
      matchedOn: [
        { key: 'account', value: 'OST', source: 'callVariable' },
        { key: 'region', value: 'OST', source: 'callVariable' },
      ],
    });
    expect(await poppedIds({ callVariables: { [callVariable]: 'north' } })).toEqual([]);
    expect(await poppedIds({ callVariables: { [callVariable]: '123' } })).toEqual([]);
  });
});

describe('screen pop by ANI', () => {
  it('matches the ANI against every phone attribute when no mapping applies', async () => {
    const res = await lookup({ ani: '+14155550100', callVariables: { unmappedVariable: '1234' } }).expect(200);

    expect(res.body).toEqual({
      contacts: [account123],
      matchedOn: [{ key: 'phone', value: '+14155550100', source: 'ani' }],
    });
  });

  it.each(['+1 (415) 555-0100', '+14155550100', '415-555-0100', '(415) 555 0100', '1-415-555-0100', '0014155550100'])(
    'finds the caller from the ANI %j',
    async (ani) => {
      expect(await poppedIds({ ani })).toEqual(idsOf(account123));
    },
  );

  it('finds an international caller from the ANI with or without +', async () => {
    expect(await poppedIds({ ani: '+44 20 7946 0958' })).toEqual(idsOf(school));
    expect(await poppedIds({ ani: '00442079460958' })).toEqual(idsOf(school));
  });

  it('finds an international caller from GET ?ani=+44… with the + not URL-encoded (read as a space)', async () => {
    const res = await t.http.get('/contacts/lookup?ani=+442079460958').expect(200);

    expect(res.body.contacts.map((contact: Contact) => contact._id)).toEqual(idsOf(school));
  });

  it('pops several contacts sharing a number, in any phone attribute', async () => {
    expect(await poppedIds({ ani: '415 555 0177' })).toEqual(idsOf(sharedNorth, sharedSouth));
  });

  it('pops nothing for a different number', async () => {
    const res = await lookup({ ani: '+14155550111' }).expect(200);

    expect(res.body).toEqual({ contacts: [], matchedOn: [{ key: 'phone', value: '+14155550111', source: 'ani' }] });
  });

  it.each(['anonymous', 'restricted', 'Unknown', '', '   ', '12', '+'])(
    'pops nothing for the ANI %j, which is not a phone number',
    async (ani) => {
      const res = await lookup({ ani }).expect(200);

      expect(res.body).toEqual({ contacts: [], matchedOn: [] });
    },
  );

  it('pops nothing without ANI or call variables', async () => {
    await lookup({}).expect(200, { contacts: [], matchedOn: [] });
  });
});

describe('the limit of screen pop', () => {
  it('returns at most limit contacts', async () => {
    const res = await lookup({ ani: '+14155550177' }, '?limit=1').expect(200);

    expect(res.body.contacts).toHaveLength(1);
    await lookup({ ani: '+14155550177' }, '?limit=0').expect(400);
  });
});

describe('POST /contacts/lookup input', () => {
  it.each([
    ['an operator object as a variable value', { callVariables: { accountNo: { $ne: null } } }],
    ['an array as a variable value', { callVariables: { accountNo: ['1', '2'] } }],
    ['an operator object as ANI', { ani: { $ne: null } }],
    ['an unknown field', { ani: '+14155550100', extra: 1 }],
    ['call variables as an array', { callVariables: ['123'] }],
    ['an array body', [{ ani: '+14155550100' }]],
    ['a string body', '+14155550100'],
  ])('refuses %s with 400', async (_case, body) => {
    const res = await lookup(body).expect(400);

    expect(res.body).toMatchObject({ status: 400, type: expect.stringMatching(/^urn:cim:problem:/) });
    expect(res.body.contacts).toBeUndefined();
  });
});

describe('GET /contacts/lookup', () => {
  it('treats every query parameter but ani and limit as a call variable', async () => {
    await mapVariable('account', 'user.cim.accountNo');

    const res = await t.http.get('/contacts/lookup?ani=%2B14155550101&user.cim.accountNo=123&other=x').expect(200);

    expect(res.body).toEqual({
      contacts: [account123],
      matchedOn: [{ key: 'account', value: '123', source: 'callVariable' }],
    });
  });

  it('falls back to the ANI when no mapped variable is in the query', async () => {
    const res = await t.http.get('/contacts/lookup').query({ ani: '(415) 555-0177', limit: '1' }).expect(200);

    expect(res.body.contacts).toHaveLength(1);
    expect(res.body.matchedOn).toEqual([{ key: 'phone', value: '+14155550177', source: 'ani' }]);
  });

  it('pops nothing for an anonymous caller', async () => {
    await t.http.get('/contacts/lookup?ani=anonymous').expect(200, { contacts: [], matchedOn: [] });
  });

  it('refuses a repeated parameter with 400', async () => {
    await t.http.get('/contacts/lookup?ani=1&ani=2').expect(400);
    await t.http.get('/contacts/lookup?accountNo=1&accountNo=2').expect(400);
  });
});

describe('POST /contacts/lookup with a null call variable', () => {
  it('treats the variable as absent and falls back to the ANI', async () => {
    const { callVariable } = await mapVariable('account');

    const res = await lookup({ ani: '+14155550100', callVariables: { [callVariable]: null } }).expect(200);

    expect(res.body.contacts.map((contact: Contact) => contact._id)).toEqual([account123._id]);
    expect(res.body.matchedOn).toEqual([{ key: 'phone', value: '+14155550100', source: 'ani' }]);
  });
});

describe('the screen-pop hot path', () => {
  const watched = new Set(['contacts', 'call_variable_mappings', 'attribute_definitions']);

  /** The driver operations on contacts, mappings and definitions of three lookups (by a mapped variable, by ANI). */
  async function operationsOfLookups(app: TestApp): Promise<string[]> {
    // Once the start-up pass over stored contacts is over, only the lookups read them.
    while ((await app.http.get('/ready').expect(200)).body.searchFields.state !== 'done') {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { callVariable } = await mapVariable('account');
    const pop = (body: unknown) =>
      app.http.post('/contacts/lookup').set('Content-Type', 'application/json').send(JSON.stringify(body));
    await pop({ callVariables: { [callVariable]: '123' } }).expect(200);
    const operations: string[] = [];
    app.db.connection.set('debug', (collection: string, method: string) => {
      if (watched.has(collection)) operations.push(`${collection}.${method}`);
    });
    try {
      await pop({ callVariables: { [callVariable]: '123' } }).expect(200);
      await pop({ ani: '+14155550100' }).expect(200);
      await app.http.get(`/contacts/lookup?${callVariable}=123`).expect(200);
    } finally {
      app.db.connection.set('debug', false);
    }
    return operations;
  }

  it('answers each lookup with one query on contacts, never reading mappings or definitions', async () => {
    const driver = await startTestApp({ dbName: t.dbName, withoutEnginePostgres: true });
    try {
      expect(await operationsOfLookups(driver)).toEqual(['contacts.find', 'contacts.find', 'contacts.find']);
    } finally {
      await driver.close({ keepDatabase: true });
    }
  });

  onFerretDbTable('on FerretDB reads the contacts from its table: nothing through the driver', async () => {
    expect(await operationsOfLookups(t)).toEqual([]);
  });
});
