import { startTestApp, type TestApp } from '../support/test-app';
import { endpoints, seedDatabase, urlOf, type Seed } from './endpoints';
import { hostileBodies, toRequest } from './hostile-bodies';
import { createChangeDetector, expectRefused, type ChangeDetector } from './refusals';

let t: TestApp;
let seed: Seed;
let changes: ChangeDetector;
beforeAll(async () => {
  t = await startTestApp({ env: { CIM_RATE_LIMIT_MAX: '0', CIM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  seed = await seedDatabase(t);
  changes = createChangeDetector(t);
  await changes.reset();
});
afterAll(() => t.close());

describe.each(endpoints)('$method $path refuses a hostile body', (endpoint) => {
  const cases = endpoint.body ? hostileBodies : hostileBodies.filter((c) => c.anyEndpoint);
  it.each(cases)('$name → $status', async ({ build, status }) => {
    const base = endpoint.body?.(seed) ?? { note: 'x' };
    await expectRefused(t, changes, endpoint, { url: urlOf(endpoint, seed), ...toRequest(build(base)) }, status);
  });

  it('leaves the stored data as it was', () => changes.expectUnchanged());
});
