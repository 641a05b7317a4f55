import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron } from './cron.js';

/** The next `count` run times after `from`, as ISO strings. */
function runs(expr: string, from: string, count = 1): (string | null)[] {
  const spec = parseCron(expr);
  const out: (string | null)[] = [];
  let t: Date | null = new Date(from);
  for (let i = 0; i < count && t; i++) {
    t = nextCronTime(spec, t);
    out.push(t ? t.toISOString() : null);
  }
  return out;
}
const sorted = (s: ReadonlySet<number>) => [...s].sort((a, b) => a - b);

// 2024-05-06 is a Monday
const MONDAY = '2024-05-06T10:07:30.000Z';

describe('parseCron', () => {
  it('reads stars, numbers, lists, ranges and steps', () => {
    const spec = parseCron('*/20 9-17/4 1,15 * 1-5');
    expect(sorted(spec.minutes)).toEqual([0, 20, 40]);
    expect(sorted(spec.hours)).toEqual([9, 13, 17]);
    expect(sorted(spec.days)).toEqual([1, 15]);
    expect(spec.months.size).toBe(12);
    expect(sorted(spec.weekdays)).toEqual([1, 2, 3, 4, 5]);
    expect(spec.anyDay).toBe(false);
    expect(spec.anyWeekday).toBe(false);
  });

  it('tolerates extra spaces around and between fields', () => {
    const spec = parseCron('  0   9 *\t* *  ');
    expect(sorted(spec.minutes)).toEqual([0]);
    expect(sorted(spec.hours)).toEqual([9]);
    expect(spec.anyDay && spec.anyWeekday).toBe(true);
  });

  it('reads a number with a step as "from there to the end"', () => {
    expect(sorted(parseCron('5/15 * * * *').minutes)).toEqual([5, 20, 35, 50]);
  });

  it('takes Sunday as 0 and as 7', () => {
    expect(sorted(parseCron('0 0 * * 7').weekdays)).toEqual([0]);
    expect(sorted(parseCron('0 0 * * 0').weekdays)).toEqual([0]);
    expect(sorted(parseCron('0 0 * * 5-7').weekdays)).toEqual([0, 5, 6]);
    expect(sorted(parseCron('0 0 * * *').weekdays)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('rejects a wrong number of fields, naming the count and the expression', () => {
    expect(() => parseCron('0 9 * *')).toThrow('a cron schedule has 5 fields (minute hour day month weekday), not 4: "0 9 * *"');
    expect(() => parseCron('0 0 9 * * *')).toThrow(/not 6/);
    expect(() => parseCron('')).toThrow(/not 1/);
  });

  it('rejects values outside each field, naming the field', () => {
    expect(() => parseCron('60 * * * *')).toThrow('cron minute "60" is outside 0–59');
    expect(() => parseCron('0 24 * * *')).toThrow('cron hour "24" is outside 0–23');
    expect(() => parseCron('0 0 0 * *')).toThrow('cron day of month "0" is outside 1–31');
    expect(() => parseCron('0 0 32 * *')).toThrow('cron day of month "32" is outside 1–31');
    expect(() => parseCron('0 0 * 13 *')).toThrow('cron month "13" is outside 1–12');
    expect(() => parseCron('0 0 * 0 *')).toThrow('cron month "0" is outside 1–12');
    expect(() => parseCron('0 0 * * 8')).toThrow('cron day of week "8" is outside 0–7');
  });

  it('rejects backwards ranges, zero steps and things that are not numbers', () => {
    expect(() => parseCron('0 17-9 * * *')).toThrow('cron hour "17-9" is outside 0–23');
    expect(() => parseCron('*/0 * * * *')).toThrow(/cron minute "\*\/0"/);
    expect(() => parseCron('0 0 * * MON')).toThrow('cron day of week "MON" is not a number, range, list or step');
    expect(() => parseCron('0 0 * JAN *')).toThrow(/cron month "JAN"/);
    expect(() => parseCron('1,,2 * * * *')).toThrow('cron minute "" is not a number, range, list or step');
    expect(() => parseCron('-1 * * * *')).toThrow(/cron minute "-1"/);
    expect(() => parseCron('100 * * * *')).toThrow(/cron minute "100"/);
    expect(() => parseCron('? * * * *')).toThrow(/cron minute "\?"/);
  });
});

describe('nextCronTime', () => {
  it('runs at the next matching minute, strictly after the given time, ignoring seconds', () => {
    expect(runs('*/15 * * * *', MONDAY, 3)).toEqual(['2024-05-06T10:15:00.000Z', '2024-05-06T10:30:00.000Z', '2024-05-06T10:45:00.000Z']);
    expect(runs('*/15 * * * *', '2024-05-06T10:15:00.000Z')).toEqual(['2024-05-06T10:30:00.000Z']);
    expect(runs('* * * * *', '2024-05-06T10:15:59.999Z')).toEqual(['2024-05-06T10:16:00.000Z']);
  });

  it('steps through lists and ranges of hours, then on to the next day', () => {
    expect(runs('0 9,17 * * *', MONDAY, 3)).toEqual(['2024-05-06T17:00:00.000Z', '2024-05-07T09:00:00.000Z', '2024-05-07T17:00:00.000Z']);
    expect(runs('30 8-18/5 * * *', MONDAY, 3)).toEqual(['2024-05-06T13:30:00.000Z', '2024-05-06T18:30:00.000Z', '2024-05-07T08:30:00.000Z']);
  });

  it('runs on working days only, skipping the weekend', () => {
    expect(runs('0 9 * * 1-5', '2024-05-09T12:00:00Z', 3)).toEqual(['2024-05-10T09:00:00.000Z', '2024-05-13T09:00:00.000Z', '2024-05-14T09:00:00.000Z']);
  });

  it('runs on Sundays whether written 0 or 7', () => {
    expect(runs('0 0 * * 0', MONDAY)).toEqual(['2024-05-12T00:00:00.000Z']);
    expect(runs('0 0 * * 7', MONDAY)).toEqual(['2024-05-12T00:00:00.000Z']);
  });

  it('runs on a day matching either day field when both are restricted (Vixie cron)', () => {
    // the 13th, or any Friday
    expect(runs('0 0 13 * 5', MONDAY, 4)).toEqual([
      '2024-05-10T00:00:00.000Z', '2024-05-13T00:00:00.000Z', '2024-05-17T00:00:00.000Z', '2024-05-24T00:00:00.000Z',
    ]);
  });

  it('uses only the restricted day field when the other is a star', () => {
    expect(runs('0 0 * * 1', MONDAY, 2)).toEqual(['2024-05-13T00:00:00.000Z', '2024-05-20T00:00:00.000Z']);
    expect(runs('0 0 13 * *', MONDAY, 2)).toEqual(['2024-05-13T00:00:00.000Z', '2024-06-13T00:00:00.000Z']);
  });

  it('rolls over into the next month and the next year', () => {
    expect(runs('0 0 1 * *', '2024-12-15T00:00:00Z', 2)).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']);
    expect(runs('30 23 31 12 *', '2024-12-31T23:30:00Z')).toEqual(['2025-12-31T23:30:00.000Z']);
    expect(runs('59 23 * * *', '2024-12-31T23:59:00Z')).toEqual(['2025-01-01T23:59:00.000Z']);
    expect(runs('0 0 * 3 *', '2024-05-06T00:00:00Z')).toEqual(['2025-03-01T00:00:00.000Z']);
  });

  it('skips months too short for the day', () => {
    expect(runs('0 12 31 * *', '2024-04-01T00:00:00Z', 3)).toEqual(['2024-05-31T12:00:00.000Z', '2024-07-31T12:00:00.000Z', '2024-08-31T12:00:00.000Z']);
    expect(runs('0 0 29 2 *', '2024-03-01T00:00:00Z')).toEqual(['2028-02-29T00:00:00.000Z']);
  });

  it('gives null for a schedule that never runs', () => {
    expect(runs('0 0 30 2 *', MONDAY)).toEqual([null]);
    expect(runs('0 0 31 4,6,9,11 *', MONDAY)).toEqual([null]);
  });

  it('reads and answers in UTC', () => {
    // 09:00 UTC is 17:00 in Shanghai: 16:30 there is still before it, 17:30 is after
    expect(runs('0 9 * * *', '2024-05-06T16:30:00+08:00')).toEqual(['2024-05-06T09:00:00.000Z']);
    expect(runs('0 9 * * *', '2024-05-06T17:30:00+08:00')).toEqual(['2024-05-07T09:00:00.000Z']);
    // and a day near midnight UTC is the UTC day, not the local one
    expect(runs('0 0 * * 1', '2024-05-12T23:30:00-05:00')).toEqual(['2024-05-20T00:00:00.000Z']);
  });

  it('does not change the date it is given', () => {
    const after = new Date(MONDAY);
    nextCronTime(parseCron('0 0 1 1 *'), after);
    expect(after.toISOString()).toBe(MONDAY);
  });
});
