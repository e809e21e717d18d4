import { startTestApp, type TestApp } from '../support/test-app';
import { getCall, newCallId, postLeg, startedLeg } from './interaction-factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function expectRejected(callId: string, body: unknown, path: string) {
  const res = await t.http
    .post(`/interactions/updateOrSaveInteractionTree/${callId}`)
    .send(body as object)
    .expect(400);
  expect(res.body).toMatchObject({
    type: 'urn:cim:problem:validation-failed',
    status: 400,
    errors: expect.arrayContaining([expect.objectContaining({ path })]),
  });
  await getCall(t, callId).expect(404);
}

const textFields = [
  'type',
  'agentId',
  'call_duration',
  'call_id',
  'call_disposition',
  'team_name',
  'csq',
  'interaction_type',
  'wrap_up',
];

describe('POST /interactions/updateOrSaveInteractionTree/{call_Id} validation', () => {
  it('rejects the first post of a call without ani', async () => {
    const callId = newCallId();
    await expectRejected(callId, { interaction: startedLeg() }, 'ani');
  });

  it('rejects a body call_Id that differs from the path', async () => {
    const callId = newCallId();
    await expectRejected(callId, { interaction: startedLeg(), call_Id: 'another-call', ani: '4155550100' }, 'call_Id');
  });

  it('rejects an unknown field in the body or in the interaction', async () => {
    await expectRejected(newCallId(), { interaction: startedLeg(), ani: '4155550100', caller: 'x' }, '');
    await expectRejected(newCallId(), { interaction: startedLeg({ queue: 'x' }), ani: '4155550100' }, 'interaction');
  });

  it('rejects a body without an interaction', async () => {
    await expectRejected(newCallId(), { ani: '4155550100' }, 'interaction');
  });

  it.each(['type', 'start_time'])('rejects a leg without %s', async (field) => {
    await expectRejected(
      newCallId(),
      { interaction: startedLeg({ [field]: undefined }), ani: '1' },
      `interaction.${field}`,
    );
  });

  it.each([
    'yesterday',
    'string',
    '2024-05-01',
    '2024-05-01 9:30',
    '2024-02-30 09:30:00',
    '2024-05-01 24:00:00',
    '2024-05-01 09:30:00 PM',
    '2024-13-01T09:30:00Z',
    -5,
    1.5,
    '',
    true,
  ])('rejects start_time %p', async (startTime) => {
    const body = { interaction: startedLeg({ start_time: startTime }), ani: '4155550100' };
    await expectRejected(newCallId(), body, 'interaction.start_time');
  });

  it.each(textFields)('rejects %s longer than 1,000 characters', async (field) => {
    const body = { interaction: startedLeg({ [field]: 'x'.repeat(1_001) }), ani: '4155550100' };
    await expectRejected(newCallId(), body, `interaction.${field}`);
  });

  it('rejects ivr_trail longer than 10,000 characters and accepts 10,000', async () => {
    const body = (length: number) => ({
      interaction: startedLeg({ ivr_trail: '>'.repeat(length) }),
      ani: '4155550100',
    });
    await expectRejected(newCallId(), body(10_001), 'interaction.ivr_trail');
    await postLeg(t, newCallId(), startedLeg({ ivr_trail: '>'.repeat(10_000) })).expect(200);
  });

  it('rejects an ani longer than 1,000 characters or empty', async () => {
    await expectRejected(newCallId(), { interaction: startedLeg(), ani: '1'.repeat(1_001) }, 'ani');
    await expectRejected(newCallId(), { interaction: startedLeg(), ani: '' }, 'ani');
  });

  it('rejects a field that is neither text nor a number', async () => {
    await expectRejected(
      newCallId(),
      { interaction: startedLeg({ call_duration: true }), ani: '1' },
      'interaction.call_duration',
    );
  });

  it('rejects a call_Id longer than 1,000 characters', async () => {
    const res = await postLeg(t, 'c'.repeat(1_001), startedLeg()).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'params.call_Id' })]);
  });

  it('rejects a body that is not an object', async () => {
    await expectRejected(newCallId(), [startedLeg()], '');
  });
});
