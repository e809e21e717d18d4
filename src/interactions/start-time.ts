import { z } from 'zod';

/** A date and time of day without an offset, as many CTI systems write it; read in CIM_DEFAULT_TIMEZONE. */
interface WallClockTime {
  wallClock: [year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number];
}
export type StartTime = Date | WallClockTime;

/**
 * Epoch numbers below 10^11 are seconds, others milliseconds: 10^11 seconds is the year 5138, 10^11 milliseconds
 * is March 1973, before any call a CTI records.
 */
export const epochSecondsBelow = 1e11;

const isoWithOffset = z.iso.datetime({ offset: true });
const wallClockPattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/** An instant (ISO 8601 with an offset, epoch seconds or milliseconds) or a wall-clock time; undefined if neither. */
export function parseStartTime(value: string | number): StartTime | undefined {
  if (typeof value === 'number' || /^\d{1,16}$/.test(value)) return fromEpoch(Number(value));
  if (isoWithOffset.safeParse(value).success) return new Date(Date.parse(value));
  return parseWallClock(value);
}

/** The instant a start time names; a wall-clock time is read in the time zone given. */
export function toInstant(startTime: StartTime, timeZone: string): Date {
  if (startTime instanceof Date) return startTime;
  const asIfUtc = Date.UTC(...withZeroBasedMonth(startTime.wallClock));
  const firstGuess = asIfUtc - offsetOf(timeZone, asIfUtc);
  // Near a daylight-saving change the offset at the first guess may not be the one at the instant itself.
  return new Date(asIfUtc - offsetOf(timeZone, firstGuess));
}

function fromEpoch(value: number): Date | undefined {
  if (!Number.isSafeInteger(value) || value < 0) return undefined;
  const date = new Date(value < epochSecondsBelow ? value * 1_000 : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function parseWallClock(value: string): WallClockTime | undefined {
  const match = wallClockPattern.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const ms = Number((match[7] ?? '0').padEnd(3, '0'));
  const wallClock: WallClockTime['wallClock'] = [year, month, day, hour, minute, second, ms];
  const roundTrip = new Date(Date.UTC(...withZeroBasedMonth(wallClock)));
  const real =
    roundTrip.getUTCFullYear() === year &&
    roundTrip.getUTCMonth() === month - 1 &&
    roundTrip.getUTCDate() === day &&
    roundTrip.getUTCHours() === hour &&
    roundTrip.getUTCMinutes() === minute &&
    roundTrip.getUTCSeconds() === second;
  return real ? { wallClock } : undefined;
}

function withZeroBasedMonth(wallClock: WallClockTime['wallClock']): WallClockTime['wallClock'] {
  const [year, month, ...rest] = wallClock;
  return [year, month - 1, ...rest];
}

/** The zone's offset from UTC at an instant, in ms (Berlin in summer: +2 h). */
function offsetOf(timeZone: string, instant: number): number {
  const parts = Object.fromEntries(
    zoneFormat(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  );
  const asIfUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return asIfUtc - Math.floor(instant / 1_000) * 1_000;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}
