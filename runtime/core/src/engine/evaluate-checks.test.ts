import { describe, expect, it } from 'vitest';
import type { EvalContext } from '../record.js';
import type { FormDefinition } from '../schema/form.js';
import { checkFormDefinition } from './check-definition.js';
import { compileForm } from './compile-form.js';
import { evaluateRecord, type ExternalData } from './evaluate-record.js';

// Checks of a value ("not more than is on hand", "end after start"): run by the record engine on the
// phone and on the server alike, after lookups and formulas, with the form's message.

const issue: FormDefinition = {
  name: 'Material issue',
  fields: [
    { key: 'material', type: 'link', label: 'Material', form: 'products' },
    { key: 'available', type: 'lookup', label: 'On hand', link: 'material', field: 'onHand' },
    { key: 'qty', type: 'number', label: 'Quantity' },
    { key: 'start', type: 'date', label: 'Start' },
    { key: 'end', type: 'date', label: 'End' },
    { key: 'urgent', type: 'checkbox', label: 'Urgent' },
    { key: 'note', type: 'text', label: 'Note' },
  ],
  rules: [
    { field: 'qty', check: { '<=': [{ var: 'qty' }, { var: 'available' }] }, message: { en: 'More than is on hand', zh: '超出现存量' } },
    { field: 'qty', check: { '>': [{ var: 'qty' }, 0] } },
    { field: 'end', check: { '>=': [{ var: 'end' }, { var: 'start' }] }, message: 'End before start' },
    { field: 'note', visible: { var: 'urgent' }, check: { '>=': [{ len: [{ var: 'note' }] }, 5] } },
  ],
};
const compiled = compileForm(issue, 'issue@1');
const ctx: EvalContext = { user: { id: 'u1', departments: [] }, now: new Date('2026-11-28T08:00:00Z'), timeZone: 'UTC' };
const stock = (onHand: number): ExternalData => ({ links: { material: { m1: { onHand } } }, fills: {} });
const errorsOf = (r: { errors: { field: string; code: string; message: { en: string } }[] }) => r.errors.map((e) => `${e.field}:${e.code}:${e.message.en}`);

describe('checks of a value', () => {
  it('refuses a value that fails its check, with the form\'s message in both languages', () => {
    const r = evaluateRecord(compiled, { material: 'm1', qty: 12 }, ctx, stock(10), { mode: 'create' });
    expect(errorsOf(r)).toEqual(['qty:check:More than is on hand']);
    expect(r.errors[0]!.message).toEqual({ en: 'More than is on hand', zh: '超出现存量' });
    expect(evaluateRecord(compiled, { material: 'm1', qty: 10 }, ctx, stock(10), { mode: 'create' }).errors).toEqual([]);
  });

  it('says the general message when the rule has none, and one string stands for both languages', () => {
    const zero = evaluateRecord(compiled, { material: 'm1', qty: 0 }, ctx, stock(10), { mode: 'create' });
    expect(zero.errors).toEqual([{ field: 'qty', code: 'check', message: { en: 'This value does not pass the form’s check', zh: '该值未通过表单校验' } }]);
    const dates = evaluateRecord(compiled, { start: '2026-12-05', end: '2026-12-01' }, ctx, stock(0), { mode: 'create' });
    expect(dates.errors).toEqual([{ field: 'end', code: 'check', message: { en: 'End before start', zh: 'End before start' } }]);
  });

  it('does not check an empty value, a hidden field, or a value with an error already', () => {
    expect(evaluateRecord(compiled, { start: '2026-12-05' }, ctx, stock(0), { mode: 'create' }).errors).toEqual([]);
    expect(evaluateRecord(compiled, { note: 'x', urgent: false }, ctx, stock(0), { mode: 'create' }).errors).toEqual([]);
    expect(errorsOf(evaluateRecord(compiled, { note: 'x', urgent: true }, ctx, stock(0), { mode: 'create' }))).toEqual(['note:check:This value does not pass the form’s check']);
    expect(errorsOf(evaluateRecord(compiled, { material: 'm1', qty: 'lots' }, ctx, stock(10), { mode: 'create' })).map((e) => e.split(':')[1])).toEqual(['type']);
  });

  it('on an update checks only what the edit changes, or what a changed field feeds', () => {
    const previous = { material: 'm1', available: 10, qty: 10, start: '2026-12-01', end: '2026-12-02' };
    // the stock fell to 0 since (the issue itself took it): editing the note does not fail the quantity
    expect(evaluateRecord(compiled, { note: 'moved to line 2' }, ctx, stock(0), { mode: 'update', previous }).errors).toEqual([]);
    // changing the quantity is checked against the stock now
    expect(errorsOf(evaluateRecord(compiled, { qty: 8 }, ctx, stock(5), { mode: 'update', previous }))).toEqual(['qty:check:More than is on hand']);
    // moving the start past the end fails the end's check, which reads the start
    expect(errorsOf(evaluateRecord(compiled, { start: '2026-12-09' }, ctx, stock(0), { mode: 'update', previous }))).toEqual(['end:check:End before start']);
  });

  it('is checked like any rule: unknown fields are refused, and a message needs a check', () => {
    const bad = checkFormDefinition({ ...issue, rules: [{ field: 'qty', check: { '<': [{ var: 'qtty' }, 1] } }, { field: 'end', message: 'Why?' }] });
    expect(bad.map((p) => `${p.path}:${p.code}`)).toEqual(expect.arrayContaining(['rules[0].check:invalidLogic', 'rules[1].message:invalidRule']));
  });
});
