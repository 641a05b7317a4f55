import { TrellisError } from '../errors.js';
import { RELATIVE_DATES, type RelativeDate } from './query.js';

/** The calendar date and wall-clock time of an instant in a zone. */
export interface ZonedParts {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface DateRange {
  /** first day, "YYYY-MM-DD" */
  startDate: string;
  /** first day after the range (exclusive), "YYYY-MM-DD" */
  endDate: string;
  /** local midnight starting `startDate`, UTC ISO */
  startInstant: string;
  /** local midnight starting `endDate`, UTC ISO (exclusive) */
  endInstant: string;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      throw new TrellisError('BAD_REQUEST', `Unknown time zone "${timeZone}"`, { timeZone });
    }
    // bounded: a workspace uses a handful of zones, but user input must not grow this forever
    if (formatters.size > 200) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** 1972-01-01: from then on zone offsets are whole minutes (before, some were local mean time, in seconds). */
const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1972, 0, 1);
let lastParts: { timeZone: string; minute: number; parts: ZonedParts } | null = null;

/** Calendar parts of `instant` in `timeZone` (UTC when unset). */
export function zonedParts(instant: Date, timeZone?: string): ZonedParts {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new TrellisError('BAD_REQUEST', 'Invalid date');
  if (!timeZone || timeZone === 'UTC') {
    return {
      year: instant.getUTCFullYear(),
      month: instant.getUTCMonth() + 1,
      day: instant.getUTCDate(),
      hour: instant.getUTCHours(),
      minute: instant.getUTCMinutes(),
      second: instant.getUTCSeconds(),
    };
  }
  // every offset since 1972 is a whole number of minutes: within one minute only the seconds move,
  // so the Intl call (the costly part of an import row's $today and serial number) is made once a minute
  const minute = Math.floor(ms / 60_000);
  const cacheable = ms >= WHOLE_MINUTE_OFFSETS_FROM;
  if (cacheable && lastParts?.timeZone === timeZone && lastParts.minute === minute) {
    return { ...lastParts.parts, second: Math.floor((ms - minute * 60_000) / 1000) };
  }
  const out: ZonedParts = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let bc = false;
  for (const p of formatter(timeZone).formatToParts(instant)) {
    switch (p.type) {
      case 'year': out.year = Number(p.value); break;
      case 'month': out.month = Number(p.value); break;
      case 'day': out.day = Number(p.value); break;
      // some engines print midnight as 24 even with h23
      case 'hour': out.hour = Number(p.value) % 24; break;
      case 'minute': out.minute = Number(p.value); break;
      case 'second': out.second = Number(p.value); break;
      case 'era': bc = p.value === 'BC' || p.value === 'B'; break;
      default: break;
    }
  }
  if (bc) out.year = 1 - out.year;
  if (cacheable) lastParts = { timeZone, minute, parts: { ...out } };
  return out;
}

/** Milliseconds since the epoch of a civil date-time read as UTC (years below 100 kept as written). */
export function civilMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

