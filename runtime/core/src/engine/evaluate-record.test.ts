import { describe, expect, it } from 'vitest';
import type { EvalContext, RecordData } from '../record.js';
import type { FormDefinition } from '../schema/form.js';
import { compileForm } from './compile-form.js';
import { evaluateRecord, planExternal, serialPlan, type ExternalData } from './evaluate-record.js';
import { purchaseForm } from './purchase-form.fixture.js';

const compiled = compileForm(purchaseForm(), 'test-purchase@1');
const ctx: EvalContext = { user: { id: 'u1', departments: ['d1'] }, now: new Date('2024-03-05T20:00:00Z'), timeZone: 'Asia/Shanghai' };
const external = (): ExternalData => ({
  links: {
    supplier: { s1: { city: 'Hangzhou', email: 's1@example.com' } },
    'lines.product': { p1: { name: 'Pen' }, p2: { name: 'Ink' } },
  },
  fills: {},
});
const base = (): RecordData => ({
  title: 'Laptops',
  amount: 500,
  category: 'it',
  level: 'high',
  supplier: 's1',
  lines: [{ product: 'p1', qty: 2, price: 300 }, { product: 'p2', qty: 1, price: 450.5 }],
});
const create = (input: RecordData, ext = external()) => evaluateRecord(compiled, input, ctx, ext, { mode: 'create' });
const fieldsOf = (r: { errors: { field: string; code: string }[] }) => r.errors.map((e) => `${e.field}:${e.code}`);

