import { describe, expect, it } from 'vitest';
import type { Field } from '../schema/form.js';
import { orderFormulas } from './formula-order.js';

const formula = (key: string, logic: unknown): Field => ({ key, type: 'formula', label: key, formula: logic as Field['formula'] });

describe('orderFormulas', () => {
  it('puts each formula after the formulas it reads', () => {
    const fields = [formula('c', { '+': [{ var: 'b' }, { var: 'a' }] }), formula('b', { var: 'a' }), formula('a', { var: 'x' }), { key: 'x', type: 'number', label: 'x' } as Field];
    expect(orderFormulas(fields)).toEqual({ order: ['a', 'b', 'c'], cyclic: [] });
  });

  it('leaves out formulas on or behind a cycle, including a self-reference', () => {
    const fields = [formula('a', { var: 'b' }), formula('b', { var: 'a' }), formula('c', { var: 'a' }), formula('s', { var: 's' }), formula('ok', 1)];
    const { order, cyclic } = orderFormulas(fields);
    expect(order).toEqual(['ok']);
    expect(cyclic.sort()).toEqual(['a', 'b', 'c', 's']);
  });
});
