import { startTestApp, type TestApp } from '../support/test-app';
import { endedFields, getCall, newCallId, postLeg, startedLeg } from './interaction-factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('POST /interactions/updateOrSaveInteractionTree/{call_Id}', () => {
  it('creates the tree on the first post of a call and returns the stored leg', async () => {
    const callId = newCallId();
    const leg = startedLeg({ ivr_trail: 'menu>1>2' });

    const res = await postLeg(t, callId, leg, { ani: '+1 (415) 555-0100', call_Id: callId }).expect(200);

    expect(res.body).toEqual(leg);
    const tree = await getCall(t, callId).expect(200);
    expect(tree.body).toEqual({ call_Id: callId, phone_number: '+1 (415) 555-0100', interactions: [leg] });
  });

  it('returns start_time as ISO 8601 when it is posted as epoch milliseconds', async () => {
    const callId = newCallId();
    const millis = Date.parse('2024-05-01T09:30:00.250Z');

    const asNumber = await postLeg(t, callId, startedLeg({ start_time: millis })).expect(200);
    const asDigits = await postLeg(t, callId, startedLeg({ start_time: String(millis), ...endedFields })).expect(200);

    expect(asNumber.body.start_time).toBe('2024-05-01T09:30:00.250Z');
    expect(asDigits.body).toMatchObject({ start_time: '2024-05-01T09:30:00.250Z', ...endedFields });
    expect((await getCall(t, callId)).body.interactions).toHaveLength(1);
  });

  it('reads a date-time with an offset as the same instant in UTC', async () => {
    const callId = newCallId();
    await postLeg(t, callId, startedLeg({ start_time: '2024-05-01T11:30:00+02:00' })).expect(200);

    const res = await postLeg(t, callId, startedLeg({ start_time: '2024-05-01T09:30:00Z', ...endedFields }));

    expect(res.body).toMatchObject({ start_time: '2024-05-01T09:30:00.000Z', call_duration: '184' });
    expect((await getCall(t, callId)).body.interactions).toHaveLength(1);
  });

  it('adds a leg that differs in call_id, type, agentId or start_time', async () => {
    const callId = newCallId();
    const ivr = startedLeg({ type: 'IVR', agentId: undefined, start_time: '2024-05-01T09:29:00.000Z' });
    const first = startedLeg();
    const otherAgent = startedLeg({ agentId: 'agent-8' });
    const consult = startedLeg({ call_id: 'cti-2', type: 'consult' });
    const later = startedLeg({ start_time: '2024-05-01T09:40:00.000Z' });

    for (const leg of [first, later, consult, ivr, otherAgent]) await postLeg(t, callId, leg).expect(200);

    const tree = await getCall(t, callId).expect(200);
    expect(tree.body.interactions).toEqual([ivr, first, consult, otherAgent, later].map(withoutUndefined));
  });

  it('merges the end post of a leg into its start post, keeping fields the end post leaves out', async () => {
    const callId = newCallId();
    const started = startedLeg({ ivr_trail: 'menu>2' });
    await postLeg(t, callId, started).expect(200);

    const ended = {
      type: 'agent',
      agentId: 'agent-7',
      start_time: started.start_time,
      call_id: 'cti-1',
      ...endedFields,
    };
    const res = await postLeg(t, callId, ended).expect(200);

    expect(res.body).toEqual({ ...started, ...endedFields });
    const tree = await getCall(t, callId).expect(200);
    expect(tree.body.interactions).toEqual([{ ...started, ...endedFields }]);
  });

  it('changes nothing when a post is retried identically', async () => {
    const callId = newCallId();
    const leg = startedLeg(endedFields);
    const first = await postLeg(t, callId, leg).expect(200);
    const before = await getCall(t, callId).expect(200);

    const retry = await postLeg(t, callId, leg).expect(200);

    expect(retry.body).toEqual(first.body);
    expect((await getCall(t, callId)).body).toEqual(before.body);
  });

  it('keeps the phone number of the first post and does not need ani afterwards', async () => {
    const callId = newCallId();
    await postLeg(t, callId, startedLeg(), { ani: '4155550100' }).expect(200);

    await postLeg(t, callId, startedLeg({ type: 'transfer' }), { ani: '+442071234567' }).expect(200);
    await t.http
      .post(`/interactions/updateOrSaveInteractionTree/${callId}`)
      .send({ interaction: startedLeg({ type: 'consult' }) })
      .expect(200);

    const tree = await getCall(t, callId).expect(200);
    expect(tree.body).toMatchObject({ phone_number: '4155550100' });
    expect(tree.body.interactions).toHaveLength(3);
  });

  it('accepts a caller id that is not a phone number', async () => {
    const callId = newCallId();
    await postLeg(t, callId, startedLeg(), { ani: 'anonymous' }).expect(200);

    expect((await getCall(t, callId)).body).toMatchObject({ call_Id: callId, phone_number: 'anonymous' });
  });

  it('keeps internal fields out of its answers', async () => {
    const callId = newCallId();
    const res = await postLeg(t, callId, startedLeg()).expect(200);
    const tree = await getCall(t, callId).expect(200);

    expect(JSON.stringify(res.body)).not.toMatch(/"(addedAt|_id|__v)"/);
    expect(Object.keys(tree.body).sort()).toEqual(['call_Id', 'interactions', 'phone_number']);
    expect(JSON.stringify(tree.body)).not.toMatch(/"(addedAt|legs|legCount|phoneKey|startedAt|_id|__v)"/);
  });
});

function withoutUndefined(leg: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(leg).filter(([, value]) => value !== undefined));
}
