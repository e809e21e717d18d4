import { createContact, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { runImport } from '../imports/import-support';
import { signedBy, startReceiver, type Answer } from './receiver';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { CIM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
});
afterAll(() => t.close());

const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
afterEach(async () => {
  // A webhook of one test must not receive the next one's events.
  for (const webhook of (await t.http.get('/webhooks').expect(200)).body as { id: string }[]) {
    await t.http.delete(`/webhooks/${webhook.id}`).expect(200);
  }
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function subscribe(events: string[] = ['*'], answer?: Answer) {
  const receiver = await startReceiver(answer);
  receivers.push(receiver);
  const res = await t.http.post('/webhooks').send({ url: receiver.url, events }).expect(200);
  return { receiver, webhook: res.body as { id: string; secret: string } };
}

describe('webhook deliveries', () => {
  it('delivers every event type, each signed as Standard Webhooks specify', async () => {
    const { receiver, webhook } = await subscribe();
    const key = uniqueKey('wh');

    const attribute = await defineAttribute(t, { key, type: 'string' });
    const mapping = (await t.http.post('/mapping').send({ callVariable: 'cv1', key }).expect(200)).body;
    const contact = await createContact(t, { [key]: 'A' });
    await t.http
      .put(`/contacts/${contact._id}`)
      .send({ [key]: 'B' })
      .expect(200);
    const other = await createContact(t);
    await t.http
      .post('/contacts/merge')
      .send({ survivorId: contact._id, mergedIds: [other._id] })
      .expect(200);
    await t.http
      .post('/interactions/updateOrSaveInteractionTree/wh-call-1')
      .send({ ani: contact.phone1, interaction: { type: 'IVR', start_time: '2024-05-01T09:30:00Z' } })
      .expect(200);
    const job = await runImport(t, 'first_name\nImported\n');
    await t.http.delete(`/contacts/${contact._id}`).expect(200);
    await t.http.delete(`/mapping/${mapping._id}`).expect(200);

    // An import publishes its end, not one event per row.
    const received = await receiver.waitFor(10);
    const types = received.map((entry) => entry.event.type).sort();
    expect(types).toEqual(
      [
        'schema.changed',
        'mapping.changed',
        'contact.created',
        'contact.updated',
        'contact.created',
        'contact.merged',
        'interaction.leg.saved',
        'import.finished',
        'contact.deleted',
        'mapping.changed',
      ].sort(),
    );
    expect(received.every((entry) => signedBy(webhook.secret, entry))).toBe(true);
    expect(received.every((entry) => /^evt_[0-9a-f]{24}$/.test(String(entry.headers['webhook-id'])))).toBe(true);
    const byType = (type: string) =>
      received.filter((entry) => entry.event.type === type).map((entry) => entry.event.data);
    expect(byType('schema.changed')).toEqual([
      { action: 'created', attribute: expect.objectContaining({ _id: attribute._id, key }) },
    ]);
    expect(byType('contact.updated')).toEqual([
      { contact: expect.objectContaining({ _id: contact._id, [key]: 'B' }), changedKeys: [key] },
    ]);
    expect(byType('contact.merged')).toEqual([
      expect.objectContaining({ contact: expect.objectContaining({ _id: contact._id }), mergedIds: [other._id] }),
    ]);
    expect(byType('interaction.leg.saved')).toEqual([
      { call_Id: 'wh-call-1', ani: contact.phone1, leg: expect.objectContaining({ type: 'IVR' }) },
    ]);
    expect(byType('import.finished')).toEqual([
      { import: expect.objectContaining({ id: job.id, status: 'completed' }) },
    ]);
    expect(byType('contact.deleted')).toEqual([{ contact: expect.objectContaining({ _id: contact._id }) }]);
  });

  it('sends only the events a webhook lists', async () => {
    const { receiver } = await subscribe(['contact.deleted']);
    const contact = await createContact(t);
    await t.http.delete(`/contacts/${contact._id}`).expect(200);

    const [only] = await receiver.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(receiver.received).toHaveLength(1);
    expect(only.event).toMatchObject({ type: 'contact.deleted', data: { contact: { _id: contact._id } } });
  });

  it('retries a receiver that answered 500, and the deliveries log shows both attempts', async () => {
    const { receiver, webhook } = await subscribe(['contact.created'], (index) => ({
      status: index === 0 ? 500 : 200,
    }));
    await createContact(t);

    const [first, second] = await receiver.waitFor(2, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [delivery] = (await t.http.get(`/webhooks/${webhook.id}/deliveries`).expect(200)).body;

    expect(receiver.received).toHaveLength(2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.at - first.at).toBeGreaterThanOrEqual(4_000);
    expect(delivery).toMatchObject({
      type: 'contact.created',
      status: 'delivered',
      attempts: [{ statusCode: 500 }, { statusCode: 200 }],
    });
  }, 30_000);

  it('turns a webhook off when its receiver answers 410 Gone', async () => {
    const { receiver, webhook } = await subscribe(['contact.created'], () => ({ status: 410 }));
    await createContact(t);
    await receiver.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect((await t.http.get(`/webhooks/${webhook.id}`).expect(200)).body).toMatchObject({ active: false });
    const failed = (await t.http.get(`/webhooks/${webhook.id}/deliveries?status=failed`).expect(200)).body;
    expect(failed).toMatchObject([{ status: 'failed', attempts: [{ statusCode: 410 }] }]);
    await createContact(t);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(1);
  });

  it('signs with the old secret beside the new one for a day after a rotation; ping and retry deliver', async () => {
    const { receiver, webhook } = await subscribe(['contact.created']);
    const rotated = (await t.http.post(`/webhooks/${webhook.id}/rotate-secret`).expect(200)).body;

    const ping = (await t.http.post(`/webhooks/${webhook.id}/ping`).expect(202)).body;
    const [pinged] = await receiver.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.http.post(`/webhooks/${webhook.id}/deliveries/${ping.id}/retry`).expect(202);
    const [, again] = await receiver.waitFor(2);

    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(webhook.secret);
    expect(pinged.event).toMatchObject({ type: 'webhook.ping', data: { webhookId: webhook.id } });
    expect(signedBy(rotated.secret, pinged) && signedBy(webhook.secret, pinged)).toBe(true);
    expect(String(pinged.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(again.headers['webhook-id']).toBe(pinged.headers['webhook-id']);
  });

  it('answers writes while the receiver has answered none, and keeps at most 4 attempts in flight to it', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { receiver } = await subscribe(['contact.created'], () => ({ status: 200, after: held }));

    await Promise.all(Array.from({ length: 8 }, () => createContact(t)));
    await receiver.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(receiver.received).toHaveLength(4);
    release();
    await receiver.waitFor(8);
  }, 30_000);
});
