import { describe, expect, it } from 'vitest';
import type { Rule } from '../schema/form.js';
import { fieldKeyProblem, keyFromLabel, rulePart, setRulePart } from './fields.js';

describe('keyFromLabel', () => {
  it('makes a key from a label, unique among the taken keys', () => {
    expect(keyFromLabel('Unit price', [])).toBe('unit_price');
    expect(keyFromLabel('Unit price', ['unit_price'])).toBe('unit_price_2');
    expect(keyFromLabel('Unit price', ['unit_price', 'unit_price_2'])).toBe('unit_price_3');
    expect(keyFromLabel('  2nd Café — total! ', [])).toBe('nd_cafe_total');
    expect(keyFromLabel('ID', [])).toBe('id_field');
    expect(keyFromLabel('x'.repeat(100), []).length).toBeLessThanOrEqual(40);
  });

  it('numbers the fallback for labels without Latin letters', () => {
    expect(keyFromLabel('金额', [], 'money')).toBe('money_1');
    expect(keyFromLabel('金额', ['money_1'], 'money')).toBe('money_2');
    expect(keyFromLabel('', [], 'field')).toBe('field_1');
  });

  it('always gives a valid key', () => {
    for (const l of ['', '_', '123', 'a', '中文 label', 'constructor', '__proto__', 'data']) {
      expect(fieldKeyProblem(keyFromLabel(l, ['a']), ['a']), l).toBeNull();
    }
  });
});

describe('fieldKeyProblem', () => {
  it('checks the pattern, reserved keys and duplicates', () => {
    expect(fieldKeyProblem('amount', ['other'])).toBeNull();
    expect(fieldKeyProblem('1abc', [])).toBe('pattern');
    expect(fieldKeyProblem('a-b', [])).toBe('pattern');
    expect(fieldKeyProblem('', [])).toBe('pattern');
    expect(fieldKeyProblem('createdAt', [])).toBe('reserved');
    expect(fieldKeyProblem('amount', ['amount'])).toBe('duplicate');
  });
});

describe('rule parts', () => {
  const rules: Rule[] = [
    { field: 'a', visible: { var: 'x' }, required: { var: 'y' } },
    { field: 'b', readOnly: true },
    { field: 'a', visible: { var: 'z' } },
  ];

  it('reads the effective part as the engine combines several rules', () => {
    expect(rulePart(rules, 'a', 'visible')).toEqual({ and: [{ var: 'x' }, { var: 'z' }] });
    expect(rulePart(rules, 'a', 'required')).toEqual({ var: 'y' });
    expect(rulePart(rules, 'a', 'readOnly')).toBeUndefined();
    expect(rulePart(undefined, 'a', 'visible')).toBeUndefined();
  });

  it('replaces a part in one rule, keeps the other parts and drops emptied rules', () => {
    const next = setRulePart(rules, 'a', 'visible', { var: 'w' });
    expect(next).toEqual([{ field: 'a', visible: { var: 'w' }, required: { var: 'y' } }, { field: 'b', readOnly: true }]);
    expect(setRulePart(next, 'a', 'required', undefined)).toEqual([{ field: 'a', visible: { var: 'w' } }, { field: 'b', readOnly: true }]);
    expect(setRulePart(rules, 'b', 'readOnly', undefined)).toEqual([rules[0], rules[2]]);
    expect(setRulePart(rules, 'c', 'readOnly', { var: 'q' })).toEqual([...rules, { field: 'c', readOnly: { var: 'q' } }]);
    const fill = { form: 'f', match: { k: { var: 'a' } }, take: 't' };
    expect(setRulePart([], 'c', 'fill', fill)).toEqual([{ field: 'c', fill }]);
    expect(setRulePart(undefined, 'c', 'visible', undefined)).toEqual([]);
  });
});
