import { describe, expect, it } from 'vitest';
import { TrellisError } from '../errors.js';
import { addDays, isRelativeDate, localDate, localMidnight, parseDate, relativeRange, zonedParts, zoneOffsetMs } from './relative-date.js';

const at = (iso: string) => new Date(iso);

describe('localDate', () => {
  it('reads the calendar date in the zone', () => {
    const now = at('2026-11-27T17:30:00.000Z');
    expect(localDate(now)).toBe('2026-11-27');
    expect(localDate(now, 'Asia/Shanghai')).toBe('2026-11-28');
    expect(localDate(at('2026-11-27T03:00:00.000Z'), 'America/New_York')).toBe('2026-11-26');
  });

  it('gives the same parts second by second as Intl does, across a DST change and midnight, with zones taking turns', () => {
    const intl = (ms: number, timeZone: string) => {
      const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
        .formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
      return { year: p.year, month: p.month, day: p.day, hour: p.hour! % 24, minute: p.minute, second: p.second };
    };
    // New York springs forward at 07:00 UTC on 2026-03-08; Kolkata (+05:30) passes midnight at 18:30 UTC
    for (const start of [Date.parse('2026-03-08T06:58:30Z'), Date.parse('2026-03-08T18:28:30Z')]) {
      for (let ms = start; ms < start + 4 * 60_000; ms += 7_300) {
        for (const zone of ['America/New_York', 'Asia/Kolkata', 'America/New_York']) expect(zonedParts(new Date(ms), zone)).toEqual(intl(ms, zone));
      }
    }
  });

  it('rejects an unknown zone with a coded error', () => {
    expect(() => localDate(at('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(TrellisError);
  });
});

describe('zone arithmetic', () => {
  it('knows fixed and DST offsets', () => {
    expect(zoneOffsetMs(at('2026-06-01T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * 3600_000);
    expect(zoneOffsetMs(at('2026-07-01T12:00:00Z'), 'America/New_York')).toBe(-4 * 3600_000);
    expect(zoneOffsetMs(at('2026-01-01T12:00:00Z'), 'America/New_York')).toBe(-5 * 3600_000);
  });

  it('finds local midnight across DST changes', () => {
    expect(localMidnight('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(localMidnight('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(localMidnight('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(localMidnight('2026-11-02', 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(localMidnight('2026-01-01').toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('validates calendar dates', () => {
    expect(parseDate('2024-02-29')).toEqual([2024, 2, 29]);
    expect(parseDate('2026-02-29')).toBeNull();
    expect(parseDate('2026-13-01')).toBeNull();
    expect(parseDate('2026-1-01')).toBeNull();
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('relativeRange', () => {
  it('gives today and its neighbours with an exclusive end', () => {
    const now = at('2026-11-27T10:00:00Z');
    expect(relativeRange('today', now)).toEqual({
      startDate: '2026-11-27',
      endDate: '2026-11-28',
      startInstant: '2026-11-27T00:00:00.000Z',
      endInstant: '2026-11-28T00:00:00.000Z',
    });
    expect(relativeRange('yesterday', now).startDate).toBe('2026-11-26');
    expect(relativeRange('tomorrow', now).endDate).toBe('2026-11-29');
  });

  it('starts weeks on Monday', () => {
    // 2026-11-29 is a Sunday
    const sunday = at('2026-11-29T12:00:00Z');
    expect(relativeRange('thisWeek', sunday)).toMatchObject({ startDate: '2026-11-23', endDate: '2026-11-30' });
    const monday = at('2026-11-30T12:00:00Z');
    expect(relativeRange('thisWeek', monday)).toMatchObject({ startDate: '2026-11-30', endDate: '2026-12-07' });
    expect(relativeRange('lastWeek', monday)).toMatchObject({ startDate: '2026-11-23', endDate: '2026-11-30' });
    expect(relativeRange('nextWeek', sunday)).toMatchObject({ startDate: '2026-11-30', endDate: '2026-12-07' });
  });

  it('crosses month and year ends', () => {
    const dec = at('2026-12-31T12:00:00Z');
    expect(relativeRange('thisMonth', dec)).toMatchObject({ startDate: '2026-12-01', endDate: '2027-01-01' });
    expect(relativeRange('nextMonth', dec)).toMatchObject({ startDate: '2027-01-01', endDate: '2027-02-01' });
    expect(relativeRange('thisWeek', dec)).toMatchObject({ startDate: '2026-12-28', endDate: '2027-01-04' });
    expect(relativeRange('tomorrow', dec).startDate).toBe('2027-01-01');
    const jan = at('2027-01-15T12:00:00Z');
    expect(relativeRange('lastMonth', jan)).toMatchObject({ startDate: '2026-12-01', endDate: '2027-01-01' });
    expect(relativeRange('lastQuarter', jan)).toMatchObject({ startDate: '2026-10-01', endDate: '2027-01-01' });
    expect(relativeRange('thisQuarter', jan)).toMatchObject({ startDate: '2027-01-01', endDate: '2027-04-01' });
    expect(relativeRange('lastYear', jan)).toMatchObject({ startDate: '2026-01-01', endDate: '2027-01-01' });
    expect(relativeRange('thisYear', jan)).toMatchObject({ startDate: '2027-01-01', endDate: '2028-01-01' });
    const mar = at('2024-03-01T00:30:00Z');
    expect(relativeRange('lastMonth', mar)).toMatchObject({ startDate: '2024-02-01', endDate: '2024-03-01' });
    expect(relativeRange('last7Days', mar)).toMatchObject({ startDate: '2024-02-24', endDate: '2024-03-02' });
    expect(relativeRange('last30Days', mar).startDate).toBe('2024-02-01');
    expect(relativeRange('last90Days', mar).startDate).toBe('2023-12-03');
    // any N: the N days ending with today, or starting today
    expect(relativeRange('last45Days', mar)).toMatchObject({ startDate: '2024-01-17', endDate: '2024-03-02' });
    expect(relativeRange('last1Days', mar)).toEqual(relativeRange('today', mar));
    expect(relativeRange('next14Days', mar)).toMatchObject({ startDate: '2024-03-01', endDate: '2024-03-15' });
    expect(isRelativeDate('last3660Days')).toBe(true);
    for (const bad of ['last0Days', 'last3661Days', 'last07Days', 'last-1Days', 'lastDays', 'past5Days', 5]) expect(isRelativeDate(bad)).toBe(false);
  });

  it('uses local midnight in Asia/Shanghai', () => {
    // 2026-12-31T18:00Z is already 2027-01-01 02:00 in Shanghai
    const now = at('2026-12-31T18:00:00Z');
    expect(relativeRange('today', now, 'Asia/Shanghai')).toEqual({
      startDate: '2027-01-01',
      endDate: '2027-01-02',
      startInstant: '2026-12-31T16:00:00.000Z',
      endInstant: '2027-01-01T16:00:00.000Z',
    });
    expect(relativeRange('thisYear', now, 'Asia/Shanghai')).toEqual({
      startDate: '2027-01-01',
      endDate: '2028-01-01',
      startInstant: '2026-12-31T16:00:00.000Z',
      endInstant: '2027-12-31T16:00:00.000Z',
    });
    expect(relativeRange('thisYear', now)).toMatchObject({ startDate: '2026-01-01', endDate: '2027-01-01' });
    expect(relativeRange('thisMonth', now, 'Asia/Shanghai')).toMatchObject({
      startInstant: '2026-12-31T16:00:00.000Z',
      endInstant: '2027-01-31T16:00:00.000Z',
    });
  });
});
