import { loadConfig } from '../../src/config';
import { startTestApp, type TestApp } from '../support/test-app';
import { endedFields, getCall, newCallId, postLeg, startedLeg } from './interaction-factory';

let utc: TestApp;
let berlin: TestApp;
beforeAll(async () => {
  utc = await startTestApp();
  berlin = await startTestApp({ env: { CIM_DEFAULT_TIMEZONE: 'Europe/Berlin' }, dbName: utc.dbName });
});
afterAll(async () => {
  await berlin.close({ keepDatabase: true });
  await utc.close();
});

async function storedStartTime(t: TestApp, startTime: string | number): Promise<string> {
  const res = await postLeg(t, newCallId(), startedLeg({ start_time: startTime })).expect(200);
  return res.body.start_time;
}

describe('start_time formats', () => {
  it.each([
    ['2024-05-01 09:30:00', '2024-05-01T09:30:00.000Z'],
    ['2024-05-01 09:30:00.25', '2024-05-01T09:30:00.250Z'],
    ['2024-05-01T09:30:00', '2024-05-01T09:30:00.000Z'],
  ])('reads %p without an offset in UTC by default', async (posted, stored) => {
    expect(await storedStartTime(utc, posted)).toBe(stored);
  });

  it.each([
    ['2024-07-01 09:30:00', '2024-07-01T07:30:00.000Z'],
    ['2024-01-15 09:30:00.123', '2024-01-15T08:30:00.123Z'],
    ['2024-03-31 03:30:00', '2024-03-31T01:30:00.000Z'],
    // 02:30 does not exist on 31 March 2024 in Berlin (clocks jump from 02:00 to 03:00): read as 03:30.
    ['2024-03-31 02:30:00', '2024-03-31T01:30:00.000Z'],
    ['2024-10-27 04:00:00', '2024-10-27T03:00:00.000Z'],
  ])('reads %p without an offset in CIM_DEFAULT_TIMEZONE=Europe/Berlin', async (posted, stored) => {
    expect(await storedStartTime(berlin, posted)).toBe(stored);
  });

  it('keeps an explicit offset whatever the default time zone', async () => {
    expect(await storedStartTime(berlin, '2024-07-01T09:30:00Z')).toBe('2024-07-01T09:30:00.000Z');
    expect(await storedStartTime(berlin, '2024-07-01T09:30:00-04:00')).toBe('2024-07-01T13:30:00.000Z');
  });

  it('reads epoch numbers below 10^11 as seconds and others as milliseconds', async () => {
    const instant = '2024-05-01T09:30:00.000Z';
    const seconds = Date.parse(instant) / 1000;
    expect(await storedStartTime(utc, seconds)).toBe(instant);
    expect(await storedStartTime(utc, String(seconds))).toBe(instant);
    expect(await storedStartTime(utc, seconds * 1000)).toBe(instant);
    expect(await storedStartTime(utc, 99_999_999_999)).toBe('5138-11-16T09:46:39.000Z');
    expect(await storedStartTime(utc, 100_000_000_000)).toBe('1973-03-03T09:46:40.000Z');
  });

  it('finds the same leg whichever format a retry uses', async () => {
    const callId = newCallId();
    await postLeg(berlin, callId, startedLeg({ start_time: '2024-07-01 11:30:00' })).expect(200);
    await postLeg(berlin, callId, startedLeg({ start_time: Date.parse('2024-07-01T09:30:00Z') / 1000 })).expect(200);
    await postLeg(berlin, callId, startedLeg({ start_time: '2024-07-01T09:30:00Z', ...endedFields })).expect(200);

    const legs = (await getCall(berlin, callId)).body.interactions;
    expect(legs).toEqual([startedLeg({ start_time: '2024-07-01T09:30:00.000Z', ...endedFields })]);
  });

  it('refuses a time zone that does not exist at start-up, naming the variable', () => {
    expect(() => loadConfig({ CIM_DEFAULT_TIMEZONE: 'Mars/Olympus' })).toThrow(/CIM_DEFAULT_TIMEZONE/);
  });
});
