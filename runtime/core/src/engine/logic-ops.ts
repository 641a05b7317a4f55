import { civilMs, parseDate, parseDateTime } from '../query/relative-date.js';

/**
 * Operators Trellis adds to json-logic for formulas. They are plain functions
 * of already-evaluated arguments; engine/logic.ts registers them with
 * json-logic-js and engine/logic-guard.ts allows their names.
 * Each returns null on input it cannot use rather than throwing.
 */

type Op = (...args: unknown[]) => unknown;

const DATE_UNITS = ['days', 'hours', 'minutes', 'months', 'years'] as const;
type DateUnit = (typeof DATE_UNITS)[number];
const UNIT_MS = { days: 86_400_000, hours: 3_600_000, minutes: 60_000 } as const;
const MAX_TEXT = 100_000;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

// formulas receive numbers typed into text inputs too; booleans and "" are not numbers
function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** The values of one column of a sub-table; rows that are not objects are skipped. */
function column(rows: unknown, key: unknown): unknown[] {
  if (!Array.isArray(rows)) return [];
  if (key === undefined || key === null || key === '') return rows;
  const k = String(key);
  const out: unknown[] = [];
  for (const row of rows) {
    // own properties only: a key such as "__proto__" must not reach Object.prototype
    if (row !== null && typeof row === 'object' && !Array.isArray(row) && Object.hasOwn(row, k)) {
      out.push((row as Record<string, unknown>)[k]);
    }
  }
  return out;
}

function numbers(rows: unknown, key: unknown): number[] {
  const out: number[] = [];
  for (const v of column(rows, key)) {
    const n = num(v);
    if (n !== null) out.push(n);
  }
  return out;
}

function roundTo(value: unknown, digits: unknown): number | null {
  const n = toNumber(value);
  if (n === null) return null;
  const d = digits === undefined || digits === null ? 0 : toNumber(digits);
  if (d === null || !Number.isInteger(d) || d < -15 || d > 15) return null;
  // shift through the exponent so 1.005 rounds to 1.01 and halves go away from zero
  const shifted = Math.round(Number(`${Math.abs(n)}e${d}`));
  const back = Number(`${shifted}e${-d}`);
  return Number.isFinite(back) ? Math.sign(n) * back || 0 : null;
}

interface Moment {
  ms: number;
  /** true when written as a date without time */
  dateOnly: boolean;
}

function moment(v: unknown): Moment | null {
  if (typeof v !== 'string') return null;
  const ymd = parseDate(v);
  if (ymd) return { ms: civilMs(ymd[0], ymd[1], ymd[2]), dateOnly: true };
  const ms = parseDateTime(v);
  return ms === null ? null : { ms, dateOnly: false };
}

function unit(v: unknown): DateUnit | null {
  return typeof v === 'string' && (DATE_UNITS as readonly string[]).includes(v) ? (v as DateUnit) : null;
}

/** Whole calendar months from a to b (b − a), counting a month only once its day and time are reached. */
function monthsBetween(a: Date, b: Date): number {
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  const restA = a.getTime() - civilMs(a.getUTCFullYear(), a.getUTCMonth() + 1, 1);
  const restB = b.getTime() - civilMs(b.getUTCFullYear(), b.getUTCMonth() + 1, 1);
  if (months > 0 && restB < restA) months -= 1;
  else if (months < 0 && restB > restA) months += 1;
  return months;
}

function datediff(a: unknown, b: unknown, u: unknown): number | null {
  const ma = moment(a);
  const mb = moment(b);
  const un = unit(u ?? 'days');
  if (!ma || !mb || !un) return null;
  if (un === 'months' || un === 'years') {
    const months = monthsBetween(new Date(ma.ms), new Date(mb.ms));
    return un === 'months' ? months : Math.trunc(months / 12);
  }
  return Math.trunc((mb.ms - ma.ms) / UNIT_MS[un]) || 0;
}

