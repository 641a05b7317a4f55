import { describe, expect, it } from 'vitest';
import { applyLogic } from '../engine/logic.js';
import { checkLogic } from '../engine/logic-guard.js';
import type { Logic } from '../schema/logic.js';
import { ExpressionError, expressionToLogic, logicToExpression } from './expression.js';

describe('formula expressions', () => {
  it('compiles arithmetic with precedence and fields in braces', () => {
    expect(expressionToLogic('{price} * {qty}')).toEqual({ '*': [{ var: 'price' }, { var: 'qty' }] });
    expect(expressionToLogic('{a} + {b} * 2 - 1')).toEqual({ '-': [{ '+': [{ var: 'a' }, { '*': [{ var: 'b' }, 2] }] }, 1] });
    expect(expressionToLogic('({a} + {b}) * 2')).toEqual({ '*': [{ '+': [{ var: 'a' }, { var: 'b' }] }, 2] });
    expect(expressionToLogic('{a} + {b} + {c}')).toEqual({ '+': [{ var: 'a' }, { var: 'b' }, { var: 'c' }] });
    expect(expressionToLogic('-{a} + -2')).toEqual({ '+': [{ '-': [{ var: 'a' }] }, -2] });
  });

  it('compiles functions, comparisons, logic and literals', () => {
    expect(expressionToLogic('round(sumOf({lines}, "amount") * 1.13, 2)')).toEqual({
      round: [{ '*': [{ sumOf: [{ var: 'lines' }, 'amount'] }, 1.13] }, 2],
    });
    expect(expressionToLogic("if({qty} >= 10 and {vip} == true, 'bulk', \"single\")")).toEqual({
      if: [{ and: [{ '>=': [{ var: 'qty' }, 10] }, { '==': [{ var: 'vip' }, true] }] }, 'bulk', 'single'],
    });
    expect(expressionToLogic('{a} || !{b} && not {c}')).toEqual({ or: [{ var: 'a' }, { and: [{ '!': [{ var: 'b' }] }, { '!': [{ var: 'c' }] }] }] });
    expect(expressionToLogic('concat({first}, " ", {last})')).toEqual({ cat: [{ var: 'first' }, ' ', { var: 'last' }] });
    expect(expressionToLogic('datediff({start}, {$today}, "days")')).toEqual({ datediff: [{ var: 'start' }, { var: '$today' }, 'days'] });
    expect(expressionToLogic('in({status}, ["a", "b"])')).toEqual({ in: [{ var: 'status' }, ['a', 'b']] });
    expect(expressionToLogic('{$parent.rate} * 1e3')).toEqual({ '*': [{ var: '$parent.rate' }, 1000] });
  });

  it('computes what it says', () => {
    const logic = expressionToLogic('round({price} * {qty} * (1 - {discount} / 100), 2)');
    expect(checkLogic(logic)).toEqual([]);
    expect(applyLogic(logic, { price: 9.99, qty: 3, discount: 10 })).toBe(26.97);
  });

  it('reports the position of a mistake', () => {
    const cases: [string, RegExp, number][] = [
      ['{price} *', /ends too early/, 9],
      ['{price} * qty', /unknown name "qty"/, 10],
      ['{pri ce}', /not a field key/, 0],
      ['{price', /closing \}/, 0],
      ['launch({a})', /unknown function "launch"/, 0],
      ['log({a})', /unknown function "log"/, 0],
      ['method({a}, "x")', /unknown function/, 0],
      ['(1 + 2', /expected "\)"/, 6],
      ['1 2', /after the end/, 2],
      ['"abc', /closing quote/, 0],
      ['1 # 2', /unexpected "#"/, 2],
      ['', /empty/, 0],
    ];
    for (const [src, msg, at] of cases) {
      let err: unknown;
      try {
        expressionToLogic(src);
      } catch (e) {
        err = e;
      }
      expect(err, src).toBeInstanceOf(ExpressionError);
      expect((err as ExpressionError).message, src).toMatch(msg);
      expect((err as ExpressionError).at, src).toBe(at);
    }
  });

  it('refuses very deep nesting instead of overflowing the stack', () => {
    expect(() => expressionToLogic(`${'('.repeat(5000)}1${')'.repeat(5000)}`)).toThrow(ExpressionError);
    expect(() => expressionToLogic('-'.repeat(5000) + '1')).toThrow(ExpressionError);
  });

  it('writes json-logic back as an expression that compiles to the same logic', () => {
    const logics: Logic[] = [
      { '*': [{ var: 'price' }, { var: 'qty' }] },
      { '-': [{ var: 'a' }, { '-': [{ var: 'b' }, { var: 'c' }] }] },
      { '/': [{ '+': [{ var: 'a' }, { var: 'b' }] }, 2] },
      { '+': [{ var: 'a' }, { var: 'b' }, { '*': [{ var: 'c' }, 3] }] },
      { if: [{ '>': [{ var: 'amount' }, 10000] }, 'big', 'small'] },
      { or: [{ and: [{ var: 'a' }, { var: 'b' }] }, { '!': [{ var: 'c' }] }] },
      { and: [{ or: [{ var: 'a' }, { var: 'b' }] }, { var: 'c' }] },
      { '<': [{ '<': [1, 2] }, 3] },
      { sumOf: [{ var: 'lines' }, 'qty'] },
      { cat: ['No. ', { var: 'no' }, '\n"quoted"'] },
      { var: ['qty', 0] },
      { in: [{ var: 'x' }, ['a', 1, true, null]] },
      { '-': [{ var: 'x' }] },
      { map: [{ var: 'lines' }, { '*': [{ var: 'qty' }, 2] }] },
    ];
    for (const logic of logics) {
      const src = logicToExpression(logic);
      expect(src, JSON.stringify(logic)).not.toBeNull();
      expect(expressionToLogic(src!), src!).toEqual(logic);
    }
    expect(logicToExpression({ '*': [{ var: 'price' }, { var: 'qty' }] })).toBe('{price} * {qty}');
    expect(logicToExpression({ '-': [{ var: 'a' }, { '-': [{ var: 'b' }, { var: 'c' }] }] })).toBe('{a} - ({b} - {c})');
  });

  it('gives null for json-logic the grammar cannot spell', () => {
    expect(logicToExpression({ a: 1, b: 2 } as unknown as Logic)).toBeNull();
    expect(logicToExpression({ method: ['x', 'toString'] } as unknown as Logic)).toBeNull();
    expect(logicToExpression(undefined)).toBe('');
  });
});
