import { describe, expect, it } from 'vitest';
import { checkFormDefinition } from '../engine/check-definition.js';
import { compileForm } from '../engine/compile-form.js';
import { evaluateRecord } from '../engine/evaluate-record.js';
import type { FormDefinition } from '../schema/form.js';
import type { WorkflowDefinition } from '../schema/workflow.js';
import { renameField, whereUsed } from './where-used.js';

const order: FormDefinition = {
  name: 'Order',
  titleField: 'no',
  fields: [
    { key: 'no', type: 'text', label: 'No.' },
    { key: 'customer', type: 'link', label: 'Customer', form: 'cust' },
    { key: 'city', type: 'lookup', label: 'City', link: 'customer', field: 'city' },
    { key: 'rate', type: 'number', label: 'Rate' },
    { key: 'amount', type: 'money', label: 'Amount' },
    { key: 'approver', type: 'member', label: 'Approver' },
    { key: 'due', type: 'date', label: 'Due' },
    { key: 'reason', type: 'textarea', label: 'Reason' },
    {
      key: 'lines', type: 'subtable', label: 'Lines', fields: [
        { key: 'qty', type: 'number', label: 'Qty' },
        { key: 'price', type: 'number', label: 'Price' },
        { key: 'total', type: 'formula', label: 'Total', formula: { '*': [{ var: 'qty' }, { var: 'price' }, { var: '$parent.rate' }] } },
      ],
    },
    { key: 'sum', type: 'formula', label: 'Sum', formula: { '+': [{ sumOf: [{ var: 'lines' }, 'total'] }, { var: 'amount' }] } },
    { key: 'maxQty', type: 'formula', label: 'Max qty', formula: { max: [{ map: [{ var: 'lines' }, { var: 'qty' }] }] } },
  ],
  rules: [
    { field: 'reason', visible: { '>': [{ var: 'amount' }, 10000] }, required: { '>': [{ var: 'sum' }, 50000] } },
    { field: 'amount', readOnly: { '!!': { var: 'no' } } },
    { field: 'rate', fill: { form: 'rates', match: { city: { var: 'city' } }, take: 'rate' } },
  ],
};

const invoice: FormDefinition = {
  name: 'Invoice',
  fields: [
    { key: 'order', type: 'link', label: 'Order', form: 'ord', displayField: 'no' },
    { key: 'orderAmount', type: 'lookup', label: 'Order amount', link: 'order', field: 'amount' },
    { key: 'other', type: 'link', label: 'Other', form: 'elsewhere' },
    { key: 'otherAmount', type: 'lookup', label: 'Other amount', link: 'other', field: 'amount' },
    { key: 'copied', type: 'money', label: 'Copied' },
  ],
  rules: [{ field: 'copied', fill: { form: 'ord', match: { no: { var: 'order' } }, take: 'amount' } }],
};

const workflow: WorkflowDefinition = {
  nodes: [
    { id: 'start', type: 'start' },
    { id: 'check', type: 'condition' },
    { id: 'boss', type: 'approval', mode: 'any', assignees: [{ type: 'field', field: 'approver' }], fields: { amount: 'editable', reason: 'readOnly' } },
    { id: 'wait', type: 'delay', until: 'due' },
    { id: 'copy', type: 'action', action: { type: 'createRecord', form: 'archive', values: { total: { var: 'amount' }, rows: { rows: 'lines', values: { q: { var: 'qty' } } } } } },
    { id: 'end', type: 'end' },
  ],
  edges: [
    { from: 'start', to: 'check' },
    { from: 'check', to: 'boss', condition: { '>': [{ var: 'amount' }, 1000] } },
    { from: 'check', to: 'wait', default: true },
    { from: 'boss', to: 'copy' },
    { from: 'wait', to: 'copy' },
    { from: 'copy', to: 'end' },
  ],
  automations: [
    { id: 'nudge', on: { event: 'fieldChanged', fields: ['amount'] }, actions: [{ type: 'updateRecords', form: 'ord', filter: { field: 'amount', op: 'gt', value: 0 }, values: { reason: 'x' } }] },
  ],
};

const input = (field: string) => ({
  formId: 'ord', form: order, field,
  otherForms: [{ id: 'inv', name: 'Invoice', definition: invoice }, { id: 'ord', definition: order }],
  workflow,
  dashboards: [{ id: 'd1', name: 'Sales', widgets: [{ id: 'w1', form: 'ord', metrics: [{ op: 'sum', field: 'amount' }] }, { id: 'w2', form: 'other', groupBy: [{ field: 'amount' }] }] }],
});

