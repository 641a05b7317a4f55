import { describe, expect, it } from 'vitest';
import { TrellisError } from '../errors.js';
import { LOGIC_LIMITS, LOGIC_OPERATORS, assertLogic, checkLogic } from './logic-guard.js';

function nested(depth: number): unknown {
  let rule: unknown = { var: 'a' };
  for (let i = 0; i < depth; i++) rule = { '!': [rule] };
  return rule;
}

describe('checkLogic accepts ordinary rules', () => {
  it('passes formulas, conditions and list operations', () => {
    expect(checkLogic({ '>': [{ var: 'amount' }, 10000] })).toEqual([]);
    expect(checkLogic({ '*': [{ var: 'qty' }, { var: ['price', 0] }] })).toEqual([]);
    expect(checkLogic({ if: [{ var: 'vip' }, 0.9, 1] })).toEqual([]);
    expect(checkLogic({ sumOf: [{ var: 'lines' }, 'qty'] })).toEqual([]);
    expect(checkLogic({ in: [{ var: '$user.id' }, { var: 'owners' }] })).toEqual([]);
    expect(checkLogic({ map: [{ var: 'lines' }, { '*': [{ var: 'qty' }, { var: 'price' }] }] })).toEqual([]);
    expect(checkLogic({ filter: [{ var: 'nums' }, { '>': [{ var: '' }, 2] }] })).toEqual([]);
    expect(checkLogic({ reduce: [{ var: 'lines' }, { '+': [{ var: 'current.qty' }, { var: 'accumulator' }] }, 0] })).toEqual([]);
    expect(checkLogic({ missing: ['a', 'b'] })).toEqual([]);
    expect(checkLogic({ missing_some: [1, ['a', 'b']] })).toEqual([]);
    expect(checkLogic('plain')).toEqual([]);
    expect(checkLogic(42)).toEqual([]);
    expect(checkLogic(null)).toEqual([]);
    expect(checkLogic([1, 'a', { var: 'x' }])).toEqual([]);
  });

  it('allows the custom operators and not method/log', () => {
    for (const op of ['sumOf', 'avgOf', 'datediff', 'dateadd', 'coalesce', 'round', 'if', 'map']) expect(LOGIC_OPERATORS).toContain(op);
    expect(LOGIC_OPERATORS).not.toContain('method');
    expect(LOGIC_OPERATORS).not.toContain('log');
  });
});

