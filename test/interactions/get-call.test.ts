import { startTestApp, type TestApp } from '../support/test-app';
import { endedFields, getCall, newCallId, postLeg, startedLeg } from './interaction-factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('GET /interactions/call/{call_Id}', () => {
  it('returns the tree of one call with its legs in start_time order', async () => {
    const callId = newCallId();
    const agent = startedLeg({ start_time: '2024-05-01T09:31:00.000Z', ...endedFields });
    const queue = startedLeg({ type: 'queue', agentId: undefined, start_time: '2024-05-01T09:30:30.000Z' });
    const ivr = { type: 'IVR', start_time: '2024-05-01T09:30:00.000Z', ivr_trail: 'welcome>billing' };
    for (const leg of [agent, ivr, queue]) await postLeg(t, callId, leg, { ani: '+1 415 555 0100' }).expect(200);

    const res = await getCall(t, callId).expect(200);

    const { agentId: _none, ...queueLeg } = queue;
    expect(res.body).toEqual({
      call_Id: callId,
      phone_number: '+1 415 555 0100',
      interactions: [ivr, queueLeg, agent],
    });
  });

  it('answers 404 for a call that has no tree', async () => {
    const res = await getCall(t, newCallId()).expect(404);
    expect(res.body).toMatchObject({ type: 'urn:cim:problem:call-not-found', status: 404 });
  });
});
