import { describe, expect, it } from 'vitest';
import { checkPrintTemplate, PRINT_BLOCK_TYPES, type FormDefinition } from '@trellis/core';
import { move, newBlock, problemsByBlock, starterTemplate } from './model';

const form = {
  name: { en: 'Order', zh: '订单' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: 'Title' },
    { key: 'amount', type: 'money', label: 'Amount' },
    { key: 'lines', type: 'subtable', label: 'Lines', fields: [{ key: 'sku', type: 'text', label: 'SKU' }, { key: 'qty', type: 'number', label: 'Qty' }] },
  ],
} as FormDefinition;

describe('print template editor model', () => {
  it('starts from a template the server accepts: every field, each sub-table with totals of its number columns', () => {
    const t = starterTemplate(form);
    expect(checkPrintTemplate(t, form)).toEqual([]);
    expect(t.body).toEqual([
      { type: 'title', text: { en: 'Order', zh: '订单' } },
      { type: 'fields', columns: 2, fields: [{ field: 'title' }, { field: 'amount' }] },
      { type: 'subtable', field: 'lines', totals: ['qty'] },
    ]);
  });

  it('makes new blocks of every type that fit the form', () => {
    const t = { ...starterTemplate(form), body: PRINT_BLOCK_TYPES.map((type) => newBlock(type, form)) };
    expect(checkPrintTemplate(t, form)).toEqual([]);
  });

  it('moves blocks within bounds and sorts problems by block', () => {
    expect(move([1, 2, 3], 0, 1)).toEqual([2, 1, 3]);
    expect(move([1, 2, 3], 2, 1)).toEqual([1, 2, 3]);
    expect(move([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
    const by = problemsByBlock([{ path: 'body[2].field', code: 'x', message: 'a' }, { path: 'header.text', code: 'y', message: 'b' }]);
    expect(by.get(2)?.map((p) => p.message)).toEqual(['a']);
    expect(by.get(-1)?.map((p) => p.message)).toEqual(['b']);
  });
});
