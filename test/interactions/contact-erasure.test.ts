import { createContact, defineAttribute, uniqueKey, uniquePhone } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { getCall, postCall } from './interaction-factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('DELETE /contacts/{id} and the call history', () => {
  it('keeps the calls of a deleted contact', async () => {
    const phone = uniquePhone();
    const contact = await createContact(t, { phone1: phone });
    const callId = await postCall(t, phone, '2024-05-01T10:00:00Z');

    const res = await t.http.delete(`/contacts/${contact._id}`).expect(200);

    expect(res.body).not.toHaveProperty('_erasedInteractions');
    await getCall(t, callId).expect(200);
  });

  it('with erase=true deletes every call of every phone of the contact and says how many', async () => {
    const mobile = uniqueKey('mobile');
    await defineAttribute(t, { key: mobile, label: 'Mobile', type: 'phone' });
    const [office, cell, stranger] = [uniquePhone(), uniquePhone(), uniquePhone()];
    const contact = await createContact(t, { phone1: office, [mobile]: cell });
    const erased = [
      await postCall(t, office, '2024-05-01T10:00:00Z'),
      await postCall(t, office.slice(2), '2024-05-02T10:00:00Z'),
      await postCall(t, cell, '2024-05-03T10:00:00Z'),
    ];
    const kept = await postCall(t, stranger, '2024-05-04T10:00:00Z');

    const res = await t.http.delete(`/contacts/${contact._id}?erase=true`).expect(200);

    expect(res.body).toMatchObject({ _id: contact._id, _erasedInteractions: 3 });
    for (const callId of erased) await getCall(t, callId).expect(404);
    await getCall(t, kept).expect(200);
  });
});