function dateadd(date: unknown, n: unknown, u: unknown): string | null {
  const m = moment(date);
  const amount = toNumber(n);
  const un = unit(u ?? 'days');
  if (!m || amount === null || !un) return null;
  let ms: number;
  if (un === 'months' || un === 'years') {
    const months = Math.trunc(amount) * (un === 'years' ? 12 : 1);
    const d = new Date(m.ms);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth() + 1 + months;
    // clamp to the target month's last day: Jan 31 + 1 month is Feb 28/29
    const lastDay = new Date(civilMs(y, mo + 1, 1) - UNIT_MS.days).getUTCDate();
    const timeOfDay = m.ms - civilMs(y, d.getUTCMonth() + 1, d.getUTCDate());
    ms = civilMs(y, mo, Math.min(d.getUTCDate(), lastDay)) + timeOfDay;
  } else {
    ms = m.ms + (m.dateOnly && un === 'days' ? Math.trunc(amount) : amount) * UNIT_MS[un];
  }
  const out = new Date(ms);
  if (!Number.isFinite(out.getTime())) return null;
  return m.dateOnly ? out.toISOString().slice(0, 10) : out.toISOString();
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function count(v: unknown): number | null {
  const n = toNumber(v);
  return n === null ? null : Math.max(0, Math.min(MAX_TEXT, Math.trunc(n)));
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

export const CUSTOM_OPERATIONS: Readonly<Record<string, Op>> = {
  /** [rows, key]: sum of a sub-table column, ignoring non-numbers; [numbers] sums the array */
  sumOf: (rows, key) => numbers(rows, key).reduce((s, n) => s + n, 0),
  avgOf: (rows, key) => {
    const ns = numbers(rows, key);
    return ns.length ? ns.reduce((s, n) => s + n, 0) / ns.length : null;
  },
  maxOf: (rows, key) => {
    const ns = numbers(rows, key);
    return ns.length ? ns.reduce((a, b) => (b > a ? b : a)) : null;
  },
  minOf: (rows, key) => {
    const ns = numbers(rows, key);
    return ns.length ? ns.reduce((a, b) => (b < a ? b : a)) : null;
  },
  /** [rows] number of rows; [rows, key] rows whose `key` is not empty */
  countOf: (rows, key) => {
    if (!Array.isArray(rows)) return 0;
    if (key === undefined || key === null || key === '') return rows.length;
    return column(rows, key).filter((v) => !isEmpty(v)).length;
  },
  round: (n, digits) => roundTo(n, digits),
  abs: (n) => {
    const v = toNumber(n);
    return v === null ? null : Math.abs(v);
  },
  floor: (n) => {
    const v = toNumber(n);
    return v === null ? null : Math.floor(v);
  },
  ceil: (n) => {
    const v = toNumber(n);
    return v === null ? null : Math.ceil(v);
  },
  /** [a, b, unit]: b − a in whole days|hours|minutes|months|years (default days) */
  datediff: (a, b, u) => datediff(a, b, u),
  /** [date, n, unit]: date plus n units; "YYYY-MM-DD" in, "YYYY-MM-DD" out, ISO datetime in, ISO UTC out */
  dateadd: (d, n, u) => dateadd(d, n, u),
  len: (v) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v === null || v === undefined) return 0;
    return text(v)?.length ?? null;
  },
  upper: (v) => text(v)?.toUpperCase() ?? null,
  lower: (v) => text(v)?.toLowerCase() ?? null,
  trim: (v) => text(v)?.trim() ?? null,
  left: (s, n) => {
    const t = text(s);
    const k = count(n ?? 1);
    return t === null || k === null ? null : Array.from(t).slice(0, k).join('');
  },
  right: (s, n) => {
    const t = text(s);
    const k = count(n ?? 1);
    if (t === null || k === null) return null;
    const chars = Array.from(t);
    return k === 0 ? '' : chars.slice(-k).join('');
  },
  /** first argument that is not null, missing or "" */
  coalesce: (...args) => {
    for (const a of args) if (a !== null && a !== undefined && a !== '') return a;
    return null;
  },
};

/** Names of the operators in CUSTOM_OPERATIONS. */
export const CUSTOM_OPERATORS: readonly string[] = Object.freeze(Object.keys(CUSTOM_OPERATIONS));
