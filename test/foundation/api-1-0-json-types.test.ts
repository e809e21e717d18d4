import { defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { getCall, newCallId } from '../interactions/interaction-factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// API 1.0 shows these as strings without saying that a number will not do; CTIs and scripts send numbers.
describe('JSON numbers where API 1.0 shows strings', () => {
  it('takes a phone attribute as a number and stores it in E.164', async () => {
    const res = await t.http.post('/saveContact').send({ first_name: 'Num', phone1: 4155550123 }).expect(200);

    expect(res.body.phone1).toBe('+14155550123');
  });

  it('takes varNumber as a number and stores it as digits', async () => {
    const attribute = await defineAttribute(t, { key: uniqueKey('acct'), type: 'string' });
    const mapping = { callVariable: `callVariable${Date.now()}`, varNumber: 3, callVar: 'Account', key: attribute.key };

    const res = await t.http.post('/mapping').send(mapping).expect(200);

    expect(res.body).toMatchObject({ varNumber: '3' });
    expect((await t.http.get('/mapping').expect(200)).body).toContainEqual(res.body);
  });

  it('takes leg fields and the ANI as numbers and stores them as the strings API 1.0 shows', async () => {
    const callId = newCallId();
    const interaction = { type: 'agent', start_time: '2024-05-01T09:30:00Z', call_duration: 38, agentId: 7 };

    const res = await t.http
      .post(`/interactions/updateOrSaveInteractionTree/${callId}`)
      .send({ interaction, ani: 4155550100 })
      .expect(200);

    expect(res.body).toMatchObject({ call_duration: '38', agentId: '7' });
    const call = await getCall(t, callId).expect(200);
    expect(call.body).toMatchObject({ phone_number: '4155550100', interactions: [{ call_duration: '38' }] });
  });

  it('still refuses values that mean nothing', async () => {
    await t.http.post('/saveContact').send({ first_name: 'Num', phone1: 12 }).expect(400);
    await t.http
      .post(`/interactions/updateOrSaveInteractionTree/${newCallId()}`)
      .send({ interaction: { type: 'IVR', start_time: 'string' }, ani: '4155550100' })
      .expect(400);
    const attribute = await defineAttribute(t, { key: uniqueKey('acct'), type: 'string' });
    await t.http.post('/mapping').send({ callVariable: 'cv', varNumber: -1, key: attribute.key }).expect(400);
  });
});