/** "YYYY-MM-DD" of a UTC-read civil timestamp. */
function civilDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Today's date at `now` in `timeZone` (UTC when unset), "YYYY-MM-DD". */
export function localDate(now: Date, timeZone?: string): string {
  const p = zonedParts(now, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (east positive). */
export function zoneOffsetMs(instant: Date, timeZone?: string): number {
  if (!timeZone || timeZone === 'UTC') return 0;
  const p = zonedParts(instant, timeZone);
  const wall = civilMs(p.year, p.month, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a valid calendar date "YYYY-MM-DD" to [y, m, d], or null. */
export function parseDate(s: string): [number, number, number] | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return null;
  if (civilDate(civilMs(y, mo, d)) !== s) return null; // rejects Feb 30 and friends
  return [y, mo, d];
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Milliseconds since the epoch of an ISO 8601 date-time that names its zone (`Z` or an offset), or null. */
export function parseDateTime(s: string): number | null {
  if (!DATETIME_RE.test(s) || !parseDate(s.slice(0, 10))) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

/** The UTC instant of local midnight starting `date` ("YYYY-MM-DD") in `timeZone`. */
export function localMidnight(date: string, timeZone?: string): Date {
  const ymd = parseDate(date);
  if (!ymd) throw new TrellisError('BAD_REQUEST', `Invalid date "${date}"`);
  const wall = civilMs(ymd[0], ymd[1], ymd[2]);
  if (!timeZone || timeZone === 'UTC') return new Date(wall);
  // two passes settle the offset across a DST change; a midnight skipped by DST lands on the first hour after it
  const first = zoneOffsetMs(new Date(wall), timeZone);
  let t = wall - first;
  const second = zoneOffsetMs(new Date(t), timeZone);
  if (second !== first) {
    const t2 = wall - second;
    if (zoneOffsetMs(new Date(t2), timeZone) === second) t = t2;
  }
  return new Date(t);
}

/** Adds days to a "YYYY-MM-DD" date. */
export function addDays(date: string, days: number): string {
  const ymd = parseDate(date);
  if (!ymd) throw new TrellisError('BAD_REQUEST', `Invalid date "${date}"`);
  return civilDate(civilMs(ymd[0], ymd[1], ymd[2]) + days * DAY_MS);
}

/** First day of the month `months` after the month of (year, month). */
function monthStart(year: number, month: number, months = 0): string {
  return civilDate(civilMs(year, month + months, 1));
}

function range(startDate: string, endDate: string, timeZone?: string): DateRange {
  return {
    startDate,
    endDate,
    startInstant: localMidnight(startDate, timeZone).toISOString(),
    endInstant: localMidnight(endDate, timeZone).toISOString(),
  };
}

/**
 * The span a relative date names at `now` in `timeZone` (UTC when unset).
 * The end is exclusive; weeks start on Monday; `lastNDays` is the N days
 * ending with today.
 */
export function relativeRange(rel: RelativeDate | NDays, now: Date, timeZone?: string): DateRange {
  const n = N_DAYS.exec(rel);
  if (n) {
    const today = localDate(now, timeZone);
    const days = Number(n[2]);
    return n[1] === 'last' ? range(addDays(today, 1 - days), addDays(today, 1), timeZone) : range(today, addDays(today, days), timeZone);
  }
  return namedRange(rel as RelativeDate, now, timeZone);
}

/** `lastNDays`: the N days ending with today; `nextNDays`: the N days starting today (N from 1 to 3660). */
export type NDays = `last${number}Days` | `next${number}Days`;
const N_DAYS = /^(last|next)([1-9][0-9]{0,2}|[1-2][0-9]{3}|3[0-5][0-9]{2}|36[0-5][0-9]|3660)Days$/;

/** Whether a filter may use this as `{"relative": …}`: a named span, or last/next N days. */
export function isRelativeDate(rel: unknown): rel is RelativeDate | NDays {
  return typeof rel === 'string' && ((RELATIVE_DATES as readonly string[]).includes(rel) || N_DAYS.test(rel));
}

function namedRange(rel: RelativeDate, now: Date, timeZone?: string): DateRange {
  const today = localDate(now, timeZone);
  const [y, m] = parseDate(today) ?? [1970, 1, 1];
  const weekday = new Date(civilMs(y, m, Number(today.slice(8)))).getUTCDay(); // 0 = Sunday
  const monday = addDays(today, -((weekday + 6) % 7));
  const quarterMonth = Math.floor((m - 1) / 3) * 3 + 1;
  switch (rel) {
    case 'today': return range(today, addDays(today, 1), timeZone);
    case 'yesterday': return range(addDays(today, -1), today, timeZone);
    case 'tomorrow': return range(addDays(today, 1), addDays(today, 2), timeZone);
    case 'thisWeek': return range(monday, addDays(monday, 7), timeZone);
    case 'lastWeek': return range(addDays(monday, -7), monday, timeZone);
    case 'nextWeek': return range(addDays(monday, 7), addDays(monday, 14), timeZone);
    case 'thisMonth': return range(monthStart(y, m), monthStart(y, m, 1), timeZone);
    case 'lastMonth': return range(monthStart(y, m, -1), monthStart(y, m), timeZone);
    case 'nextMonth': return range(monthStart(y, m, 1), monthStart(y, m, 2), timeZone);
    case 'thisQuarter': return range(monthStart(y, quarterMonth), monthStart(y, quarterMonth, 3), timeZone);
    case 'lastQuarter': return range(monthStart(y, quarterMonth, -3), monthStart(y, quarterMonth), timeZone);
    case 'thisYear': return range(monthStart(y, 1), monthStart(y + 1, 1), timeZone);
    case 'lastYear': return range(monthStart(y - 1, 1), monthStart(y, 1), timeZone);
    case 'last7Days': return range(addDays(today, -6), addDays(today, 1), timeZone);
    case 'last30Days': return range(addDays(today, -29), addDays(today, 1), timeZone);
    case 'last90Days': return range(addDays(today, -89), addDays(today, 1), timeZone);
    default: {
      const never: never = rel;
      throw new TrellisError('INVALID_QUERY', `Unknown relative date "${String(never)}"`);
    }
  }
}
