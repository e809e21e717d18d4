import { defineAttribute } from '../support/factories';
import { startTestApp, uniqueDbName, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const systemAttribute = {
  _id: expect.stringMatching(/^[0-9a-f]{24}$/),
  required: false,
  unique: false,
  system: true,
  createdAt: expect.any(String),
  updatedAt: expect.any(String),
};

describe('GET /getSchema', () => {
  it('lists the seeded system attributes of a fresh database in creation order', async () => {
    const res = await t.http.get('/getSchema').expect(200);

    expect(res.body).toEqual([
      { ...systemAttribute, key: 'first_name', label: 'First name', type: 'string' },
      { ...systemAttribute, key: 'last_name', label: 'Last name', type: 'string' },
      { ...systemAttribute, key: 'phone1', label: 'Phone', type: 'phone' },
    ]);
  });

  it('lists added attributes after the system ones, in the order they were created', async () => {
    await defineAttribute(t, { key: 'email', type: 'email' });
    await defineAttribute(t, { key: 'tier', type: 'enum', options: ['gold', 'silver'] });

    const res = await t.http.get('/getSchema').expect(200);

    expect(res.body.map((definition: { key: string }) => definition.key)).toEqual([
      'first_name',
      'last_name',
      'phone1',
      'email',
      'tier',
    ]);
    expect(res.body[4]).toMatchObject({ key: 'tier', type: 'enum', options: ['gold', 'silver'], system: false });
  });

  it('seeds the system attributes once when several instances start on a fresh database at once', async () => {
    const dbName = uniqueDbName();
    const instances = await Promise.all([1, 2, 3, 4, 5].map(() => startTestApp({ dbName })));
    try {
      const res = await instances[0].http.get('/getSchema').expect(200);

      expect(res.body.map((definition: { key: string }) => definition.key)).toEqual([
        'first_name',
        'last_name',
        'phone1',
      ]);
    } finally {
      await Promise.all(instances.map((instance, index) => instance.close({ keepDatabase: index > 0 })));
    }
  });
});
