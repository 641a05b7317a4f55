import { TrellisError } from '../errors.js';
import { zonedParts, type ZonedParts } from '../query/relative-date.js';

/**
 * Serial-number patterns such as `PR-{YYYYMMDD}-{0000}`: literal text, date
 * tokens read in the workspace's zone, and one counter `{0…0}` (1–12 zeros,
 * the zero-padded width; a larger number prints in full). The counter
 * restarts when the finest date token's period changes.
 */

const DATE_TOKENS = {
  YYYY: (p: ZonedParts) => pad(p.year, 4),
  YY: (p: ZonedParts) => pad(p.year % 100, 2),
  MM: (p: ZonedParts) => pad(p.month, 2),
  DD: (p: ZonedParts) => pad(p.day, 2),
  YYYYMMDD: (p: ZonedParts) => pad(p.year, 4) + pad(p.month, 2) + pad(p.day, 2),
  YYYYMM: (p: ZonedParts) => pad(p.year, 4) + pad(p.month, 2),
  YYMMDD: (p: ZonedParts) => pad(p.year % 100, 2) + pad(p.month, 2) + pad(p.day, 2),
} as const;
type DateToken = keyof typeof DATE_TOKENS;

const TOKEN_RE = /\{([^{}]*)\}/g;
const COUNTER_RE = /^0{1,12}$/;
const MAX_PATTERN = 200;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function isDateToken(t: string): t is DateToken {
  return Object.hasOwn(DATE_TOKENS, t);
}

const tokenCache = new Map<string, readonly string[]>();

/** The `{…}` tokens of a pattern (kept per pattern: a form's pattern is read for every record). */
function tokens(pattern: string): readonly string[] {
  let found = tokenCache.get(pattern);
  if (!found) {
    found = Array.from(pattern.matchAll(TOKEN_RE), (m) => m[1] ?? '');
    // bounded: patterns come from form definitions, but a designer typing one must not grow this forever
    if (tokenCache.size > 1000) tokenCache.clear();
    tokenCache.set(pattern, found);
  }
  return found;
}

/** Problems with a serial pattern; empty when it is usable. */
export function checkSerialPattern(pattern: unknown): string[] {
  if (typeof pattern !== 'string' || pattern === '') return ['a serial pattern is required, e.g. "PR-{YYYYMMDD}-{0000}"'];
  if (pattern.length > MAX_PATTERN) return [`a serial pattern is at most ${MAX_PATTERN} characters`];
  const problems: string[] = [];
  let counters = 0;
  for (const t of tokens(pattern)) {
    if (COUNTER_RE.test(t)) counters += 1;
    else if (/^0+$/.test(t)) problems.push(`counter {${t}} is wider than 12 digits`);
    else if (!isDateToken(t)) problems.push(`unknown token {${t}}: use {YYYY} {YY} {MM} {DD} {YYYYMMDD} {YYYYMM} {YYMMDD} or a counter such as {0000}`);
  }
  // braces left after removing tokens are unbalanced
  if (/[{}]/.test(pattern.replace(TOKEN_RE, ''))) problems.push('unbalanced "{" or "}" in the pattern');
  if (counters === 0) problems.push('the pattern needs one counter token such as {0000}');
  if (counters > 1) problems.push('the pattern may have only one counter token');
  return problems;
}

function assertPattern(pattern: string): void {
  const problems = checkSerialPattern(pattern);
  if (problems.length > 0) {
    throw new TrellisError('INVALID_DEFINITION', `Invalid serial pattern: ${problems[0]}`, {
      problems: problems.map((message) => ({ path: 'pattern', code: 'INVALID_SERIAL_PATTERN', message })),
    });
  }
}

/**
 * The period the counter runs in: the date key of the finest date token
 * ("20261127" daily, "202611" monthly, "2026" yearly), or "" when the
 * pattern has no date token and the counter never restarts.
 */
export function serialPeriod(pattern: string, now: Date, timeZone?: string): string {
  let finest = 0; // 0 none, 1 year, 2 month, 3 day
  for (const t of tokens(pattern)) {
    if (!isDateToken(t)) continue;
    const level = t.includes('DD') ? 3 : t.includes('MM') ? 2 : 1;
    if (level > finest) finest = level;
  }
  if (finest === 0) return '';
  const p = zonedParts(now, timeZone);
  if (finest === 3) return DATE_TOKENS.YYYYMMDD(p);
  if (finest === 2) return DATE_TOKENS.YYYYMM(p);
  return DATE_TOKENS.YYYY(p);
}

/** Key of the counter a new serial number draws from: `${formId}:${fieldKey}:${period}`. */
export function serialCounterKey(formId: string, fieldKey: string, pattern: string, now: Date, timeZone?: string): string {
  return `${formId}:${fieldKey}:${serialPeriod(pattern, now, timeZone)}`;
}

/** Renders serial number `n` (a positive integer from the counter) with the pattern at `now`. */
export function renderSerial(pattern: string, n: number, now: Date, timeZone?: string): string {
  assertPattern(pattern);
  if (!Number.isSafeInteger(n) || n < 0) throw new TrellisError('INTERNAL', `Serial counter value ${n} is not a non-negative integer`);
  const p = zonedParts(now, timeZone);
  return pattern.replace(TOKEN_RE, (_m, t: string) => (isDateToken(t) ? DATE_TOKENS[t](p) : pad(n, t.length)));
}
