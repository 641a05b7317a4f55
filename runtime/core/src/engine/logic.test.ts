import { describe, expect, it } from 'vitest';
import type { Logic } from '../schema/logic.js';
import { applyLogic, logicVars, ruleScope, truthy } from './logic.js';

const order = {
  vip: true,
  amount: 12000,
  start: '2026-01-31',
  end: '2026-03-01',
  lines: [
    { sku: 'A', qty: 2, price: 10 },
    { sku: 'B', qty: 3, price: 5.5 },
    { sku: 'C', qty: 'n/a', price: 1 },
    { sku: 'D' },
  ],
};

// formulas arrive as parsed JSON; the cast stands for that
const L = (x: unknown) => x as Logic;

describe('applyLogic formulas', () => {
  it('sums a sub-table column ignoring non-numbers', () => {
    expect(applyLogic(L({ sumOf: [{ var: 'lines' }, 'qty'] }), order)).toBe(5);
    expect(applyLogic(L({ avgOf: [{ var: 'lines' }, 'qty'] }), order)).toBe(2.5);
    expect(applyLogic(L({ maxOf: [{ var: 'lines' }, 'price'] }), order)).toBe(10);
    expect(applyLogic(L({ minOf: [{ var: 'lines' }, 'price'] }), order)).toBe(1);
    expect(applyLogic(L({ countOf: [{ var: 'lines' }] }), order)).toBe(4);
    expect(applyLogic(L({ sumOf: [{ var: 'missing' }, 'qty'] }), order)).toBe(0);
  });

  it('computes a line total through map and sumOf', () => {
    const total = { sumOf: [{ map: [{ var: 'lines' }, { '*': [{ var: 'qty' }, { var: 'price' }] }] }] };
    // rows without numbers give NaN in the product and are ignored by sumOf
    expect(applyLogic(L(total), order)).toBe(36.5);
    expect(applyLogic(L({ round: [{ '/': [10, 3] }, 2] }), {})).toBe(3.33);
  });

  it('does IF through json-logic if', () => {
    const rule = L({ if: [{ '>': [{ var: 'amount' }, 10000] }, 'big', { '>': [{ var: 'amount' }, 100] }, 'medium', 'small'] });
    expect(applyLogic(rule, order)).toBe('big');
    expect(applyLogic(rule, { amount: 500 })).toBe('medium');
    expect(applyLogic(rule, { amount: 5 })).toBe('small');
    expect(applyLogic(L({ '*': [{ var: 'amount' }, { if: [{ var: 'vip' }, 0.9, 1] }] }), order)).toBe(10800);
  });

  it('does date arithmetic', () => {
    expect(applyLogic(L({ datediff: [{ var: 'start' }, { var: 'end' }, 'days'] }), order)).toBe(29);
    expect(applyLogic(L({ datediff: [{ var: 'start' }, { var: 'end' }, 'months'] }), order)).toBe(1);
    expect(applyLogic(L({ dateadd: [{ var: 'start' }, 1, 'months'] }), order)).toBe('2026-02-28');
    expect(applyLogic(L({ datediff: [{ var: '$today' }, '2026-12-25', 'days'] }), ruleScope({}, { user: null, now: new Date('2026-12-20T20:00:00Z'), timeZone: 'Asia/Shanghai' }))).toBe(4);
  });

  it('does text functions and coalesce', () => {
    expect(applyLogic(L({ upper: { var: 'lines.0.sku' } }), order)).toBe('A');
    expect(applyLogic(L({ cat: [{ left: ['Trellis', 3] }, '-', { right: ['Trellis', 3] }] }), {})).toBe('Tre-lis');
    expect(applyLogic(L({ coalesce: [{ var: 'nick' }, '', { var: 'name' }, 'anon'] }), { name: 'Li' })).toBe('Li');
    expect(applyLogic(L({ len: { trim: '  ab ' } }), {})).toBe(2);
  });

  it('never throws on user data', () => {
    expect(applyLogic(L({ nosuchop: [1] }), {})).toBeNull();
    expect(applyLogic(L({ '/': [1, 0] }), {})).toBeNull();
    expect(applyLogic(L({ sumOf: [{ var: 'lines' }, '__proto__'] }), order)).toBe(0);
    expect(applyLogic(L({ substr: [{ var: 'x' }, 1] }), { x: null })).toBe('ull');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { '!': [deep] };
    expect(applyLogic(L(deep), {})).toBeNull(); // stack overflow is caught
  });

  it('evaluates with the expected speed (sanity, not a benchmark)', () => {
    const rule = L({ '>': [{ var: 'amount' }, 10000] });
    for (let i = 0; i < 10_000; i++) applyLogic(rule, order);
    expect(applyLogic(rule, order)).toBe(true);
  });
});

describe('ruleScope and truthy', () => {
  it('adds $user, $now and $today in the zone', () => {
    const now = new Date('2026-11-27T17:00:00.000Z');
    const user = { id: 'u1' };
    expect(ruleScope({ a: 1 }, { user, now })).toEqual({ a: 1, $user: user, $now: '2026-11-27T17:00:00.000Z', $today: '2026-11-27' });
    expect(ruleScope({}, { user: null, now, timeZone: 'Asia/Shanghai' }).$today).toBe('2026-11-28');
    expect(applyLogic(L({ '==': [{ var: '$user.id' }, 'u1'] }), ruleScope({}, { user, now }))).toBe(true);
  });

  it('follows json-logic truthiness', () => {
    expect(truthy([])).toBe(false);
    expect(truthy([0])).toBe(true);
    expect(truthy('0')).toBe(true);
    expect(truthy('')).toBe(false);
    expect(truthy(0)).toBe(false);
    expect(truthy(null)).toBe(false);
    expect(truthy({})).toBe(true);
  });
});

describe('logicVars', () => {
  it('lists first segments of record variables, skipping iterator bodies', () => {
    const rule = {
      '+': [
        { var: 'amount' },
        { sumOf: [{ map: [{ var: 'lines' }, { '*': [{ var: 'qty' }, { var: 'price' }] }] }] },
        { var: 'lines.0.qty' },
        { reduce: [{ var: 'extra' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, { var: ['base', { var: 'fallback' }] }] },
        { var: '$user.id' },
      ],
    };
    expect(logicVars(rule)).toEqual(['amount', 'lines', 'extra', 'base', 'fallback', '$user']);
    expect(logicVars({ missing: ['a', 'b.c'] })).toEqual(['a', 'b']);
    expect(logicVars({ missing_some: [1, ['x']] })).toEqual(['x']);
    expect(logicVars('x')).toEqual([]);
  });

  it('stays bounded on hostile input', () => {
    let deep: unknown = { var: 'a' };
    for (let i = 0; i < 100_000; i++) deep = { '!': [deep] };
    expect(() => logicVars(deep)).not.toThrow();
  });
});
