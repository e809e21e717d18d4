import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { CIM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
});
afterAll(() => t.close());

const receiverUrl = 'http://127.0.0.1:9/events';

describe('webhook subscriptions', () => {
  it('shows the secret only when created or rotated, and records changes in the audit trail without it', async () => {
    const created = (
      await t.http
        .post('/webhooks')
        .send({ url: receiverUrl, events: ['contact.created'], description: 'CRM' })
        .expect(200)
    ).body;
    const updated = (
      await t.http
        .put(`/webhooks/${created.id}`)
        .send({ events: ['*'], description: null })
        .expect(200)
    ).body;
    const listed = (await t.http.get('/webhooks').expect(200)).body;
    const rotated = (await t.http.post(`/webhooks/${created.id}/rotate-secret`).expect(200)).body;
    const deleted = (await t.http.delete(`/webhooks/${created.id}`).expect(200)).body;
    const audit = (await t.http.get('/audit?limit=20').expect(200)).body as { resource: string; action: string }[];

    expect(created).toMatchObject({ url: receiverUrl, events: ['contact.created'], active: true, description: 'CRM' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(updated).toEqual({
      ...created,
      secret: undefined,
      events: ['*'],
      description: undefined,
      updatedAt: updated.updatedAt,
    });
    expect(JSON.stringify([updated, listed, deleted])).not.toContain(created.secret);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(audit.filter((entry) => entry.resource === 'webhooks').map((entry) => entry.action)).toEqual([
      'delete',
      'update',
      'update',
      'create',
    ]);
    expect(JSON.stringify(audit)).not.toContain('whsec_');
    await t.http.get(`/webhooks/${created.id}`).expect(404);
  });

  it.each([
    ['http to a host not allowed', 'http://example.com/hook'],
    ['an internal address', 'https://10.0.0.1/hook'],
    ['the cloud metadata address', 'https://169.254.169.254/latest'],
    ['loopback by name', 'https://localhost/hook'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hook'],
    ['credentials in the URL', 'http://user:secret@127.0.0.1/hook'],
    ['no URL at all', 'not a url'],
    ['a host that does not resolve', 'https://no-such-host.invalid/hook'],
  ])('refuses %s with 400 and stores nothing', async (_case, url) => {
    const res = await t.http.post('/webhooks').send({ url, events: ['*'] });

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: expect.stringMatching(/url/) })]);
    expect((await t.http.get('/webhooks').expect(200)).body).toEqual([]);
  });

  it('checks the address again at each delivery: an instance that does not allow the host refuses to call it', async () => {
    const webhook = (
      await t.http
        .post('/webhooks')
        .send({ url: receiverUrl, events: ['contact.created'] })
        .expect(200)
    ).body;
    const strict = await startTestApp({ dbName: t.dbName });
    try {
      await strict.http.post('/saveContact').send({ first_name: 'Rebound' }).expect(200);
      let deliveries: { attempts: { error?: string }[] }[] = [];
      for (let tries = 0; tries < 50 && !deliveries[0]?.attempts.length; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        deliveries = (await strict.http.get(`/webhooks/${webhook.id}/deliveries`).expect(200)).body;
      }
      expect(deliveries[0].attempts[0].error).toMatch(/^refused: must use https/);
    } finally {
      await strict.close({ keepDatabase: true });
      await t.http.delete(`/webhooks/${webhook.id}`).expect(200);
    }
  });

  it('refuses unknown events, an empty list and a repeated event with 400', async () => {
    for (const events of [['contact.exploded'], [], ['*', '*']]) {
      await t.http.post('/webhooks').send({ url: receiverUrl, events }).expect(400);
    }
  });
});
