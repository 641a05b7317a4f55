import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '@trellis/core';
import { assignColumn, defaultKeyField, importableFields, importOptions, initialMapping, keyFieldChoices, pollDelay, requiredUnmapped, rowCount, sampleValues } from './mapping';

const order = {
  name: { en: 'Order', zh: '订单' },
  fields: [
    { key: 'no', type: 'serial', label: { en: 'No.', zh: '编号' }, pattern: 'O-{000}' },
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'qty', type: 'number', label: { en: 'Quantity', zh: '数量' }, required: true },
    { key: 'kind', type: 'select', label: { en: 'Kind', zh: '类型' }, options: ['a', 'b'] },
    { key: 'customer', type: 'link', label: { en: 'Customer', zh: '客户' }, form: 'customers' },
    { key: 'total', type: 'formula', label: { en: 'Total', zh: '合计' }, formula: { '*': [{ var: 'qty' }, 2] } },
  ],
} as FormDefinition;

const customers = {
  name: { en: 'Customer', zh: '客户' },
  titleField: 'name',
  fields: [
    { key: 'code', type: 'text', label: { en: 'Code', zh: '代码' } },
    { key: 'name', type: 'text', label: { en: 'Name', zh: '名称' } },
    { key: 'no', type: 'serial', label: { en: 'No.', zh: '编号' }, pattern: 'C-{000}' },
    { key: 'rank', type: 'number', label: { en: 'Rank', zh: '等级' } },
    { key: 'tags', type: 'multiselect', label: { en: 'Tags', zh: '标签' }, options: ['x'] },
    { key: 'owner', type: 'member', label: { en: 'Owner', zh: '负责人' } },
    { key: 'since', type: 'date', label: { en: 'Since', zh: '起始' } },
  ],
} as FormDefinition;

describe('import mapping', () => {
  it('offers every field but the computed ones', () => {
    expect(importableFields(order).map((f) => f.key)).toEqual(['title', 'qty', 'kind', 'customer']);
  });

  it('starts from the suggestion, naming every column, and drops a computed or repeated field', () => {
    const m = initialMapping({ columns: ['Title', 'Amount', 'No.', 'Name', 'x'], mapping: { Title: 'title', 'No.': 'no', Name: 'title', x: 'gone' } }, order);
    expect(m).toEqual({ Title: 'title', Amount: '', 'No.': '', Name: '', x: '' });
  });

  it('keeps the choices made for columns of the same name when a fixed file is chosen', () => {
    const previous = { Title: '', Amount: 'qty', Name: 'title' };
    const m = initialMapping({ columns: ['Title', 'Amount', 'Name', 'Kind'], mapping: { Title: 'title', Kind: 'kind' } }, order, previous);
    expect(m).toEqual({ Title: '', Amount: 'qty', Name: 'title', Kind: 'kind' });
    expect(Object.keys(m)).toEqual(['Title', 'Amount', 'Name', 'Kind']);
    // a suggestion does not take a field a kept choice holds
    expect(initialMapping({ columns: ['Name', 'Title'], mapping: { Title: 'title' } }, order, { Name: 'title' })).toEqual({ Name: 'title', Title: '' });
  });

  it('moves a field from the column that had it to the one chosen, and skips with ""', () => {
    const m = { A: 'title', B: 'qty', C: '' };
    expect(assignColumn(m, 'C', 'title')).toEqual({ A: '', B: 'qty', C: 'title' });
    expect(assignColumn(m, 'B', '')).toEqual({ A: 'title', B: '', C: '' });
    expect(m).toEqual({ A: 'title', B: 'qty', C: '' });
  });

  it('flags the required fields no column goes to', () => {
    expect(requiredUnmapped(order, { A: 'title', B: '' }).map((f) => f.key)).toEqual(['qty']);
    expect(requiredUnmapped(order, { A: 'title', B: 'qty' })).toEqual([]);
  });

  it('offers single text and number fields of the linked form as key fields, the title field first choice', () => {
    expect(keyFieldChoices(customers).map((f) => f.key)).toEqual(['code', 'name', 'no', 'rank']);
    expect(defaultKeyField(customers)).toBe('name');
    expect(defaultKeyField({ ...customers, titleField: 'since' })).toBe('code');
    expect(defaultKeyField({ ...customers, fields: [customers.fields[6]!] })).toBe('');
  });

  it('builds the request options: every column, key fields only for mapped link columns with a key', () => {
    expect(importOptions(order, { A: 'title', B: 'customer', C: '' }, { customer: 'code' }, true)).toEqual({
      mapping: { A: 'title', B: 'customer', C: '' }, linkKeys: { customer: 'code' }, dryRun: true,
    });
    expect(importOptions(order, { A: 'title', B: '' }, { customer: 'code' }, false)).toEqual({ mapping: { A: 'title', B: '' }, dryRun: false });
    expect(importOptions(order, { B: 'customer' }, { customer: '' }, false)).toEqual({ mapping: { B: 'customer' }, dryRun: false });
  });

  it('shows up to three non-empty sample values of a column', () => {
    expect(sampleValues([['a', ''], ['', ' '], ['b', 'x'], ['c', 'y'], ['d', 'z']], 0)).toEqual(['a', 'b', 'c']);
    expect(sampleValues([['a', ''], ['b']], 1)).toEqual([]);
  });

  it('counts rows in words', () => {
    expect([0, 1, 2].map((n) => rowCount(n).en)).toEqual(['0 rows', '1 row', '2 rows']);
    expect(rowCount(1).zh).toBe('1 行');
  });

  it('polls a job after 500 ms, backing off to at most 2 s', () => {
    expect([0, 1, 2, 3, 4, 10].map(pollDelay)).toEqual([500, 750, 1125, 1688, 2000, 2000]);
  });
});