describe('evaluateRecord', () => {
  it('creates a record: defaults, lookups, row and top formulas', () => {
    const { data, errors } = create(base());
    expect(errors).toEqual([]);
    expect(data).toEqual({
      title: 'Laptops', amount: 500, category: 'it', level: 'high', supplier: 's1',
      dept: 'd1', state: 'draft', locked: 'fixed', supplierCity: 'Hangzhou',
      lines: [
        { product: 'p1', productName: 'Pen', qty: 2, price: 300, lineTotal: 600, rate: 500 },
        { product: 'p2', productName: 'Ink', qty: 1, price: 450.5, lineTotal: 450.5, rate: 500 },
      ],
      total: 1050.5,
      size: 'big',
    });
  });

  it('removes hidden fields and does not require them', () => {
    const { data, errors } = create({ ...base(), reason: 'because' });
    expect(errors).toEqual([]);
    expect(data).not.toHaveProperty('reason');
  });

  it('requires a visible required field, with messages in en and zh', () => {
    const r = create({ ...base(), amount: 20000 });
    expect(r.errors).toEqual([{ field: 'reason', code: 'required', message: { en: 'This field is required', zh: '此项为必填项' } }]);
    expect(create({ ...base(), amount: 20000, reason: 'big order' }).errors).toEqual([]);
    expect(fieldsOf(create({ ...base(), title: '' }))).toEqual(['title:required']);
  });

  it('applies required-if rules', () => {
    expect(fieldsOf(create({ ...base(), urgent: true }))).toEqual(['urgentNote:required']);
    expect(fieldsOf(create({ ...base(), urgent: true, urgentNote: 'asap' }))).toEqual([]);
    expect(fieldsOf(create({ ...base(), urgent: false }))).toEqual([]);
  });

  it('ignores input for read-only fields on create and keeps the default', () => {
    const { data, errors } = create({ ...base(), locked: 'hacked' });
    expect(errors).toEqual([]);
    expect(data.locked).toBe('fixed');
  });

  it('rejects a change of a read-only field on update', () => {
    const previous = { ...create(base()).data, state: 'approved' };
    const changed = evaluateRecord(compiled, { amount: 600 }, ctx, external(), { mode: 'update', previous });
    expect(fieldsOf(changed)).toEqual(['amount:readOnly']);
    expect(changed.errors[0]!.message.zh).toContain('只读');
    expect(changed.data.amount).toBe(500);
    expect(evaluateRecord(compiled, { amount: 500, title: 'Renamed' }, ctx, external(), { mode: 'update', previous }).errors).toEqual([]);
    const draft = create(base()).data;
    expect(evaluateRecord(compiled, { amount: 600 }, ctx, external(), { mode: 'update', previous: draft }).errors).toEqual([]);
  });

  it('lets the system (an automation, a workflow action) write read-only fields, but not fields locked for it, and still validates', () => {
    const previous = { ...create(base()).data, state: 'approved' };
    const trusted = (input: RecordData, locked?: ReadonlySet<string>) =>
      evaluateRecord(compiled, input, ctx, external(), { mode: 'update', previous, trusted: true, ...(locked ? { locked } : {}) });
    const r = trusted({ amount: 600, locked: 'moved on' });
    expect(r.errors).toEqual([]);
    expect(r.data).toMatchObject({ amount: 600, locked: 'moved on' });
    expect(create({ ...base(), locked: 'set by the system' }).data.locked).toBe('fixed');
    expect(evaluateRecord(compiled, { ...base(), locked: 'set by the system' }, ctx, external(), { mode: 'create', trusted: true }).data.locked).toBe('set by the system');
    expect(fieldsOf(trusted({ amount: 600 }, new Set(['amount'])))).toEqual(['amount:readOnly']);
    expect(fieldsOf(trusted({ amount: -1 }))).toEqual(['amount:minimum']);
  });

  it('filters options by rule', () => {
    const r = create({ ...base(), category: 'office', level: 'high' });
    expect(r.errors).toEqual([{ field: 'level', code: 'option', message: { en: 'This option is not allowed here', zh: '此选项当前不可选' } }]);
    expect(create({ ...base(), category: 'office', level: 'low' }).errors).toEqual([]);
  });

  it('keeps a given value over a default', () => {
    expect(create({ ...base(), dept: 'd9', state: 'approved' }).data).toMatchObject({ dept: 'd9', state: 'approved' });
    const anonymous = evaluateRecord(compiled, base(), { ...ctx, user: null }, external(), { mode: 'create' });
    expect(anonymous.data).not.toHaveProperty('dept');
  });

  it('reports unknown fields and ignores values for computed fields', () => {
    const r = create({ ...base(), bogus: 1, total: 999999, no: 'FAKE-1', supplierCity: 'Mars', __proto__x: 1 });
    expect(fieldsOf(r)).toEqual(['bogus:unknown', '__proto__x:unknown']);
    expect(r.errors[0]!.message).toEqual({ en: 'Unknown field', zh: '未知字段' });
    expect(r.data).not.toHaveProperty('bogus');
    expect(r.data).not.toHaveProperty('no');
    expect(r.data.total).toBe(1050.5);
    expect(r.data.supplierCity).toBe('Hangzhou');
  });

  it('reports wrong types and formats per field', () => {
    const r = create({
      ...base(), amount: '500', needBy: '2024-02-30', email: 'nope', contact: 'call me', tags: ['a', 'a'], urgent: 'yes',
      site: { street: 'x' }, watchers: 'u2', meetingAt: '2024-03-01 08:00', files: [{ id: 'f1', name: '../x', size: 1, type: 'text/plain' }],
    });
    expect(fieldsOf(r).sort()).toEqual([
      'amount:type', 'contact:pattern', 'email:format', 'files[0].name:pattern', 'meetingAt:format', 'needBy:format',
      'site.street:unknown', 'tags:uniqueItems', 'urgent:type', 'urgentNote:required', 'watchers:type',
    ]);
    expect(r.errors.find((e) => e.field === 'amount')!.message).toEqual({ en: 'Must be a number', zh: '必须是数字' });
    expect(r.errors.find((e) => e.field === 'needBy')!.message.zh).toBe('必须是日期（YYYY-MM-DD）');
  });

  it('reports sub-table row errors with row paths', () => {
    const r = create({ ...base(), lines: [{ qty: 1 }, { qty: 0 }, { price: 3 }, { qty: 1.5 }, { qty: 1, price: 1.234 }] });
    expect(fieldsOf(r)).toEqual(['lines[1].qty:minimum', 'lines[2].qty:required', 'lines[3].qty:type', 'lines[4].price:precision']);
    expect(r.errors[0]!.message).toEqual({ en: 'Must be at least 1', zh: '不能小于 1' });
    expect(r.errors[3]!.message.en).toBe('At most 2 digits after the decimal point');
  });

  it('checks money precision and normalizes datetimes to UTC', () => {
    expect(fieldsOf(create({ ...base(), amount: 12.345 }))).toEqual(['amount:precision']);
    expect(fieldsOf(create({ ...base(), amount: 12.340001 }))).toEqual(['amount:precision']);
    expect(create({ ...base(), amount: 12.34 }).errors).toEqual([]);
    expect(create({ ...base(), amount: 0.1 + 0.2 }).errors).toHaveLength(1);
    expect(create({ ...base(), meetingAt: '2024-03-01T08:00:00+08:00' }).data.meetingAt).toBe('2024-03-01T00:00:00.000Z');
  });

  it('reports linked records that do not exist, also in rows', () => {
    const ext = external();
    ext.links.supplier!.s9 = null;
    ext.links['lines.product']!.p9 = null;
    const r = create({ ...base(), supplier: 's9', lines: [{ product: 'p9', qty: 1 }] }, ext);
    expect(fieldsOf(r)).toEqual(['supplier:linkNotFound', 'lines[0].product:linkNotFound']);
    expect(r.errors[0]!.message).toEqual({ en: 'Linked record s9 was not found', zh: '关联的记录 s9 不存在' });
    expect(r.data).not.toHaveProperty('supplierCity');
    // not fetched (e.g. offline on a phone): not an error
    expect(create({ ...base(), supplier: 's5' }).errors).toEqual([]);
  });

  it('merges a patch over the previous data on update and recomputes', () => {
    const previous = { ...create(base()).data, no: 'PR-20240306-0001' };
    const r = evaluateRecord(compiled, { lines: [{ product: 'p2', qty: 4, price: 10 }], urgent: null }, ctx, external(), { mode: 'update', previous });
    expect(r.errors).toEqual([]);
    expect(r.data).toMatchObject({ title: 'Laptops', no: 'PR-20240306-0001', total: 40, size: 'small', state: 'draft', supplierCity: 'Hangzhou' });
    expect(r.data.lines).toEqual([{ product: 'p2', productName: 'Ink', qty: 4, price: 10, lineTotal: 40, rate: 500 }]);
    // clearing a field with null removes it
    const cleared = evaluateRecord(compiled, { category: null, level: null }, ctx, external(), { mode: 'update', previous });
    expect(cleared.data).not.toHaveProperty('category');
    // fields removed from the form since the record was stored are dropped, not reported
    const stale = evaluateRecord(compiled, { title: 'T' }, ctx, external(), { mode: 'update', previous: { ...previous, oldField: 1 } });
    expect(stale.errors).toEqual([]);
    expect(stale.data).not.toHaveProperty('oldField');
    // update does not apply defaults
    const noDept = evaluateRecord(compiled, { dept: null }, ctx, external(), { mode: 'update', previous });
    expect(noDept.data).not.toHaveProperty('dept');
  });

  it('applies value-linkage fills', () => {
    const ext = external();
    ext.fills.email = 'sales@supplier.com';
    expect(create(base(), ext).data.email).toBe('sales@supplier.com');
  });

  it('coerces formula results and never throws on bad logic', () => {
    const def: FormDefinition = {
      name: 'f',
      fields: [
        { key: 'a', type: 'number', label: 'A' },
        { key: 'b', type: 'number', label: 'B' },
        { key: 'ratio', type: 'formula', label: 'R', formula: { '/': [{ var: 'a' }, { var: 'b' }] }, precision: 2 },
        { key: 'word', type: 'formula', label: 'W', resultType: 'number', formula: { cat: ['x', { var: 'a' }] } },
        { key: 'when', type: 'formula', label: 'D', resultType: 'date', formula: { var: '$today' } },
        { key: 'big', type: 'formula', label: 'Big', resultType: 'boolean', formula: { '>': [{ var: 'ratio' }, 1] } },
        { key: 'note', type: 'text', label: 'N' },
      ],
      rules: [{ field: 'note', visible: { '/': [1, 0] }, required: true }],
    };
    const cf = compileForm(def);
    const r = evaluateRecord(cf, { a: 2, b: 3, note: 'x' }, ctx, { links: {}, fills: {} }, { mode: 'create' });
    expect(r.errors).toEqual([]);
    expect(r.data).toEqual({ a: 2, b: 3, ratio: 0.67, word: null, when: '2024-03-06', big: false });
    const zero = evaluateRecord(cf, { a: 2, b: 0 }, ctx, { links: {}, fills: {} }, { mode: 'create' });
    expect(zero.data.ratio).toBeNull();
    expect(evaluateRecord(cf, null as unknown as RecordData, ctx, { links: {}, fills: {} }, { mode: 'create' }).errors[0]!.code).toBe('type');
    expect(() => evaluateRecord(cf, { a: { $gt: '' } }, ctx, { links: {}, fills: {} }, { mode: 'create' })).not.toThrow();
  });
});

