import { setTimeout as sleep } from 'node:timers/promises';
import { createContact, defineAttribute, uniqueKey, uniquePhone } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let a: TestApp;
let b: TestApp;
let accountHolder: { _id: string };
let caller: { _id: string };
let callerPhone: string;

beforeAll(async () => {
  a = await startTestApp();
  b = await startTestApp({ dbName: a.dbName });
  await defineAttribute(a, { key: 'account', type: 'string' });
  await defineAttribute(a, { key: 'region', type: 'string' });
  accountHolder = await createContact(a, { first_name: 'Ada', account: 'ACC-9', region: 'North' });
  callerPhone = uniquePhone();
  caller = await createContact(a, { first_name: 'Bob', account: 'ACC-10', region: 'North', phone1: callerPhone });
  const schemaOnB = await eventually(
    async () => (await b.http.get('/getSchema').expect(200)).body as { key: string }[],
    (schema) => schema.some((attribute) => attribute.key === 'region'),
  );
  expect(schemaOnB.map((attribute) => attribute.key)).toEqual(expect.arrayContaining(['account', 'region']));
});
afterAll(async () => {
  await b.close({ keepDatabase: true });
  await a.close();
});

/** Polls every 50 ms until accept() holds or one second has passed, and returns the last value seen. */
async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 1_000;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() >= deadline) return value;
    await sleep(50);
  }
}

/** The ids B pops for a call from the caller's phone carrying `callVariable` = ACC-9. */
async function poppedOnB(callVariable: string): Promise<string[]> {
  const res = await b.http
    .post('/contacts/lookup')
    .send({ ani: callerPhone, callVariables: { [callVariable]: 'ACC-9' } })
    .expect(200);
  return (res.body.contacts as { _id: string }[]).map((contact) => contact._id);
}

/** Creates a mapping on A and waits (at most one second) until B pops by it. */
async function mapOnAUntilSeenOnB(callVariable: string): Promise<{ _id: string }> {
  const created = await a.http.post('/mapping').send({ callVariable, key: 'account' }).expect(200);
  expect(await eventually(() => poppedOnB(callVariable), sameIds([accountHolder._id]))).toEqual([accountHolder._id]);
  return created.body;
}

const sameIds = (expected: string[]) => (ids: string[]) => JSON.stringify(ids) === JSON.stringify(expected);

describe('a mapping change on one instance', () => {
  it('takes effect for screen pop on another instance within one second of being created', async () => {
    expect(await poppedOnB('accountNo')).toEqual([caller._id]);

    const created = await a.http.post('/mapping').send({ callVariable: 'accountNo', key: 'account' }).expect(200);

    expect(await eventually(() => poppedOnB('accountNo'), sameIds([accountHolder._id]))).toEqual([accountHolder._id]);
    expect((await b.http.get('/mapping').expect(200)).body).toContainEqual(created.body);
  });

  it('takes effect on another instance within one second of being updated', async () => {
    const mapping = await mapOnAUntilSeenOnB('customerAccount');

    await a.http.put(`/mapping/${mapping._id}`).send({ callVariable: 'customerAccount', key: 'region' }).expect(200);

    expect(await eventually(() => poppedOnB('customerAccount'), sameIds([]))).toEqual([]);
  });

  it('stops applying on another instance within one second of being deleted', async () => {
    const mapping = await mapOnAUntilSeenOnB('user.cim.accountNo');

    await a.http.delete(`/mapping/${mapping._id}`).expect(200);

    expect(await eventually(() => poppedOnB('user.cim.accountNo'), sameIds([caller._id]))).toEqual([caller._id]);
    expect((await b.http.get('/mapping').expect(200)).body).not.toContainEqual(mapping);
  });
});

describe('a mapping created on one instance while another deletes its attribute', () => {
  it('never outlives the attribute: one of the two requests is refused', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 12; round++) {
      const attribute = await defineAttribute(a, { key: uniqueKey('race'), type: 'string' });
      const [mapped, deleted] = await Promise.all([
        b.http.post('/mapping').send({ callVariable: `var_${attribute.key}`, key: attribute.key }),
        a.http.delete(`/schema/${attribute._id}`),
      ]);
      outcomes.push(`${mapped.status}/${deleted.status}`);
      const mappings = (await a.http.get('/mapping').expect(200)).body as { key: string }[];
      const schema = (await a.http.get('/getSchema').expect(200)).body as { key: string }[];
      const mappedKeys = mappings.map((mapping) => mapping.key);
      const definedKeys = schema.map((definition) => definition.key);
      expect(mappedKeys.filter((key) => !definedKeys.includes(key))).toEqual([]);
    }
    expect(outcomes.filter((outcome) => outcome !== '200/409' && outcome !== '400/200')).toEqual([]);
  });
});
