import { startTestApp, type TestApp } from '../support/test-app';
import { setAt } from './body-builders';
import { loadContract, type Contract } from './contract';
import { endpoints, seedDatabase, urlOf, type Endpoint, type Seed } from './endpoints';
import { createChangeDetector, expectEveryRefused, type ChangeDetector, type DerivedCase } from './refusals';

// Contacts take null as "no value", which the document's ContactInput does not say; everything else refuses it.
const nullMeansNoValue = new Set(['post /saveContact', 'put /contacts/{contact_id}']);
const notAnObject: [string, unknown][] = [
  ['a string', 'x'],
  ['a number', 42],
  ['true', true],
  ['an array', [{}]],
  ['null', null],
];

let t: TestApp;
let seed: Seed;
let changes: ChangeDetector;
let contract: Contract;
beforeAll(async () => {
  t = await startTestApp({ env: { CIM_RATE_LIMIT_MAX: '0', CIM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  seed = await seedDatabase(t);
  contract = await loadContract(t);
  changes = createChangeDetector(t);
  await changes.reset();
});
afterAll(() => t.close());

function bodyCase(endpoint: Endpoint, name: string, body: unknown): DerivedCase {
  return {
    name,
    status: 400,
    request: { url: urlOf(endpoint, seed), body: JSON.stringify(body), contentType: 'application/json' },
  };
}

describe.each(endpoints.filter((endpoint) => endpoint.body))('$method $path', (endpoint) => {
  it('refuses a body that is not a JSON object', async () => {
    const cases = notAnObject.map(([name, body]) => bodyCase(endpoint, `the body as ${name}`, body));
    await expectEveryRefused(t, changes, endpoint, cases);
  });

  it('refuses a value of a type its schema does not take, in every field', async () => {
    const schema = contract.operation(endpoint.method, endpoint.path).body!;
    const base = endpoint.body!(seed);
    const nullAllowed = nullMeansNoValue.has(`${endpoint.method} ${endpoint.path}`);
    const cases = contract
      .wrongTypes(schema, base, nullAllowed)
      .map(({ name, path, value }) => bodyCase(endpoint, name, setAt(endpoint.body!(seed), path, value)));
    await expectEveryRefused(t, changes, endpoint, cases);
  });

  it('leaves the stored data as it was', () => changes.expectUnchanged());
});
