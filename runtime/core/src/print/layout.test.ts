import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import type { FormDefinition } from '../schema/form.js';
import { PrintTemplateDefinitionSchema, type PrintTemplateDefinition } from '../schema/print-template.js';
import { checkPrintTemplate } from './check.js';
import { bandText, layoutPrint, type PrintRecord } from './layout.js';

const form = {
  name: 'Order',
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' } },
    { key: 'amount', type: 'money', label: 'Amount', currency: 'CNY' },
    { key: 'status', type: 'select', label: 'Status', options: [{ value: 'ok', label: { en: 'Approved', zh: '已批准' } }, 'draft'] },
    { key: 'owner', type: 'member', label: 'Owner' },
    { key: 'due', type: 'date', label: 'Due' },
    { key: 'at', type: 'datetime', label: 'At' },
    { key: 'urgent', type: 'checkbox', label: 'Urgent' },
    { key: 'supplier', type: 'link', label: 'Supplier', form: 'f2' },
    {
      key: 'lines', type: 'subtable', label: 'Lines', fields: [
        { key: 'sku', type: 'text', label: 'SKU' },
        { key: 'qty', type: 'number', label: 'Qty' },
        { key: 'price', type: 'money', label: 'Price', precision: 2 },
        { key: 'note', type: 'text', label: 'Note' },
      ],
    },
  ],
} as FormDefinition;

const template = (over: Partial<PrintTemplateDefinition> = {}): PrintTemplateDefinition => ({
  name: { en: 'Order sheet', zh: '订单' },
  paper: 'A4',
  orientation: 'portrait',
  margins: { top: 20, right: 15, bottom: 20, left: 15 },
  header: { text: 'Order {title}' },
  footer: { text: 'Page {page} of {pages} · {printedAt}' },
  body: [
    { type: 'title', text: { en: 'Purchase order {title}', zh: '采购单 {title}' } },
    { type: 'fields', columns: 2, fields: [{ field: 'amount' }, { field: 'status', label: 'State' }, { field: 'owner' }, { field: 'supplier' }, { field: 'due' }, { field: 'at' }, { field: 'urgent' }, { field: 'createdAt' }] },
    { type: 'subtable', field: 'lines', columns: [{ field: 'sku' }, { field: 'qty', label: 'Quantity' }, { field: 'price' }], totals: ['qty', 'price'] },
    { type: 'text', text: 'Total {amount}, printed {printedAt}' },
    { type: 'signatures', labels: ['Buyer', { en: 'Supplier', zh: '供应商' }] },
    { type: 'spacer', height: 10 },
    { type: 'pageBreak' },
  ],
  ...over,
});

const record: PrintRecord = {
  id: 'r1',
  createdAt: '2026-03-01T08:30:00.000Z',
  updatedAt: '2026-03-01T08:30:00.000Z',
  createdBy: 'u1',
  data: {
    title: '<b>Laptops</b>',
    amount: 1234.5,
    status: 'ok',
    owner: 'u1',
    supplier: 'rec9',
    due: '2026-04-01',
    at: '2026-03-01T23:30:00Z',
    urgent: true,
    lines: [
      { sku: 'A', qty: 2, price: 0.1, note: 'x' },
      { sku: 'B', qty: 3, price: 0.2 },
    ],
  },
};
const labels = { u1: { en: 'Ann', zh: '安' }, rec9: 'ACME Ltd' };

describe('PrintTemplateDefinition schema', () => {
  it('accepts a full template and refuses an unknown block type and a bad paper', () => {
    expect(Value.Check(PrintTemplateDefinitionSchema, template())).toBe(true);
    expect(Value.Check(PrintTemplateDefinitionSchema, template({ paper: 'A3' as 'A4' }))).toBe(false);
    expect(Value.Check(PrintTemplateDefinitionSchema, template({ body: [{ type: 'chart' } as never] }))).toBe(false);
    expect(Value.Check(PrintTemplateDefinitionSchema, template({ body: [{ type: 'fields', columns: 5, fields: [{ field: 'title' }] }] }))).toBe(false);
  });
});

describe('checkPrintTemplate', () => {
  it('accepts a sound template', () => {
    expect(checkPrintTemplate(template(), form)).toEqual([]);
  });

  it('points at each problem', () => {
    const bad = template({
      header: { text: 'Order {nope}', logo: { id: 'f1', name: 'logo.gif', type: 'image/gif' } },
      body: [
        { type: 'fields', columns: 2, fields: [{ field: 'title' }, { field: 'ghost' }, { field: 'lines' }] },
        { type: 'subtable', field: 'title' },
        { type: 'subtable', field: 'lines', columns: [{ field: 'sku' }, { field: 'zzz' }], totals: ['sku', 'price', 'qqq'] },
        { type: 'text', text: { en: 'Page {page}', zh: '{missing}' } },
        { type: 'subtable', field: 'gone' },
      ],
    });
    expect(checkPrintTemplate(bad, form).map((p) => `${p.path} ${p.code}`)).toEqual([
      'header.text unknownField',
      'header.logo imageType',
      'body[0].fields[1].field unknownField',
      'body[0].fields[2].field notScalar',
      'body[1].field notSubtable',
      'body[2].columns[1].field unknownColumn',
      'body[2].totals[0] notNumber',
      'body[2].totals[1] notPrinted',
      'body[2].totals[2] unknownColumn',
      'body[3].text.en pageOutsideBand',
      'body[3].text.zh unknownField',
      'body[4].field unknownField',
    ]);
  });
});

