import { treeModel, type StoredLeg } from '../../src/interactions/interaction.model';
import { legKeyOf, toLegFields, withInstant } from '../../src/interactions/interaction-json';
import { legInputSchema } from '../../src/interactions/interaction.schemas';
import { startTestApp, type TestApp } from '../support/test-app';
import { endedFields, getCall, newCallId, postLeg } from './interaction-factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const legNumber = (n: number) => ({ type: 'queue', start_time: Date.parse('2024-05-01T09:00:00Z') + n * 1000 });

/**
 * Stores a call with legs 0..count-1 in one insert: filling a tree through 500 posts takes about a
 * minute on FerretDB, whose cost per write grows with the document.
 */
async function storeCallWithLegs(callId: string, count: number): Promise<void> {
  const legs: Record<string, StoredLeg> = {};
  for (let n = 0; n < count; n++) {
    const leg = withInstant(legInputSchema.parse(legNumber(n)), 'UTC');
    legs[legKeyOf(leg)] = { ...toLegFields(leg), addedAt: new Date() };
  }
  const startedAt = new Date(legNumber(0).start_time);
  await treeModel(t.db.connection).create({
    _id: callId,
    phone_number: '4155550100',
    phoneKey: '+14155550100',
    startedAt,
    legs,
  });
}

describe('the 500-leg limit of a call', () => {
  it('accepts the 500th leg, refuses a 501st with 409 and still updates the legs it holds', async () => {
    const callId = newCallId();
    await storeCallWithLegs(callId, 498);
    await postLeg(t, callId, legNumber(497)).expect(200);

    await postLeg(t, callId, legNumber(498)).expect(200);
    await postLeg(t, callId, legNumber(499)).expect(200);
    const refused = await postLeg(t, callId, legNumber(500)).expect(409);
    const updated = await postLeg(t, callId, { ...legNumber(499), ...endedFields }).expect(200);

    expect(refused.body).toMatchObject({ type: 'urn:cim:problem:interaction-tree-full', status: 409, maxLegs: 500 });
    expect(updated.body).toMatchObject(endedFields);
    const tree = await getCall(t, callId).expect(200);
    expect(tree.body.interactions).toHaveLength(500);
    expect(tree.body.interactions[499]).toMatchObject({ start_time: '2024-05-01T09:08:19.000Z', ...endedFields });
  });

  it('counts a leg posted again as one leg', async () => {
    const callId = newCallId();
    await storeCallWithLegs(callId, 499);

    await postLeg(t, callId, { ...legNumber(0), ...endedFields }).expect(200);
    await postLeg(t, callId, legNumber(499)).expect(200);

    await postLeg(t, callId, legNumber(500)).expect(409);
  });
});
