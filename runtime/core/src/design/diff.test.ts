import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../schema/form.js';
import { describeChange, diffForms } from './diff.js';

const v1: FormDefinition = {
  name: { en: 'Request', zh: '申请' },
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'amount', type: 'number', label: 'Amount' },
    { key: 'status', type: 'select', label: 'Status', options: ['draft', 'sent', { value: 'done', label: 'Done' }] },
    { key: 'note', type: 'textarea', label: 'Note' },
    { key: 'lines', type: 'subtable', label: 'Lines', fields: [{ key: 'sku', type: 'text', label: 'SKU' }, { key: 'qty', type: 'number', label: 'Qty' }] },
    { key: 'total', type: 'formula', label: 'Total', formula: { sumOf: [{ var: 'lines' }, 'qty'] } },
  ],
  rules: [{ field: 'note', visible: { '>': [{ var: 'amount' }, 100] } }],
};

describe('diffForms', () => {
  it('reports nothing between equal definitions, whatever the key order', () => {
    const copy = JSON.parse(JSON.stringify(v1)) as FormDefinition;
    copy.fields[0] = { required: true, label: { zh: '标题', en: 'Title' }, type: 'text', key: 'title' };
    expect(diffForms(v1, copy)).toEqual([]);
  });

  it('lists every field and rule as added on a first publish', () => {
    const kinds = diffForms(null, v1).map((c) => c.kind);
    expect(kinds.filter((k) => k === 'fieldAdded')).toHaveLength(6);
    expect(kinds).toContain('ruleAdded');
  });

  it('reports added, removed, relabeled, retyped fields, options, settings and rules', () => {
    const v2: FormDefinition = {
      ...v1,
      name: { en: 'Purchase request', zh: '申请' },
      fields: [
        { key: 'title', type: 'text', label: { en: 'Subject', zh: '标题' }, required: true, maxLength: 80 },
        { key: 'amount', type: 'money', label: 'Amount' },
        { key: 'status', type: 'select', label: 'Status', options: ['draft', { value: 'done', label: 'Finished' }, 'cancelled'] },
        { key: 'lines', type: 'subtable', label: 'Lines', fields: [{ key: 'sku', type: 'text', label: 'SKU' }, { key: 'qty', type: 'number', label: 'Qty' }, { key: 'price', type: 'money', label: 'Price' }] },
        { key: 'total', type: 'formula', label: 'Total', formula: { sumOf: [{ var: 'lines' }, 'price'] } },
        { key: 'urgent', type: 'checkbox', label: 'Urgent' },
      ],
      rules: [{ field: 'amount', required: { var: 'urgent' } }],
    };
    const changes = diffForms(v1, v2);
    expect(changes).toEqual(expect.arrayContaining([
      { kind: 'formRenamed', from: v1.name, to: v2.name },
      { kind: 'fieldRelabeled', path: 'title', from: { en: 'Title', zh: '标题' }, to: { en: 'Subject', zh: '标题' } },
      { kind: 'fieldSettingsChanged', path: 'title', settings: ['maxLength'] },
      { kind: 'fieldRetyped', path: 'amount', from: 'number', to: 'money' },
      { kind: 'optionsChanged', path: 'status', added: ['cancelled'], removed: ['sent'], relabeled: ['done'] },
      { kind: 'fieldRemoved', path: 'note', type: 'textarea', label: 'Note' },
      { kind: 'fieldAdded', path: 'lines.price', type: 'money', label: 'Price' },
      { kind: 'fieldSettingsChanged', path: 'total', settings: ['formula'] },
      { kind: 'fieldAdded', path: 'urgent', type: 'checkbox', label: 'Urgent' },
      { kind: 'ruleRemoved', field: 'note', part: 'visible' },
      { kind: 'ruleAdded', field: 'amount', part: 'required' },
    ]));
    expect(changes).toHaveLength(11);
    for (const c of changes) expect(describeChange(c)).toMatch(/\w/);
  });

  it('reports a key rename once, not as a removal, an addition and changed rules', () => {
    const v2: FormDefinition = {
      ...v1,
      fields: v1.fields.map((f) => (f.key === 'amount' ? { ...f, key: 'sum' } : f.key === 'lines' ? { ...f, fields: [f.fields![0]!, { ...f.fields![1]!, key: 'quantity' }] } : f))
        .map((f) => (f.key === 'total' ? { ...f, formula: { sumOf: [{ var: 'lines' }, 'quantity'] } } : f)),
      rules: [{ field: 'note', visible: { '>': [{ var: 'sum' }, 100] } }],
    };
    expect(diffForms(v1, v2)).toEqual([
      { kind: 'fieldRenamed', path: 'amount', from: 'amount', to: 'sum', label: 'Amount' },
      { kind: 'fieldRenamed', path: 'lines.qty', from: 'qty', to: 'quantity', label: 'Qty' },
    ]);
  });

  it('reports reordering and changed rule expressions', () => {
    const v2: FormDefinition = {
      ...v1,
      fields: [v1.fields[1]!, v1.fields[0]!, ...v1.fields.slice(2)],
      rules: [{ field: 'note', visible: { '>': [{ var: 'amount' }, 500] } }, { field: 'status', fill: { form: 'f2', match: { k: { var: 'title' } }, take: 'status' } }],
    };
    expect(diffForms(v1, v2)).toEqual([
      { kind: 'fieldsReordered' },
      { kind: 'ruleChanged', field: 'note', part: 'visible' },
      { kind: 'ruleAdded', field: 'status', part: 'fill' },
    ]);
  });
});
