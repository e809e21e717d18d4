import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Response } from 'supertest';
import type { TestApp } from '../support/test-app';
import type { Endpoint } from './endpoints';

/**
 * Coordination state the app may write while serving any request, and the attempts its webhook dispatcher records
 * in the background; everything else must stay as it was (a refused request publishes no event).
 */
const volatileCollections = new Set(['locks', 'cache_versions', 'webhook_deliveries']);

/** The collections a refused request must leave alone; the snapshot must see them all. */
export const appCollections = [
  'attribute_definitions',
  'audit_entries',
  'call_variable_mappings',
  'contact_unique_values',
  'contacts',
  'idempotency_keys',
  'interactions',
];

export type DatabaseSnapshot = Record<string, unknown[]>;

/** Every document of every collection but the volatile ones, in _id order. */
async function snapshotDatabase(t: TestApp): Promise<DatabaseSnapshot> {
  const db = t.db.connection.db!;
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  const names = collections.map(({ name }) => name).filter((name) => !volatileCollections.has(name));
  const contents = await Promise.all(
    names.sort().map(async (name) => [name, sortById(await db.collection(name).find().toArray())] as const),
  );
  return Object.fromEntries(contents);
}

function sortById<T extends { _id: unknown }>(documents: T[]): T[] {
  return documents.sort((a, b) => (String(a._id) < String(b._id) ? -1 : String(a._id) > String(b._id) ? 1 : 0));
}

/** A request as raw bytes, so malformed bodies reach the server exactly as written. */
export interface RawRequest {
  url: string;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export function send(t: TestApp, method: Endpoint['method'], request: RawRequest) {
  // Only POST /saveContact reads it: a refused create must not leave its idempotency record either.
  let call = t.http[method](request.url).set('Idempotency-Key', `hardening-${randomBytes(6).toString('hex')}`);
  for (const [name, value] of Object.entries(request.headers ?? {})) call = call.set(name, value);
  if (request.body === undefined) return call;
  if (request.contentType) call = call.set('Content-Type', request.contentType);
  return call.serialize((body) => body).send(request.body as string);
}

/** At most 50 field errors of at most 200 characters, and the detail: a problem never echoes a huge input back. */
const maxProblemBytes = 32 * 1024;

/** The answer a refused request gets: the expected 4xx as small problem details naming a problem type. */
function expectProblem(res: Response, status: number): void {
  const problem = { status: res.status, contentType: res.headers['content-type'], body: res.body };
  expect(problem).toMatchObject({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
    body: { status, type: expect.stringMatching(/^urn:cim:problem:[a-z-]+$/) },
  });
  expect(Buffer.byteLength(res.text)).toBeLessThan(maxProblemBytes);
}

export type ChangeDetector = ReturnType<typeof createChangeDetector>;

/**
 * Compares stored data with the state at the last check; after a failure the baseline moves on, so one bad case
 * does not fail every later one.
 */
export function createChangeDetector(t: TestApp) {
  let baseline: DatabaseSnapshot = {};
  return {
    async reset(): Promise<DatabaseSnapshot> {
      baseline = await snapshotDatabase(t);
      return baseline;
    },
    async expectUnchanged(): Promise<void> {
      const now = await snapshotDatabase(t);
      const before = baseline;
      baseline = now;
      expect(now).toEqual(before);
    },
    async hasChanged(): Promise<boolean> {
      const now = await snapshotDatabase(t);
      const before = baseline;
      baseline = now;
      return !isDeepStrictEqual(now, before);
    },
  };
}

/** Endpoints whose permission lets them change data; the others are checked once after their batch. */
function writes(t: TestApp, endpoint: Endpoint): boolean {
  const spec = t.cim.routes.find((route) => route.method === endpoint.method && route.path === endpoint.path);
  if (!spec) throw new Error(`${endpoint.method} ${endpoint.path} is not a route of the app`);
  return !/:(read|search)$/.test(spec.permission);
}

/** Sends the request and asserts the refusal; for an endpoint that writes, also that the database is as it was. */
export async function expectRefused(
  t: TestApp,
  changes: ChangeDetector,
  endpoint: Endpoint,
  request: RawRequest,
  status: number,
): Promise<void> {
  const res = await send(t, endpoint.method, request);
  try {
    expectProblem(res, status);
  } finally {
    if (writes(t, endpoint)) await changes.expectUnchanged();
  }
}

export interface DerivedCase {
  name: string;
  request: RawRequest;
  status: number;
}

/**
 * For cases derived from the served contract at run time (so not known when tests are declared): sends each and
 * lists every one that was not refused as expected or that changed the database, all in one assertion.
 */
export async function expectEveryRefused(
  t: TestApp,
  changes: ChangeDetector,
  endpoint: Endpoint,
  cases: DerivedCase[],
): Promise<void> {
  expect(cases.length).toBeGreaterThan(0);
  const failures: string[] = [];
  for (const { name, request, status } of cases) {
    const res = await send(t, endpoint.method, request);
    const refused =
      res.status === status &&
      res.type === 'application/problem+json' &&
      /^urn:cim:problem:[a-z-]+$/.test(String(res.body?.type)) &&
      Buffer.byteLength(res.text) < maxProblemBytes;
    if (!refused) failures.push(`${name}: ${res.status} ${res.text.slice(0, 300)}`);
    if (writes(t, endpoint) && (await changes.hasChanged())) failures.push(`${name}: changed the database`);
  }
  expect(failures).toEqual([]);
}