describe('checkLogic rejects attacks', () => {
  it('rejects a 10,000-deep rule fast and without stack overflow', () => {
    const t = performance.now();
    const problems = checkLogic(nested(10_000));
    expect(performance.now() - t).toBeLessThan(200);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/deeper than 32/);
    expect(checkLogic(nested(LOGIC_LIMITS.maxDepth - 1))).toEqual([]);
  });

  it('rejects a deep array literal too', () => {
    let arr: unknown = 1;
    for (let i = 0; i < 10_000; i++) arr = [arr];
    expect(checkLogic(arr)[0]).toMatch(/deeper/);
  });

  it('rejects a 1,000,000-element array fast', () => {
    const big = new Array(1_000_000).fill(1);
    const t = performance.now();
    expect(checkLogic({ '+': big })[0]).toMatch(/more than 200 arguments/);
    expect(checkLogic({ in: [1, big] })[0]).toMatch(/longer than 200/);
    expect(checkLogic(big)[0]).toMatch(/longer than 200/);
    expect(performance.now() - t).toBeLessThan(200);
  });

  it('caps the number of parts', () => {
    // 200 conditions of 5 parts each: every list is short, the whole is not
    const wide = { and: Array.from({ length: 200 }, () => ({ '==': [{ var: 'a' }, { '+': [1, 2] }] })) };
    expect(checkLogic(wide)[0]).toMatch(/too large/);
  });

  it('caps strings', () => {
    expect(checkLogic({ cat: ['x'.repeat(10_001)] })[0]).toMatch(/longer than 10000/);
  });

  it('rejects method, log and unknown operators', () => {
    expect(checkLogic({ method: [{ var: 'name' }, 'toUpperCase'] })[0]).toMatch(/unknown operator "method"/);
    expect(checkLogic({ log: 'x' })[0]).toMatch(/unknown operator/);
    expect(checkLogic({ '==': [{ eval: 'x' }, 1] })[0]).toMatch(/unknown operator "eval" \(at ==\[0\]\)/);
    expect(checkLogic({ 'hasOwnProperty.call': [1] })[0]).toMatch(/unknown operator/);
  });

  it('rejects objects that are not one-key operations', () => {
    expect(checkLogic({ var: 'a', '==': [1, 1] })[0]).toMatch(/exactly one key/);
    expect(checkLogic({})[0]).toMatch(/empty object/);
  });

  it('rejects prototype paths and computed vars', () => {
    expect(checkLogic({ var: '__proto__' })[0]).toMatch(/__proto__/);
    expect(checkLogic({ var: 'a.__proto__.b' })[0]).toMatch(/__proto__/);
    expect(checkLogic({ var: 'constructor' })[0]).toMatch(/constructor/);
    expect(checkLogic({ var: 'x.prototype' })[0]).toMatch(/prototype/);
    expect(checkLogic({ var: { cat: ['__pro', 'to__'] } })[0]).toMatch(/literal string path/);
    expect(checkLogic({ var: 'a-b' })[0]).toMatch(/invalid variable path/);
    expect(checkLogic({ var: '' })[0]).toMatch(/invalid variable path/);
    expect(checkLogic({ var: ['a', 1, 2] })[0]).toMatch(/path and an optional default/);
    expect(checkLogic({ missing: ['__proto__'] })[0]).toMatch(/__proto__/);
    expect(checkLogic({ missing_some: [1, [{ var: 'x' }]] })[0]).toMatch(/literal string path/);
  });

  it('bounds nesting of list operations', () => {
    const body = (inner: unknown) => ({ map: [{ var: 'rows' }, inner] });
    expect(checkLogic(body(body({ var: 'x' })))).toEqual([]);
    expect(checkLogic(body(body(body({ var: 'x' }))))[0]).toMatch(/nested inside more than 2/);
    expect(checkLogic({ map: [{ var: 'rows' }] })[0]).toMatch(/map takes/);
  });
});

describe('checkLogic with isKnownVar', () => {
  const isKnownVar = (n: string) => ['amount', 'lines', 'qty'].includes(n);

  it('checks the first segment of top-level vars only', () => {
    expect(checkLogic({ '+': [{ var: 'amount' }, { var: 'lines.0.qty' }, { var: '$user.id' }, { var: '$today' }] }, { isKnownVar })).toEqual([]);
    expect(checkLogic({ '+': [{ var: 'amont' }, 1] }, { isKnownVar })).toEqual(['unknown variable "amont" (at +[0].var)']);
    expect(checkLogic({ missing: ['nope'] }, { isKnownVar })[0]).toMatch(/unknown variable "nope"/);
    expect(checkLogic({ var: ['nope', { var: 'gone' }] }, { isKnownVar })).toHaveLength(2);
  });

  it('does not check vars inside iterator bodies, but checks the list argument', () => {
    const rule = { map: [{ var: 'lines' }, { '*': [{ var: 'price' }, { var: 'qty' }] }] };
    expect(checkLogic(rule, { isKnownVar })).toEqual([]);
    const reduce = { reduce: [{ var: 'lines' }, { '+': [{ var: 'current.price' }, { var: 'accumulator' }] }, { var: 'start' }] };
    expect(checkLogic(reduce, { isKnownVar })).toEqual(['unknown variable "start" (at reduce[2].var)']);
    expect(checkLogic({ some: [{ var: 'rows' }, { var: 'ok' }] }, { isKnownVar })[0]).toMatch(/unknown variable "rows"/);
  });
});

describe('assertLogic', () => {
  it('throws INVALID_DEFINITION with problems at the given path', () => {
    try {
      assertLogic({ method: [] }, 'rules[0].visible');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrellisError);
      const err = e as TrellisError;
      expect(err.code).toBe('INVALID_DEFINITION');
      expect(err.details).toEqual({
        problems: [{ path: 'rules[0].visible', code: 'INVALID_LOGIC', message: 'unknown operator "method"' }],
      });
    }
  });

  it('passes good logic', () => {
    expect(() => assertLogic({ '==': [1, 1] }, 'fields[0].formula')).not.toThrow();
  });
});