describe('whereUsed', () => {
  it('lists every reference to a top-level field across the form, other forms, the workflow and dashboards', () => {
    const found = whereUsed(input('amount')).map((u) => `${u.scope}:${u.kind}:${u.path}${u.id ? `@${u.id}` : ''}`);
    expect(found.sort()).toEqual([
      'dashboard:dashboard:widgets[0]@d1',
      'form:formula:fields[9].formula',
      'form:rule:rules[0].visible',
      'form:ruleTarget:rules[1]',
      'otherForm:otherFill:rules[0].fill@inv',
      'otherForm:otherLookup:fields[1].field@inv',
      'workflow:workflowAction:automations[0].actions[0]',
      'workflow:workflowAction:nodes[4].action',
      'workflow:workflowCondition:edges[1].condition',
      'workflow:workflowFields:nodes[2].fields',
      'workflow:workflowTrigger:automations[0].on',
    ].sort());
  });

  it('finds links, lookups, title fields, assignees, delays and fill matches', () => {
    const kinds = (f: string) => whereUsed(input(f)).map((u) => u.kind).sort();
    expect(kinds('no')).toEqual(['otherFill', 'otherLink', 'rule', 'titleField']);
    expect(kinds('customer')).toEqual(['lookup']);
    expect(kinds('city')).toEqual(['fill']);
    expect(kinds('approver')).toEqual(['workflowAssignee']);
    expect(kinds('due')).toEqual(['workflowDelay']);
    expect(kinds('rate')).toEqual(['formula', 'ruleTarget']); // the row formula reads $parent.rate
    expect(kinds('lines')).toEqual(['formula', 'formula', 'workflowAction']);
    expect(whereUsed({ formId: 'ord', form: order, field: 'reason' }).map((u) => u.kind)).toEqual(['ruleTarget']);
  });

  it('finds the references to a field of a sub-table', () => {
    const qty = whereUsed(input('lines.qty')).map((u) => `${u.kind}:${u.path}`).sort();
    expect(qty).toEqual(['formula:fields[10].formula', 'formula:fields[8].fields[2].formula', 'workflowAction:nodes[4].action']);
    expect(whereUsed(input('lines.total')).map((u) => `${u.kind}:${u.path}`)).toEqual(['formula:fields[9].formula']);
    expect(whereUsed(input('lines.price')).map((u) => u.path)).toEqual(['fields[8].fields[2].formula']);
  });

  it('finds a sub-table that makes one record per row, and the columns its values read', () => {
    const perRow: WorkflowDefinition = {
      nodes: [{ id: 'split', type: 'action', action: { type: 'createRecord', form: 'archive', forEach: 'lines', values: { item: { var: 'price' }, of: { var: 'record.no' } } } }],
      edges: [],
    };
    const found = (field: string) => whereUsed({ formId: 'ord', form: order, field, workflow: perRow }).filter((u) => u.scope === 'workflow').map((u) => `${u.kind}:${u.path}`);
    expect(found('lines')).toEqual(['workflowAction:nodes[0].action']);
    expect(found('lines.price')).toEqual(['workflowAction:nodes[0].action']);
    expect(found('lines.qty')).toEqual([]);
  });

  it('gives nothing for a field nobody refers to', () => {
    const lonely: FormDefinition = { name: 'x', fields: [{ key: 'a', type: 'text', label: 'A' }] };
    expect(whereUsed({ formId: 'x', form: lonely, field: 'a', workflow: { nodes: [], edges: [] } })).toEqual([]);
  });
});

describe('renameField', () => {
  it('renames a field and rewrites the references inside its form', () => {
    const next = renameField(order, 'amount', 'total_amount');
    expect(checkFormDefinition(next)).toEqual([]);
    expect(next.fields[4]!.key).toBe('total_amount');
    expect(next.fields[9]!.formula).toEqual({ '+': [{ sumOf: [{ var: 'lines' }, 'total'] }, { var: 'total_amount' }] });
    expect(next.rules![0]!.visible).toEqual({ '>': [{ var: 'total_amount' }, 10000] });
    expect(next.rules![1]!.field).toBe('total_amount');
    expect(whereUsed({ formId: 'ord', form: next, field: 'amount' })).toEqual([]);
    // the original is untouched
    expect(order.fields[4]!.key).toBe('amount');
  });

  it('renames link fields in lookups, the title field, fill matches and $parent in rows', () => {
    const a = renameField(order, 'customer', 'client');
    expect(a.fields[2]!.link).toBe('client');
    const b = renameField(order, 'no', 'number');
    expect(b.titleField).toBe('number');
    expect(b.rules![1]!.readOnly).toEqual({ '!!': { var: 'number' } });
    const c = renameField(order, 'city', 'town');
    expect(c.rules![2]!.fill!.match).toEqual({ city: { var: 'town' } });
    const d = renameField(order, 'rate', 'factor');
    expect(d.fields[8]!.fields![2]!.formula).toEqual({ '*': [{ var: 'qty' }, { var: 'price' }, { var: '$parent.factor' }] });
    expect(d.rules![2]!.field).toBe('factor');
    for (const def of [a, b, c, d]) expect(checkFormDefinition(def)).toEqual([]);
  });

  it('renames a field of a sub-table in row formulas, column operators and iterator bodies', () => {
    const next = renameField(order, 'lines.qty', 'quantity');
    expect(checkFormDefinition(next)).toEqual([]);
    expect(next.fields[8]!.fields![0]!.key).toBe('quantity');
    expect(next.fields[8]!.fields![2]!.formula).toEqual({ '*': [{ var: 'quantity' }, { var: 'price' }, { var: '$parent.rate' }] });
    expect(next.fields[10]!.formula).toEqual({ max: [{ map: [{ var: 'lines' }, { var: 'quantity' }] }] });
    const total = renameField(order, 'lines.total', 'line_total');
    expect(total.fields[9]!.formula).toEqual({ '+': [{ sumOf: [{ var: 'lines' }, 'line_total'] }, { var: 'amount' }] });
    // and the renamed form computes the same values
    const ctx = { user: null, now: new Date('2024-01-01T00:00:00Z') };
    const data = { rate: 2, amount: 5, lines: [{ quantity: 2, price: 3 }] };
    const r = evaluateRecord(compileForm(next), data, ctx, { links: {}, fills: {} }, { mode: 'create' });
    expect(r.errors).toEqual([]);
    expect(r.data.sum).toBe(17);
    expect(r.data.maxQty).toBe(2);
  });
});
