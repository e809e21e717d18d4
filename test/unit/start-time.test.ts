import { epochSecondsBelow, parseStartTime, toInstant, type StartTime } from '../../src/interactions/start-time';

const iso = (startTime: StartTime | undefined) => (startTime instanceof Date ? startTime.toISOString() : startTime);

describe('parseStartTime', () => {
  it('reads ISO 8601 with an offset as that instant', () => {
    expect(iso(parseStartTime('2024-05-01T09:30:00Z'))).toBe('2024-05-01T09:30:00.000Z');
    expect(iso(parseStartTime('2024-05-01T09:30:00+02:00'))).toBe('2024-05-01T07:30:00.000Z');
  });

  it('reads epoch seconds and milliseconds, as numbers or digit strings', () => {
    expect(iso(parseStartTime(1714555800))).toBe('2024-05-01T09:30:00.000Z');
    expect(iso(parseStartTime('1714555800'))).toBe('2024-05-01T09:30:00.000Z');
    expect(iso(parseStartTime(1714555800123))).toBe('2024-05-01T09:30:00.123Z');
  });

  it('takes numbers below 10^11 as seconds and from 10^11 on as milliseconds', () => {
    expect(iso(parseStartTime(epochSecondsBelow - 1))).toBe('5138-11-16T09:46:39.000Z');
    expect(iso(parseStartTime(epochSecondsBelow))).toBe('1973-03-03T09:46:40.000Z');
  });

  it('reads a date and time without offset as a wall-clock time, with T or a space, milliseconds padded', () => {
    expect(parseStartTime('2024-05-01 09:30:00')).toEqual({ wallClock: [2024, 5, 1, 9, 30, 0, 0] });
    expect(parseStartTime('2024-05-01T09:30:00.5')).toEqual({ wallClock: [2024, 5, 1, 9, 30, 0, 500] });
  });

  it.each([
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['a number beyond safe integers', 2 ** 53],
    ['17 digits', '12345678901234567'],
    ['30 February', '2024-02-30T09:30:00'],
    ['hour 24', '2024-05-01T24:00:00'],
    ['a date alone', '2024-05-01'],
    ['no seconds', '2024-05-01T09:30'],
    ['four digits of fraction', '2024-05-01T09:30:00.1234'],
    ['words', 'yesterday'],
  ])('refuses %s (undefined)', (_case, value) => {
    expect(parseStartTime(value)).toBeUndefined();
  });
});

describe('toInstant', () => {
  it('returns an instant as it is, in any zone', () => {
    const instant = new Date('2024-05-01T09:30:00Z');
    expect(toInstant(instant, 'Asia/Tokyo')).toBe(instant);
  });

  it('reads a wall-clock time in the zone given, with the offset of that date', () => {
    expect(toInstant({ wallClock: [2024, 7, 1, 9, 30, 0, 0] }, 'Europe/Berlin').toISOString()).toBe(
      '2024-07-01T07:30:00.000Z',
    );
    expect(toInstant({ wallClock: [2024, 1, 15, 9, 0, 0, 0] }, 'America/New_York').toISOString()).toBe(
      '2024-01-15T14:00:00.000Z',
    );
    expect(toInstant({ wallClock: [2024, 1, 15, 9, 0, 0, 250] }, 'UTC').toISOString()).toBe('2024-01-15T09:00:00.250Z');
  });

  it('reads a time the spring change skips with the offset before it (02:30 in Berlin is 03:30 CEST)', () => {
    expect(toInstant({ wallClock: [2024, 3, 31, 2, 30, 0, 0] }, 'Europe/Berlin').toISOString()).toBe(
      '2024-03-31T01:30:00.000Z',
    );
  });

  it('reads a time the autumn change repeats as the later of the two (standard time)', () => {
    expect(toInstant({ wallClock: [2024, 10, 27, 2, 30, 0, 0] }, 'Europe/Berlin').toISOString()).toBe(
      '2024-10-27T01:30:00.000Z',
    );
  });
});