describe('layoutPrint', () => {
  const now = new Date('2026-03-02T01:05:00Z');

  it('resolves texts, option labels, names, numbers, dates, sub-table rows and totals', () => {
    const m = layoutPrint(template(), form, record, labels, { locale: 'en', timeZone: 'Asia/Shanghai', now });
    expect(m.name).toBe('Order sheet');
    expect(m.printedAt).toBe('2026-03-02 09:05');
    expect(m.header?.parts).toEqual([{ text: 'Order <b>Laptops</b>' }]);
    expect(bandText(m.footer!.parts, 2, 5)).toBe('Page 2 of 5 · 2026-03-02 09:05');
    expect(m.blocks[0]).toEqual({ type: 'title', text: 'Purchase order <b>Laptops</b>' });
    expect(m.blocks[1]).toEqual({
      type: 'fields', columns: 2, items: [
        { key: 'amount', label: 'Amount', value: 'CN¥1,234.50' },
        { key: 'status', label: 'State', value: 'Approved' },
        { key: 'owner', label: 'Owner', value: 'Ann' },
        { key: 'supplier', label: 'Supplier', value: 'ACME Ltd' },
        { key: 'due', label: 'Due', value: '2026-04-01' },
        { key: 'at', label: 'At', value: '2026-03-02 07:30' },
        { key: 'urgent', label: 'Urgent', value: 'Yes' },
        { key: 'createdAt', label: 'Created', value: '2026-03-01 16:30' },
      ],
    });
    expect(m.blocks[2]).toEqual({
      type: 'subtable', key: 'lines', title: 'Lines',
      columns: [
        { key: 'sku', label: 'SKU', width: 1, align: 'left' },
        { key: 'qty', label: 'Quantity', width: 1, align: 'right' },
        { key: 'price', label: 'Price', width: 1, align: 'right' },
      ],
      rows: [['A', '2', '0.10'], ['B', '3', '0.20']],
      totals: ['Total', '5', '0.30'],
    });
    expect(m.blocks[3]).toEqual({ type: 'text', text: 'Total CN¥1,234.50, printed 2026-03-02 09:05' });
    expect(m.blocks.slice(4)).toEqual([{ type: 'signatures', labels: ['Buyer', 'Supplier'] }, { type: 'spacer', height: 10 }, { type: 'pageBreak' }]);
  });

  it('speaks Chinese', () => {
    const m = layoutPrint(template(), form, record, labels, { locale: 'zh', now });
    expect(m.name).toBe('订单');
    expect(m.blocks[0]).toEqual({ type: 'title', text: '采购单 <b>Laptops</b>' });
    const fields = m.blocks[1] as Extract<typeof m.blocks[number], { type: 'fields' }>;
    expect(fields.items.find((i) => i.key === 'status')?.value).toBe('已批准');
    expect(fields.items.find((i) => i.key === 'owner')?.value).toBe('安');
    expect(fields.items.find((i) => i.key === 'urgent')?.value).toBe('是');
    expect((m.blocks[2] as { totals: string[] }).totals[0]).toBe('合计');
  });

  it('leaves out what the form (as the reader sees it) does not have', () => {
    const seen = {
      ...form,
      fields: form.fields.filter((f) => f.key !== 'amount').map((f) => (f.type === 'subtable' ? { ...f, fields: f.fields!.filter((s) => s.key !== 'price') } : f)),
    } as FormDefinition;
    const data = { ...record.data };
    delete data.amount;
    const m = layoutPrint(template(), seen, { ...record, data }, labels, { now });
    const fields = m.blocks[1] as { items: { key: string }[] };
    expect(fields.items.map((i) => i.key)).not.toContain('amount');
    const table = m.blocks[2] as { columns: { key: string }[]; totals: string[] };
    expect(table.columns.map((c) => c.key)).toEqual(['sku', 'qty']);
    expect(table.totals).toEqual(['Total', '5']);
    expect(m.blocks[3]).toEqual({ type: 'text', text: 'Total , printed 2026-03-02 01:05' });
  });

  it('prints every column when none are chosen, and no totals row without totals', () => {
    const m = layoutPrint(template({ body: [{ type: 'subtable', field: 'lines' }] }), form, record, labels, { now });
    expect(m.blocks[0]).toMatchObject({ columns: [{ key: 'sku' }, { key: 'qty' }, { key: 'price' }, { key: 'note' }], rows: [['A', '2', '0.10', 'x'], ['B', '3', '0.20', '']], totals: null });
  });
});
