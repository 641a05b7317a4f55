import { describe, expect, it } from 'vitest';
import { CUSTOM_OPERATIONS as op, CUSTOM_OPERATORS } from './logic-ops.js';

const call = (name: string, ...args: unknown[]) => {
  const fn = op[name];
  if (!fn) throw new Error(`no ${name}`);
  return fn(...args);
};

describe('custom operators', () => {
  it('names every required operator', () => {
    for (const n of ['sumOf', 'avgOf', 'maxOf', 'minOf', 'countOf', 'round', 'abs', 'floor', 'ceil', 'datediff', 'dateadd', 'len', 'upper', 'lower', 'trim', 'left', 'right', 'coalesce']) {
      expect(CUSTOM_OPERATORS).toContain(n);
    }
  });

  it('aggregates columns', () => {
    const rows = [{ v: 1 }, { v: '2' }, { v: 3 }, null, 'x', { v: Number.NaN }];
    expect(call('sumOf', rows, 'v')).toBe(4);
    expect(call('sumOf', [1, 2, 'x'])).toBe(3);
    expect(call('avgOf', rows, 'v')).toBe(2);
    expect(call('avgOf', [], 'v')).toBeNull();
    expect(call('maxOf', rows, 'v')).toBe(3);
    expect(call('minOf', 'nope', 'v')).toBeNull();
    expect(call('countOf', rows)).toBe(6);
    expect(call('countOf', [{ v: 1 }, { v: '' }, { v: [] }, {}], 'v')).toBe(1);
    expect(call('countOf', null)).toBe(0);
  });

  it('rounds half away from zero without float surprises', () => {
    expect(call('round', 1.005, 2)).toBe(1.01);
    expect(call('round', -2.5)).toBe(-3);
    expect(call('round', 2.5)).toBe(3);
    expect(call('round', 1234, -2)).toBe(1200);
    expect(call('round', 'x', 2)).toBeNull();
    expect(call('round', 1, 99)).toBeNull();
    expect(call('abs', -3)).toBe(3);
    expect(call('floor', '2.7')).toBe(2);
    expect(call('ceil', 2.1)).toBe(3);
  });

  it('diffs dates in each unit (b − a)', () => {
    expect(call('datediff', '2026-11-01', '2026-11-27', 'days')).toBe(26);
    expect(call('datediff', '2026-11-27', '2026-11-01', 'days')).toBe(-26);
    expect(call('datediff', '2024-02-28', '2024-03-01')).toBe(2);
    expect(call('datediff', '2026-01-01T08:00:00Z', '2026-01-01T10:30:00+00:00', 'hours')).toBe(2);
    expect(call('datediff', '2026-01-01T08:00:00Z', '2026-01-01T16:30:00+08:00', 'minutes')).toBe(30);
    expect(call('datediff', '2026-01-31', '2026-02-28', 'months')).toBe(0);
    expect(call('datediff', '2026-01-31', '2026-03-01', 'months')).toBe(1);
    expect(call('datediff', '2026-03-15', '2026-01-20', 'months')).toBe(-1);
    expect(call('datediff', '2000-02-29', '2026-02-28', 'years')).toBe(25);
    expect(call('datediff', '2000-02-29', '2026-03-01', 'years')).toBe(26);
    expect(call('datediff', '2026-02-30', '2026-03-01')).toBeNull();
    expect(call('datediff', '2026-01-01', '2026-03-01', 'weeks')).toBeNull();
  });

  it('adds to dates, keeping the input kind', () => {
    expect(call('dateadd', '2026-12-31', 1, 'days')).toBe('2027-01-01');
    expect(call('dateadd', '2024-01-31', 1, 'months')).toBe('2024-02-29');
    expect(call('dateadd', '2024-02-29', 1, 'years')).toBe('2025-02-28');
    expect(call('dateadd', '2026-03-01', -1, 'days')).toBe('2026-02-28');
    expect(call('dateadd', '2026-01-01T23:30:00+08:00', 90, 'minutes')).toBe('2026-01-01T17:00:00.000Z');
    expect(call('dateadd', '2026-01-31T10:00:00Z', 1, 'months')).toBe('2026-02-28T10:00:00.000Z');
    expect(call('dateadd', 'soon', 1, 'days')).toBeNull();
    expect(call('dateadd', '2026-01-01', 'x', 'days')).toBeNull();
  });

  it('handles text', () => {
    expect(call('len', 'héllo')).toBe(5);
    expect(call('len', [1, 2])).toBe(2);
    expect(call('len', null)).toBe(0);
    expect(call('upper', 'ab')).toBe('AB');
    expect(call('lower', 'AB')).toBe('ab');
    expect(call('trim', ' a ')).toBe('a');
    expect(call('left', '采购申请', 2)).toBe('采购');
    expect(call('right', '采购申请', 2)).toBe('申请');
    expect(call('right', 'abc', 0)).toBe('');
    expect(call('upper', { a: 1 })).toBeNull();
    expect(call('coalesce', null, undefined, '', 0)).toBe(0);
    expect(call('coalesce')).toBeNull();
  });
});
