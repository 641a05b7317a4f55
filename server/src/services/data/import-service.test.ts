import { describe, expect, it } from 'vitest';
import { compileForm, TrellisError, type FormDefinition } from '@trellis/core';
import { columnPlan } from './import-service.js';

const def: FormDefinition = {
  name: { en: 'Order', zh: '订单' },
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' } },
    { key: 'qty', type: 'number', label: { en: 'Quantity', zh: '数量' } },
    { key: 'no', type: 'serial', label: { en: 'No.', zh: '编号' }, pattern: 'N-{000}' },
  ],
} as FormDefinition;
const compiled = compileForm(def);
const none = new Set<string>();

describe('columnPlan', () => {
  it('takes the automatic mapping for columns the given mapping does not name', () => {
    expect(columnPlan(compiled, ['Title', 'Quantity', 'Other'], { Other: 'qty', Quantity: '' }, none)).toEqual([
      { column: 'Title', index: 0, key: 'title' },
      { column: 'Other', index: 2, key: 'qty' },
    ]);
  });

  it('skips a column mapped to "" even when its header matches a field', () => {
    expect(columnPlan(compiled, ['Title', 'qty'], { Title: '', qty: '' }, none)).toEqual([]);
  });

  it('refuses an unknown column, an unknown, hidden or computed field and two columns for one field', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof TrellisError ? `${e.code}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    expect(code(() => columnPlan(compiled, ['Title'], { Nope: '' }, none))).toBe('BAD_REQUEST: The mapping names column "Nope", which the file does not have');
    expect(code(() => columnPlan(compiled, ['Title'], { Title: 'nope' }, none))).toContain('field "nope"');
    expect(code(() => columnPlan(compiled, ['Title'], { Title: 'title' }, new Set(['title'])))).toContain('field "title"');
    expect(code(() => columnPlan(compiled, ['Title'], { Title: 'no' }, none))).toContain('computed');
    expect(code(() => columnPlan(compiled, ['Title', 'Name'], { Name: 'title' }, none))).toBe('BAD_REQUEST: Two columns go to field "title"');
  });
});
