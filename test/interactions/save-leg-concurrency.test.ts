import { startTestApp, type TestApp } from '../support/test-app';
import { endedFields, getCall, newCallId, postLeg, startedLeg } from './interaction-factory';

let t: TestApp;
let second: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  second = await startTestApp({ dbName: t.dbName });
});
afterAll(async () => {
  await second.close({ keepDatabase: true });
  await t.close();
});

const legAt = (second: number) => startedLeg({ start_time: Date.parse('2024-05-01T09:00:00Z') + second * 1000 });

describe('POST /interactions/updateOrSaveInteractionTree/{call_Id} under concurrency', () => {
  it('keeps all 50 legs posted at once for a new call', async () => {
    const callId = newCallId();
    const legs = Array.from({ length: 50 }, (_, n) => legAt(n));

    const results = await Promise.all(legs.map((leg) => postLeg(t, callId, leg)));

    expect(results.map((res) => res.status)).toEqual(legs.map(() => 200));
    const tree = await getCall(t, callId).expect(200);
    expect(tree.body.interactions).toEqual(legs.map((leg) => ({ ...leg, start_time: expect.any(String) })));
    expect(tree.body.interactions.map((leg: { start_time: string }) => Date.parse(leg.start_time))).toEqual(
      legs.map((leg) => leg.start_time),
    );
  });

  it('stores one leg when 20 identical posts arrive at once', async () => {
    const callId = newCallId();
    const leg = startedLeg();

    const results = await Promise.all(Array.from({ length: 20 }, () => postLeg(t, callId, leg)));

    expect(results.map((res) => res.status)).toEqual(results.map(() => 200));
    expect(results.map((res) => res.body)).toEqual(results.map(() => leg));
    expect((await getCall(t, callId).expect(200)).body.interactions).toEqual([leg]);
  });

  it('loses no field when the start and end posts of legs race', async () => {
    const callId = newCallId();
    const legs = Array.from({ length: 10 }, (_, n) => legAt(n));
    const ends = legs.map((leg) => ({ ...leg, team_name: undefined, csq: undefined, ...endedFields }));

    const posts = legs.flatMap((leg, n) => [postLeg(t, callId, ends[n]), postLeg(t, callId, leg)]);
    const results = await Promise.all(posts);

    expect(results.map((res) => res.status)).toEqual(results.map(() => 200));
    const tree = await getCall(t, callId).expect(200);
    expect(tree.body.interactions).toEqual(
      legs.map((leg) => ({ ...leg, ...endedFields, start_time: expect.any(String) })),
    );
  });

  it('keeps every leg when two app instances on one database take the posts of one call', async () => {
    const callId = newCallId();
    const legs = Array.from({ length: 30 }, (_, n) => legAt(n));

    const results = await Promise.all(legs.map((leg, n) => postLeg(n % 2 ? second : t, callId, leg)));

    expect(results.map((res) => res.status)).toEqual(legs.map(() => 200));
    expect((await getCall(t, callId).expect(200)).body.interactions).toHaveLength(30);
  });
});
