import { locksCollection } from '../../src/db/keyed-lock';
import { createContact } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('a resource another instance keeps locked', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t.close());

  it('answers 503 busy with Retry-After once the wait for the lock runs out, and changes nothing', async () => {
    const contact = await createContact(t, { first_name: 'Unchanged' });
    await t.db.connection.collection(locksCollection).insertOne({
      _id: `contact:${contact._id}` as never,
      owner: 'another-instance',
      expiresAt: new Date(Date.now() + 10 * 60_000),
    });

    const res = await t.http.put(`/contacts/${contact._id}`).send({ first_name: 'Changed' });

    expect({ status: res.status, retryAfter: res.headers['retry-after'], body: res.body }).toEqual({
      status: 503,
      retryAfter: '1',
      body: {
        type: 'urn:cim:problem:busy',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The resource is busy; retry shortly.',
      },
    });
    const stored = await t.http.get(`/contacts/${contact._id}`).expect(200);
    expect(stored.body).toMatchObject({ first_name: 'Unchanged' });
  });
});
