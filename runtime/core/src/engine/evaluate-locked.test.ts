import { describe, expect, it } from 'vitest';
import type { EvalContext, RecordData } from '../record.js';
import { compileForm } from './compile-form.js';
import { evaluateRecord, planExternal, type ExternalData } from './evaluate-record.js';
import { purchaseForm } from './purchase-form.fixture.js';

// `locked` carries the fields a person may not set by permission (FormAccess.locked).
const compiled = compileForm(purchaseForm(), 'test-purchase@1');
const ctx: EvalContext = { user: { id: 'u1', departments: ['d1'] }, now: new Date('2024-03-05T20:00:00Z'), timeZone: 'Asia/Shanghai' };
const external = (fills: Record<string, unknown> = {}): ExternalData => ({ links: { supplier: { s1: { city: 'Hangzhou' } } }, fills });
const base = (): RecordData => ({ title: 'Laptops', amount: 500, supplier: 's1' });
const fieldsOf = (r: { errors: { field: string; code: string }[] }) => r.errors.map((e) => `${e.field}:${e.code}`);

const create = (input: RecordData, locked?: string[], ext = external()) =>
  evaluateRecord(compiled, input, ctx, ext, { mode: 'create', locked: locked && new Set(locked) });
const stored = (): RecordData => create(base()).data;
const update = (input: RecordData, previous: RecordData, locked?: string[]) =>
  evaluateRecord(compiled, input, ctx, external(), { mode: 'update', previous, locked: locked && new Set(locked) });

describe('evaluateRecord with fields locked for the caller', () => {
  it('a caller who may not set the state cannot submit an approved request: the default applies', () => {
    expect(create({ ...base(), state: 'approved' }).data.state).toBe('approved');
    const r = create({ ...base(), state: 'approved' }, ['state']);
    expect(r.errors).toEqual([]);
    expect(r.data.state).toBe('draft');
  });

  it('a value sent for a locked field without a default is dropped on create', () => {
    const r = create({ ...base(), code: 'X-1' }, ['code']);
    expect(r.errors).toEqual([]);
    expect(r.data).not.toHaveProperty('code');
  });

  it('a locked field the caller leaves out still gets its default', () => {
    expect(create(base(), ['state']).data.state).toBe('draft');
  });

  it('changing a locked field on update is refused and the stored value kept', () => {
    const previous = stored();
    expect(fieldsOf(update({ state: 'approved' }, previous))).toEqual([]);
    const r = update({ state: 'approved', title: 'Renamed' }, previous, ['state']);
    expect(fieldsOf(r)).toEqual(['state:readOnly']);
    expect(r.errors[0]!.message.en).toMatch(/read-only/i);
    expect(r.data.state).toBe('draft');
  });

  it('sending the unchanged value of a locked field is fine', () => {
    const r = update({ state: 'draft', amount: 600, title: 'Renamed' }, stored(), ['state']);
    expect(r.errors).toEqual([]);
    expect(r.data).toMatchObject({ state: 'draft', amount: 600, title: 'Renamed' });
  });

  it('a caller cannot clear a locked field', () => {
    const r = update({ state: null }, stored(), ['state']);
    expect(fieldsOf(r)).toEqual(['state:readOnly']);
    expect(r.data.state).toBe('draft');
  });

  it('a caller who saves without a field hidden from them keeps its stored value', () => {
    const r = update({ title: 'Renamed' }, stored(), ['amount']);
    expect(r.errors).toEqual([]);
    expect(r.data).toMatchObject({ title: 'Renamed', amount: 500 });
  });

  it('a required field locked for the caller is not required of them', () => {
    const { title: _title, ...untitled } = base();
    expect(fieldsOf(create(untitled))).toEqual(['title:required']);
    expect(fieldsOf(create(untitled, ['title']))).toEqual([]);
    expect(fieldsOf(update({ amount: 700 }, { ...stored(), title: undefined }, ['title']))).toEqual([]);
  });

  it('locking one field does not excuse the other required fields', () => {
    const r = create({ amount: 20000, supplier: 's1' }, ['title']);
    expect(fieldsOf(r)).toEqual(['reason:required']);
  });

  it('value linkage still fills a locked field: the form sets it, not the caller', () => {
    const r = create({ ...base(), email: 'forged@example.com' }, ['email'], external({ email: 's1@example.com' }));
    expect(r.errors).toEqual([]);
    expect(r.data.email).toBe('s1@example.com');
  });

  it('a forged value in a locked field cannot steer the rules that read it', () => {
    // category 'it' would allow level 'high'; the caller may not set the category
    const r = create({ ...base(), category: 'it', level: 'high' }, ['category']);
    expect(r.data).not.toHaveProperty('category');
    expect(fieldsOf(r)).toContain('level:option');
    // state 'approved' would make amount read-only and drop it
    const s = create({ ...base(), state: 'approved', amount: 700 }, ['state']);
    expect(s.data.state).toBe('draft');
    expect(s.data.amount).toBe(700);
  });

  it('a locked field plays no part in planning the linked records and fills to fetch', () => {
    const plan = planExternal(compiled, { ...base(), supplier: 'forged' }, ctx, undefined, new Set(['supplier']));
    expect(plan.links.flatMap((l) => l.ids)).not.toContain('forged');
  });
});
