import { describe, expect, it } from 'vitest';
import { applyLogic, truthy } from '../engine/logic.js';
import { checkLogic } from '../engine/logic-guard.js';
import type { Logic } from '../schema/logic.js';
import { conditionToLogic, logicToCondition, operatorsFor, type ConditionModel } from './condition.js';

const models: [string, ConditionModel][] = [
  ['one row', { join: 'all', items: [{ field: 'amount', op: 'gt', value: 10000 }] }],
  ['any of rows', { join: 'any', items: [{ field: 'status', op: 'eq', value: 'draft' }, { field: 'urgent', op: 'checked' }] }],
  ['every operator', {
    join: 'all',
    items: [
      { field: 'a', op: 'eq', value: 'x' }, { field: 'b', op: 'ne', value: 3 }, { field: 'c', op: 'contains', value: 'foo' },
      { field: 'd', op: 'empty' }, { field: 'e', op: 'notEmpty' }, { field: 'f', op: 'gt', value: 1 }, { field: 'g', op: 'gte', value: '2024-01-01' },
      { field: 'h', op: 'lt', value: 5 }, { field: 'i', op: 'lte', value: 5.5 }, { field: 'j', op: 'in', value: ['p', 'q'] },
      { field: 'k', op: 'checked' }, { field: 'l', op: 'notChecked' },
    ],
  }],
  ['a nested group', {
    join: 'all',
    items: [{ field: 'amount', op: 'gte', value: 100 }, { join: 'any', items: [{ field: 'dept', op: 'eq', value: 'd1' }, { field: 'tags', op: 'contains', value: 'vip' }] }],
  }],
];

describe('condition builder model', () => {
  it.each(models)('round-trips %s through json-logic', (_name, model) => {
    const logic = conditionToLogic(model);
    expect(logic).toBeDefined();
    expect(checkLogic(logic)).toEqual([]);
    expect(logicToCondition(logic)).toEqual(model);
    // and the logic read back compiles to the same logic
    expect(conditionToLogic(logicToCondition(logic)!)).toEqual(logic);
  });

  it('writes plain json-logic that evaluates as the rows say', () => {
    const logic = conditionToLogic(models[3]![1])!;
    expect(logic).toEqual({
      and: [{ '>=': [{ var: 'amount' }, 100] }, { or: [{ '==': [{ var: 'dept' }, 'd1'] }, { in: ['vip', { var: ['tags', ''] }] }] }],
    });
    const test = (data: object) => truthy(applyLogic(logic, data));
    expect(test({ amount: 150, dept: 'd1' })).toBe(true);
    expect(test({ amount: 150, tags: ['vip', 'new'] })).toBe(true);
    expect(test({ amount: 150, dept: 'd2' })).toBe(false);
    expect(test({ amount: 50, dept: 'd1' })).toBe(false);
  });

  it('treats empty strings, missing values and empty lists as empty, and a missing text as not containing', () => {
    const empty = conditionToLogic({ join: 'all', items: [{ field: 'x', op: 'empty' }] })!;
    for (const x of [undefined, null, '', []]) expect(truthy(applyLogic(empty, { x }))).toBe(true);
    expect(truthy(applyLogic(empty, { x: 'a' }))).toBe(false);
    const contains = conditionToLogic({ join: 'all', items: [{ field: 'x', op: 'contains', value: 'b' }] })!;
    expect(truthy(applyLogic(contains, {}))).toBe(false);
    expect(truthy(applyLogic(contains, { x: 'abc' }))).toBe(true);
  });

  it('leaves out incomplete rows and gives undefined for no condition', () => {
    expect(conditionToLogic({ join: 'all', items: [] })).toBeUndefined();
    expect(conditionToLogic({ join: 'all', items: [{ field: '', op: 'eq', value: 1 }, { field: 'a', op: 'eq', value: '' }] })).toBeUndefined();
    expect(conditionToLogic({ join: 'any', items: [{ field: 'a', op: 'empty' }, { field: 'b', op: 'gt' }] })).toEqual({ or: [{ '!': { var: 'a' } }] });
    expect(logicToCondition(undefined)).toEqual({ join: 'all', items: [] });
  });

  it('reads comparisons written by hand in common spellings', () => {
    expect(logicToCondition({ '===': [{ var: 'a' }, 'x'] } as Logic)).toEqual({ join: 'all', items: [{ field: 'a', op: 'eq', value: 'x' }] });
    expect(logicToCondition({ '==': [{ var: 'a' }, null] } as Logic)).toEqual({ join: 'all', items: [{ field: 'a', op: 'empty' }] });
    expect(logicToCondition({ '!': [{ var: 'a' }] } as Logic)).toEqual({ join: 'all', items: [{ field: 'a', op: 'empty' }] });
    expect(logicToCondition({ in: ['x', { var: 'tags' }] } as Logic)).toEqual({ join: 'all', items: [{ field: 'tags', op: 'contains', value: 'x' }] });
  });

  it('gives null for expressions the builder cannot show', () => {
    const tooComplex: unknown[] = [
      { '>': [{ '+': [{ var: 'a' }, 1] }, 3] }, // computed left side
      { '>': [{ var: 'a' }, { var: 'b' }] }, // field against field
      { and: [{ or: [{ and: [{ '==': [{ var: 'a' }, 1] }] }] }] }, // two levels of nesting
      { if: [{ var: 'a' }, true, false] },
      { '<': [1, { var: 'a' }, 3] }, // between
      { var: 'a' },
      true,
      { '==': [{ var: ['a', 5] }, 1] }, // a default value
      { '==': [{ var: 'a' }, [1]] },
    ];
    for (const l of tooComplex) expect(logicToCondition(l as Logic)).toBeNull();
  });

  it('offers operators that fit the field type', () => {
    expect(operatorsFor('checkbox')).toEqual(['checked', 'notChecked']);
    expect(operatorsFor('number')).toContain('gte');
    expect(operatorsFor('number')).not.toContain('contains');
    expect(operatorsFor('text')).toContain('contains');
    expect(operatorsFor('select')).toContain('in');
    expect(operatorsFor('multiselect')).toEqual(['contains', 'empty', 'notEmpty']);
  });
});