describe('rules over computed values', () => {
  it('sees formula results when a rule reads them', () => {
    const cf = compileForm({
      name: 'f',
      fields: [
        { key: 'a', type: 'number', label: 'A' },
        { key: 'double', type: 'formula', label: 'D', formula: { '*': [{ var: 'a' }, 2] } },
        { key: 'note', type: 'text', label: 'N' },
      ],
      rules: [{ field: 'note', required: { '>': [{ var: 'double' }, 10] } }],
    });
    const none = { links: {}, fills: {} };
    expect(fieldsOf(evaluateRecord(cf, { a: 6 }, ctx, none, { mode: 'create' }))).toEqual(['note:required']);
    expect(fieldsOf(evaluateRecord(cf, { a: 5 }, ctx, none, { mode: 'create' }))).toEqual([]);
  });
});

describe('planExternal', () => {
  it('lists linked records to fetch (top level and rows) and fills to look up', () => {
    const plan = planExternal(compiled, { ...base(), lines: [{ product: 'p1' }, { product: 'p2' }, { product: 'p1' }, 'junk'] }, ctx);
    expect(plan.links).toEqual([
      { path: 'supplier', form: 'suppliers', ids: ['s1'] },
      { path: 'lines.product', form: 'products', ids: ['p1', 'p2'] },
    ]);
    expect(plan.fills).toEqual([{ field: 'email', form: 'suppliers', match: { code: 's1' }, take: 'email' }]);
  });

  it('uses the previous data on update and skips empty matches', () => {
    const plan = planExternal(compiled, { title: 'x' }, ctx, { supplier: 's2' });
    expect(plan.links).toEqual([{ path: 'supplier', form: 'suppliers', ids: ['s2'] }]);
    const none = planExternal(compiled, { title: 'x', supplier: { $ne: 1 } }, ctx);
    expect(none).toEqual({ links: [], fills: [] });
    expect(planExternal(compiled, { title: 'x' }, ctx)).toEqual({ links: [], fills: [] });
  });
});

describe('serialPlan', () => {
  it('gives a counter per period and a renderer', () => {
    const [step, ...rest] = serialPlan(compiled, 'form1', ctx.now, ctx.timeZone);
    expect(rest).toEqual([]);
    expect(step!.field).toBe('no');
    expect(step!.counter).toBe('form1:no:20240306');
    expect(step!.render(7)).toBe('PR-20240306-0007');
  });
});
