import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../schema/form.js';
import { clearCompiledForms, compileForm } from './compile-form.js';
import { TrellisError } from '../errors.js';
import { purchaseForm } from './purchase-form.fixture.js';

describe('compileForm', () => {
  const c = compileForm(purchaseForm());
  const props = c.jsonSchema.properties as Record<string, Record<string, unknown>>;

  it('builds a closed object schema with static required input fields and English titles', () => {
    expect(c.jsonSchema).toMatchObject({ type: 'object', additionalProperties: false, title: 'Purchase request', required: ['title', 'reason'] });
    expect(props.title).toEqual({ type: 'string', maxLength: 200, title: 'Title' });
    expect(props.amount).toMatchObject({ type: 'number', minimum: 0 });
    expect(props.meetingAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(props.lines).toMatchObject({ type: 'array', maxItems: 50, items: { type: 'object', required: ['qty'], additionalProperties: false } });
  });

  it('keeps computed fields as read-only properties', () => {
    for (const k of ['total', 'size', 'no', 'supplierCity']) expect(props[k]!.readOnly, k).toBe(true);
    expect(props.locked!.readOnly).toBe(true);
    expect(props.title!.readOnly).toBeUndefined();
  });

  it('builds the uiSchema: order, widgets, read-only, options', () => {
    const ui = c.uiSchema as Record<string, Record<string, unknown>>;
    expect(c.uiSchema['ui:order']).toEqual(purchaseForm().fields.map((f) => f.key));
    expect(ui.reason!['ui:widget']).toBe('textarea');
    expect(ui.amount!['ui:widget']).toBe('updown');
    expect(ui.tags!['ui:widget']).toBe('checkboxes');
    expect(ui.total!['ui:readonly']).toBe(true);
    expect(ui.no!['ui:readonly']).toBe(true);
    expect(ui.title!['ui:readonly']).toBeUndefined();
    expect(ui.title!['ui:options']).toMatchObject({ type: 'text', labelZh: '标题' });
    expect(ui.watchers!['ui:options']).toMatchObject({ type: 'member', multiple: true });
    expect(ui.supplier!['ui:options']).toMatchObject({ type: 'link', form: 'suppliers' });
    expect(ui.amount!['ui:options']).toMatchObject({ precision: 2 });
    expect((ui.category!['ui:options'] as { labels: unknown[] }).labels[1]).toEqual({ value: 'it', en: 'IT', zh: '信息技术', color: undefined });
    expect(ui.lines!.items).toMatchObject({ 'ui:order': ['product', 'productName', 'qty', 'price', 'lineTotal', 'rate'], lineTotal: { 'ui:readonly': true } });
  });

  it('indexes fields and rules, orders formulas', () => {
    expect(c.fields.get('lines')?.type).toBe('subtable');
    expect(c.fields.size).toBe(purchaseForm().fields.length);
    expect(c.rules.get('reason')?.visible).toEqual({ '>': [{ var: 'amount' }, 10000] });
    expect(c.formulaOrder).toEqual(['total', 'size']);
    expect(c.rowFormulaOrder.get('lines')).toEqual(['lineTotal', 'rate']);
  });

  it('orders formulas by dependency, not by position', () => {
    const def: FormDefinition = {
      name: 'x',
      fields: [
        { key: 'c', type: 'formula', label: 'C', formula: { '+': [{ var: 'b' }, 1] } },
        { key: 'b', type: 'formula', label: 'B', formula: { '+': [{ var: 'a' }, 1] } },
        { key: 'a', type: 'number', label: 'A' },
      ],
      rules: [
        { field: 'a', visible: { var: 'c' } },
        { field: 'a', visible: true, required: false },
        { field: 'a', required: true },
      ],
    };
    const cf = compileForm(def);
    expect(cf.formulaOrder).toEqual(['b', 'c']);
    expect(cf.rulesReadComputed).toBe(true);
    expect(c.rulesReadComputed).toBe(false);
    expect(cf.rules.get('a')).toEqual({ visible: { and: [{ var: 'c' }, true] }, required: { or: [false, true] } });
  });

  it('compiles a working validator', () => {
    expect(c.validator({ title: 'x', reason: 'r', lines: [{ qty: 2 }] })).toBe(true);
    expect(c.validator({ title: 'x', lines: [{ qty: 'two' }] })).toBe(false);
    expect(c.validator({ title: 'x', bogus: 1 })).toBe(false);
  });

  it('refuses an invalid definition', () => {
    expect(() => compileForm({ name: 'x', fields: [{ key: 'a', type: 'select', label: 'A' }] })).toThrow(/needs options/);
  });

  it('caches by key in a bounded LRU', () => {
    clearCompiledForms();
    const def: FormDefinition = { name: 'x', fields: [{ key: 'a', type: 'text', label: 'A' }] };
    const first = compileForm(def, 'f1@1');
    expect(compileForm(def, 'f1@1')).toBe(first);
    expect(compileForm(def)).not.toBe(first);
    for (let i = 0; i < 500; i++) compileForm(def, `other@${i}`);
    expect(compileForm(def, 'f1@1')).not.toBe(first);
    const again = compileForm(def, 'f1@1');
    compileForm(def, 'x@1');
    expect(compileForm(def, 'f1@1')).toBe(again);
    clearCompiledForms('f1@1');
    expect(compileForm(def, 'f1@1')).not.toBe(again);
  });
});

describe('compileForm for a definition the server published', () => {
  const broken = { name: 'F', fields: [{ key: 'a', type: 'select', label: 'A' }, { key: 'a', type: 'text', label: 'Again' }] } as unknown as FormDefinition;
  it('checks a draft and refuses its problems', () => {
    expect(() => compileForm(broken)).toThrow(TrellisError);
  });
  it('skips the check when told the definition is trusted (already checked on publish)', () => {
    const ok = { name: 'F', fields: [{ key: 'a', type: 'text', label: 'A', required: true }] } as FormDefinition;
    const compiled = compileForm(ok, undefined, { trusted: true });
    expect(compiled.jsonSchema.required).toEqual(['a']);
    expect(() => compileForm(broken, undefined, { trusted: true })).not.toThrow();
  });
});
