import { describe, expect, it } from 'vitest';
import { TrellisError } from '../errors.js';
import { checkSerialPattern, renderSerial, serialCounterKey, serialPeriod } from './serial.js';

const now = new Date('2026-11-27T18:30:00Z'); // 2026-11-28 02:30 in Shanghai

describe('checkSerialPattern', () => {
  it('accepts good patterns', () => {
    expect(checkSerialPattern('PR-{YYYYMMDD}-{0000}')).toEqual([]);
    expect(checkSerialPattern('{0}')).toEqual([]);
    expect(checkSerialPattern('INV{YY}{MM}{DD}{000000000000}')).toEqual([]);
  });

  it('reports bad ones', () => {
    expect(checkSerialPattern('PR-{YYYYMMDD}')).toEqual(['the pattern needs one counter token such as {0000}']);
    expect(checkSerialPattern('{0000}-{00}')).toEqual(['the pattern may have only one counter token']);
    expect(checkSerialPattern('{0000000000000}')[0]).toMatch(/wider than 12/);
    expect(checkSerialPattern('{HH}-{0000}')[0]).toMatch(/unknown token \{HH\}/);
    expect(checkSerialPattern('{YYYY-{0000}')[0]).toMatch(/unknown token|unbalanced/);
    expect(checkSerialPattern('A}{0000}')).toEqual(['unbalanced "{" or "}" in the pattern']);
    expect(checkSerialPattern('')).toHaveLength(1);
    expect(checkSerialPattern(42)).toHaveLength(1);
    expect(checkSerialPattern(`${'x'.repeat(200)}{0}`)[0]).toMatch(/at most 200/);
  });
});

describe('serialPeriod', () => {
  it('keys by the finest date token', () => {
    expect(serialPeriod('PR-{YYYYMMDD}-{0000}', now)).toBe('20261127');
    expect(serialPeriod('PR-{YYYYMMDD}-{0000}', now, 'Asia/Shanghai')).toBe('20261128');
    expect(serialPeriod('{YY}{MM}-{000}', now)).toBe('202611');
    expect(serialPeriod('{YYYYMM}{0000}', now)).toBe('202611');
    expect(serialPeriod('{YYYY}/{0000}', now)).toBe('2026');
    expect(serialPeriod('{YY}-{DD}-{0}', now)).toBe('20261127');
    expect(serialPeriod('{YYMMDD}{0}', now)).toBe('20261127');
    expect(serialPeriod('NO-{0000}', now)).toBe('');
  });

  it('restarts yearly counters at the local new year', () => {
    const eve = new Date('2026-12-31T17:00:00Z');
    expect(serialPeriod('{YYYY}{0000}', eve)).toBe('2026');
    expect(serialPeriod('{YYYY}{0000}', eve, 'Asia/Shanghai')).toBe('2027');
  });

  it('builds the counter key', () => {
    expect(serialCounterKey('f1', 'no', 'PR-{YYYYMM}-{0000}', now)).toBe('f1:no:202611');
    expect(serialCounterKey('f1', 'no', 'PR-{0000}', now)).toBe('f1:no:');
  });
});

describe('renderSerial', () => {
  it('fills date tokens and pads the counter', () => {
    expect(renderSerial('PR-{YYYYMMDD}-{0000}', 7, now)).toBe('PR-20261127-0007');
    expect(renderSerial('PR-{YYYYMMDD}-{0000}', 7, now, 'Asia/Shanghai')).toBe('PR-20261128-0007');
    expect(renderSerial('{YY}{MM}{DD}/{YYMMDD}/{YYYYMM}/{YYYY}-{00}', 3, now)).toBe('261127/261127/202611/2026-03');
  });

  it('never truncates a number wider than the counter', () => {
    expect(renderSerial('X{000}', 12345, now)).toBe('X12345');
  });

  it('throws on a bad pattern or counter', () => {
    expect(() => renderSerial('X{HH}', 1, now)).toThrow(TrellisError);
    expect(() => renderSerial('X{0}', 1.5, now)).toThrow(TrellisError);
    expect(() => renderSerial('X{0}', -1, now)).toThrow(TrellisError);
  });
});
