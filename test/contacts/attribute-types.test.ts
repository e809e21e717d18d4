import { createContact, defineAttribute } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  for (const type of ['string', 'text', 'number', 'boolean', 'date', 'email', 'url']) {
    await defineAttribute(t, { key: `a_${type}`, type });
  }
  await defineAttribute(t, { key: 'a_phone', type: 'phone' });
  await defineAttribute(t, { key: 'a_enum', type: 'enum', options: ['gold', 'silver'] });
});
afterAll(() => t.close());

const accepted: [type: string, sent: unknown, stored: unknown][] = [
  ['string', 'Hello', 'Hello'],
  ['string', '  padded  ', 'padded'],
  ['string', 's'.repeat(1_000), 's'.repeat(1_000)],
  ['text', 'line one\nline two', 'line one\nline two'],
  ['text', 't'.repeat(10_000), 't'.repeat(10_000)],
  ['number', 42, 42],
  ['number', '42', 42],
  ['number', -3.5, -3.5],
  ['number', ' 1e3 ', 1_000],
  ['number', 0, 0],
  ['boolean', true, true],
  ['boolean', false, false],
  ['boolean', 'true', true],
  ['boolean', 'false', false],
  ['date', '2024-05-01', '2024-05-01T00:00:00.000Z'],
  ['date', '2024-05-01T10:30:00Z', '2024-05-01T10:30:00.000Z'],
  ['date', '2024-05-01T10:30:00.250+02:00', '2024-05-01T08:30:00.250Z'],
  ['email', 'Ann.Lee@Example.COM', 'ann.lee@example.com'],
  ['phone', '(415) 555-0100', '+14155550100'],
  ['phone', '415.555.0101', '+14155550101'],
  ['phone', '+44 20 7946 0958', '+442079460958'],
  ['phone', '0044 20 7946 0959', '+442079460959'],
  ['url', 'https://example.com/path?q=1', 'https://example.com/path?q=1'],
  ['url', 'http://intranet.local', 'http://intranet.local'],
  ['enum', 'gold', 'gold'],
  ['enum', 'Gold', 'gold'],
  ['enum', ' SILVER ', 'silver'],
];

const refused: [type: string, sent: unknown][] = [
  ['string', 's'.repeat(1_001)],
  ['string', 42],
  ['text', 't'.repeat(10_001)],
  ['number', 'abc'],
  ['number', '1,000'],
  ['number', true],
  ['boolean', 'yes'],
  ['boolean', 1],
  ['date', '2024-13-45'],
  ['date', '2023-02-29'],
  ['date', 'yesterday'],
  ['date', 1_714_521_600_000],
  ['email', 'not-an-email'],
  ['email', 'ann@'],
  ['phone', '12'],
  ['phone', 'call me maybe'],
  ['url', 'ftp://x'],
  ['url', 'example.com'],
  ['url', 'javascript:alert(1)'],
  ['enum', 'platinum'],
  ['enum', 'gol'],
];

const types = ['string', 'text', 'number', 'boolean', 'date', 'email', 'phone', 'url', 'enum'];
const structured = types.flatMap((type) => [
  [type, { value: 'x' }],
  [type, ['x']],
  [type, []],
]) as [string, unknown][];

const preview = (value: unknown) => JSON.stringify(value).slice(0, 40);

describe('POST /saveContact attribute types', () => {
  it.each(accepted.map(([type, sent, stored]) => [type, preview(sent), preview(stored), sent, stored]))(
    'stores the %s %s as %s',
    async (type, _sent, _stored, sent, stored) => {
      const key = `a_${type}`;

      const res = await t.http
        .post('/saveContact')
        .send({ first_name: 'Typed', [key]: sent })
        .expect(200);

      expect(res.body).toMatchObject({ first_name: 'Typed', [key]: stored });
      const read = await t.http.get(`/contacts/${res.body._id}`).expect(200);
      expect(read.body).toEqual(res.body);
    },
  );

  it.each([...refused, ...structured].map(([type, sent]) => [type, preview(sent), sent]))(
    'refuses the %s %s with 400 naming the attribute',
    async (type, _sent, sent) => {
      const key = `a_${type}`;

      const res = await t.http
        .post('/saveContact')
        .send({ first_name: 'Typed', [key]: sent })
        .expect(400);

      expect(res.body).toMatchObject({ type: 'urn:cim:problem:validation-failed', status: 400 });
      expect(res.body.errors).toEqual([{ path: key, message: expect.any(String) }]);
    },
  );

  it('reports every invalid value of one contact', async () => {
    const res = await t.http
      .post('/saveContact')
      .send({ first_name: 'Typed', a_number: 'abc', a_email: 'nope', a_enum: 'bronze' })
      .expect(400);

    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'a_email',
      'a_enum',
      'a_number',
    ]);
  });

  it('treats null and blank values as no value', async () => {
    const res = await t.http
      .post('/saveContact')
      .send({ first_name: 'Sparse', a_number: '', a_string: '   ', a_date: null })
      .expect(200);

    expect(res.body).toEqual({
      _id: expect.any(String),
      first_name: 'Sparse',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });
});

describe('PUT /contacts/{contact_id} attribute types', () => {
  it('normalises values the same way as on create', async () => {
    const contact = await createContact(t);

    const res = await t.http
      .put(`/contacts/${contact._id}`)
      .send({ a_number: '7', a_email: 'X@Y.ORG', a_phone: '415 555 0102', a_date: '2024-05-01' })
      .expect(200);

    expect(res.body).toMatchObject({
      a_number: 7,
      a_email: 'x@y.org',
      a_phone: '+14155550102',
      a_date: '2024-05-01T00:00:00.000Z',
    });
  });

  it('refuses an invalid value with 400 and keeps the contact unchanged', async () => {
    const contact = await createContact(t, { a_number: 1 });

    const res = await t.http.put(`/contacts/${contact._id}`).send({ a_number: 'abc', a_boolean: true }).expect(400);

    expect(res.body.errors).toEqual([{ path: 'a_number', message: expect.any(String) }]);
    await t.http.get(`/contacts/${contact._id}`).expect(200, contact);
  });
});
