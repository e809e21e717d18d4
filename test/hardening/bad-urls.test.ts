import { startTestApp, type TestApp } from '../support/test-app';
import { invalidQueryValues, loadContract, type Contract } from './contract';
import { endpoints, seedDatabase, urlOf, type Endpoint, type Seed } from './endpoints';
import {
  appCollections,
  createChangeDetector,
  expectEveryRefused,
  expectRefused,
  send,
  type ChangeDetector,
} from './refusals';

const malformedIds = [
  '123',
  'zzzzzzzzzzzzzzzzzzzzzzzz',
  '0123456789abcdef012345678',
  '%00',
  '0123456789abcdef0123456%00',
];
const hostileSegments = ['%00', 'a%00b', '%ff', '%c0%af', '%ed%a0%80', '%', 'x'.repeat(2_000)];
const hostileQueries: { name: string; query: string; takenBy?: string }[] = [
  { name: 'limit[$gt]=0', query: 'limit[$gt]=0' },
  { name: '$where=1', query: '%24where=1' },
  { name: 'an operator as a value', query: 'limit=%7B%22%24gt%22%3A0%7D' },
  // Call variables are named like user.cim.accountNo: the GET screen pop takes any other parameter as one.
  { name: 'a dotted key a.b=1', query: 'a.b=1', takenBy: 'get /contacts/lookup' },
  { name: 'a parameter the endpoint does not declare', query: 'unknown=1', takenBy: 'get /contacts/lookup' },
  { name: 'a __proto__ key', query: '__proto__=1' },
  { name: 'a constructor key', query: 'constructor=1' },
  { name: 'a prototype key', query: 'prototype=1' },
  { name: 'a null character in a value', query: 'limit=1%00' },
  { name: 'a null character in a key', query: 'a%00b=1' },
  { name: 'invalid UTF-8 in a value', query: 'limit=%ff' },
  { name: 'invalid UTF-8 in a key', query: '%ff=1' },
  { name: 'a lone % sign', query: 'limit=5%' },
];

let t: TestApp;
let seed: Seed;
let changes: ChangeDetector;
let contract: Contract;
let collections: string[];
beforeAll(async () => {
  t = await startTestApp({ env: { CIM_RATE_LIMIT_MAX: '0', CIM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  seed = await seedDatabase(t);
  contract = await loadContract(t);
  changes = createChangeDetector(t);
  collections = Object.keys(await changes.reset());
});
afterAll(() => t.close());

const bodyOf = (endpoint: Endpoint) =>
  endpoint.body ? { body: JSON.stringify(endpoint.body(seed)), contentType: 'application/json' } : {};
const withQuery = (endpoint: Endpoint, extra: string) => {
  const base = new URLSearchParams(endpoint.query?.(seed)).toString();
  return { url: urlOf(endpoint, seed, { query: base ? `${base}&${extra}` : extra }), ...bodyOf(endpoint) };
};
const withParams = (endpoint: Endpoint, names: string[], value: string) => {
  const params = Object.fromEntries(names.map((name) => [name, value]));
  return { url: urlOf(endpoint, seed, { params }), ...bodyOf(endpoint) };
};

describe('the endpoint table', () => {
  it('holds every route that takes path parameters, a query or a body', () => {
    // A route taking a file (POST /imports: CSV or NDJSON, not JSON) is hardened by test/imports instead.
    const takingInput = t.cim.routes.filter((spec) => (spec.params || spec.query || spec.body) && !spec.rawBody);
    const table = endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    expect(table.sort()).toEqual(takingInput.map((spec) => `${spec.method} ${spec.path}`).sort());
  });

  it('is checked against a snapshot of every collection the app stores data in', () => {
    expect(collections).toEqual(expect.arrayContaining(appCollections));
  });
});

describe.each(endpoints)('$method $path', (endpoint) => {
  const route = `${endpoint.method} ${endpoint.path}`;
  const paramNames = Object.keys(endpoint.params?.({} as Seed) ?? {});

  if (endpoint.idParams) {
    it.each(malformedIds)('refuses the malformed id %s with 400', async (id) => {
      await expectRefused(t, changes, endpoint, withParams(endpoint, endpoint.idParams!, id), 400);
    });
  }

  if (paramNames.length) {
    it.each(hostileSegments)('refuses the path segment %s with 400', async (segment) => {
      await expectRefused(t, changes, endpoint, withParams(endpoint, paramNames, segment), 400);
    });
  }

  it.each(hostileQueries.filter(({ takenBy }) => takenBy !== route))(
    'refuses $name in the query with 400',
    async ({ query }) => {
      await expectRefused(t, changes, endpoint, withQuery(endpoint, query), 400);
    },
  );

  if (endpoint.query) {
    it('refuses each declared query parameter given twice or with a value its schema does not allow', async () => {
      const valid = endpoint.query!(seed);
      const cases = contract
        .operation(endpoint.method, endpoint.path)
        .parameters.filter((parameter) => parameter.in === 'query')
        .flatMap((parameter) =>
          invalidQueryValues(parameter, valid[parameter.name] ?? 'x').map((value) => {
            const query = new URLSearchParams(Object.entries(valid).filter(([name]) => name !== parameter.name));
            for (const each of [value].flat()) query.append(parameter.name, each);
            return {
              name: `${parameter.name}=${JSON.stringify(value)}`,
              status: 400,
              request: { url: urlOf(endpoint, seed, { query: query.toString() }) },
            };
          }),
        );
      await expectEveryRefused(t, changes, endpoint, cases);
    });
  }

  it('leaves the stored data as it was', () => changes.expectUnchanged());
});

describe('every base request of the table', () => {
  // Last, deletes after the rest: the refusals above mean something only if the unspoilt request succeeds.
  const ordered = [...endpoints].sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
  it.each(ordered)('$method $path is accepted', async (endpoint) => {
    const res = await send(t, endpoint.method, { url: urlOf(endpoint, seed), ...bodyOf(endpoint) });
    const accepted = res.status === 200 || res.status === 202;
    expect({ accepted, status: res.status, body: res.body }).toMatchObject({ accepted: true });
  });
});
