import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, type FieldType } from '../schema/field-type.js';
import type { Field } from '../schema/form.js';
import { getAjv } from '../engine/validate.js';
import { fieldType, fieldTypes, normalizeDate, normalizeDatetime } from './registry.js';

const f = (type: FieldType, extra: Partial<Field> = {}): Field => ({ key: 'x', type, label: 'X', ...extra });
const valid = (field: Field, value: unknown) => getAjv().validate(fieldType(field.type).jsonSchema(field), value);

describe('field-type registry', () => {
  it('has an entry for every field type and rejects unknown ones', () => {
    for (const t of FIELD_TYPES) {
      expect(fieldTypes[t].type).toBe(t);
      expect(fieldType(t).widget).toMatch(/^[a-z]+$/);
    }
    expect(Object.keys(fieldTypes).sort()).toEqual([...FIELD_TYPES].sort());
    expect(() => fieldType('colour')).toThrow(/Unknown field type "colour"/);
  });

  it('marks formula, lookup and serial as computed and takes facts from field-facts', () => {
    expect(FIELD_TYPES.filter((t) => fieldTypes[t].computed).sort()).toEqual(['formula', 'lookup', 'serial']);
    expect(fieldType('link').facts(f('link', { multiple: true })).storage).toBe('array');
    expect(fieldType('money').facts(f('money')).metrics).toContain('sum');
  });

  describe('JSON Schema of values', () => {
    it('dates, datetimes with a zone, numbers with bounds and precision', () => {
      expect(valid(f('date'), '2024-02-29')).toBe(true);
      expect(valid(f('date'), '2023-02-29')).toBe(false);
      expect(valid(f('datetime'), '2024-02-03T10:00:00+08:00')).toBe(true);
      expect(valid(f('datetime'), '2024-02-03T10:00:00')).toBe(false);
      expect(valid(f('number', { min: 1, max: 5 }), 6)).toBe(false);
      expect(valid(f('number', { precision: 0 }), 1.5)).toBe(false);
      expect(valid(f('money'), '12')).toBe(false);
      expect(valid(f('money'), 12.5)).toBe(true);
    });

    it('text lengths default to 200 (text) and 10000 (textarea)', () => {
      expect(valid(f('text'), 'a'.repeat(200))).toBe(true);
      expect(valid(f('text'), 'a'.repeat(201))).toBe(false);
      expect(valid(f('textarea'), 'a'.repeat(10000))).toBe(true);
      expect(valid(f('textarea'), 'a'.repeat(10001))).toBe(false);
      expect(valid(f('text', { pattern: '^[A-Z]+$' }), 'abc')).toBe(false);
    });

    it('choices: select is one value, multiselect unique values', () => {
      const sel = f('select', { options: ['a', { value: 'b', label: 'Bee' }] });
      expect(valid(sel, 'b')).toBe(true);
      expect(valid(sel, 'Bee')).toBe(false);
      const multi = f('multiselect', { options: ['a', 'b'] });
      expect(valid(multi, ['a', 'b'])).toBe(true);
      expect(valid(multi, ['a', 'a'])).toBe(false);
      expect(valid(multi, ['z'])).toBe(false);
      expect(valid(f('checkbox'), 'true')).toBe(false);
    });

    it('ids and id arrays for member, department and link', () => {
      expect(valid(f('member'), 'u_1')).toBe(true);
      expect(valid(f('member'), { $gt: '' })).toBe(false);
      expect(valid(f('link'), 'a b')).toBe(false);
      expect(valid(f('department', { multiple: true }), ['d1', 'd2'])).toBe(true);
      expect(valid(f('department', { multiple: true }), 'd1')).toBe(false);
    });

    it('file references, with names that cannot climb paths', () => {
      const file = { id: 'f1', name: 'a.pdf', size: 10, type: 'application/pdf' };
      expect(valid(f('attachment', { multiple: true }), [file, { ...file, id: 'f2' }])).toBe(true);
      expect(valid(f('attachment'), [file, { ...file, id: 'f2' }])).toBe(false);
      expect(valid(f('attachment'), [{ ...file, name: '../../etc/passwd' }])).toBe(false);
      expect(valid(f('image'), [file])).toBe(false);
      expect(valid(f('image'), [{ ...file, type: 'image/png' }])).toBe(true);
      expect(valid(f('attachment', { maxSize: 5 }), [file])).toBe(false);
      expect(valid(f('signature'), [{ ...file, type: 'image/png', extra: 1 }])).toBe(false);
    });

    it('sub-table rows, address, phone, email, barcode', () => {
      const sub = f('subtable', { maxRows: 1, fields: [{ key: 'qty', type: 'number', label: 'Qty', required: true }] });
      expect(valid(sub, [{ qty: 1 }])).toBe(true);
      expect(valid(sub, [{}])).toBe(false);
      expect(valid(sub, [{ qty: 1 }, { qty: 2 }])).toBe(false);
      expect(valid(sub, [{ qty: 1, other: 2 }])).toBe(false);
      expect(valid(f('address'), { city: 'Hangzhou', lat: 30.2 })).toBe(true);
      expect(valid(f('address'), { street: 'x' })).toBe(false);
      expect(valid(f('phone'), '+86 138-0000-0000')).toBe(true);
      expect(valid(f('phone'), 'call me')).toBe(false);
      expect(valid(f('email'), 'a@b.co')).toBe(true);
      expect(valid(f('email'), 'not-mail')).toBe(false);
      expect(valid(f('barcode'), '6901234567892')).toBe(true);
    });

    it('computed fields are read-only', () => {
      expect(fieldType('formula').jsonSchema(f('formula', { resultType: 'text' }))).toMatchObject({ type: ['string', 'null'], readOnly: true });
      expect(fieldType('serial').jsonSchema(f('serial'))).toMatchObject({ readOnly: true });
      expect(fieldType('lookup').jsonSchema(f('lookup'))).toMatchObject({ readOnly: true });
    });
  });

  describe('CSV', () => {
    const file = { id: 'f1', name: 'a;b.pdf', size: 10, type: 'application/pdf', url: '/api/files/f1' };
    const samples: Record<FieldType, [Partial<Field>, unknown[]]> = {
      text: [{}, ['hello', '=cmd', 'with, comma and "quotes"\nnewline']],
      textarea: [{}, ['line1\nline2']],
      number: [{}, [0, -5, 3.14159, 1e21, 12345678]],
      money: [{}, [12.5, -0.01]],
      date: [{}, ['2024-02-29']],
      datetime: [{}, ['2024-02-03T02:00:00.000Z']],
      select: [{ options: ['a', { value: 'b', label: 'Bee' }] }, ['a', 'b']],
      multiselect: [{ options: ['a', 'b', 'x;y', '[z'] }, [['a', 'b'], ['x;y'], ['[z', 'a']]],
      checkbox: [{}, [true, false]],
      member: [{}, ['u1']],
      department: [{ multiple: true }, [['d1', 'd2']]],
      attachment: [{ multiple: true }, [[file]]],
      image: [{}, [[{ ...file, type: 'image/png' }]]],
      signature: [{}, [[{ ...file, type: 'image/png' }]]],
      subtable: [{ fields: [{ key: 'qty', type: 'number', label: 'Q' }] }, [[{ qty: 1 }, { qty: 2 }]]],
      link: [{ form: 'f', multiple: true }, [['r1', 'r2'], ['r3']]],
      lookup: [{ valueType: 'number', link: 'l', field: 'n' }, [42, [1, 2]]],
      formula: [{ resultType: 'number', formula: 1 }, [3.5, -2]],
      serial: [{ pattern: 'P-{0000}' }, ['P-0001']],
      phone: [{}, ['+86 13800000000']],
      email: [{}, ['a@b.co']],
      address: [{}, [{ province: '浙江', city: '杭州', detail: 'x; y', lat: 30.1 }]],
      barcode: [{}, ['6901234567892']],
    };

    it('round-trips every type losslessly', () => {
      for (const t of FIELD_TYPES) {
        const [extra, values] = samples[t];
        const field = f(t, extra);
        const spec = fieldType(t);
        for (const v of values) {
          const text = spec.toCsv(v, field);
          expect(spec.fromCsv(text, field), `${t}: ${JSON.stringify(v)} → ${text}`).toEqual({ ok: true, value: v });
        }
        expect(spec.toCsv(undefined, field)).toBe('');
        expect(spec.fromCsv('', field)).toEqual({ ok: true, value: undefined });
      }
    });

    it('round-trips formula results of each result type', () => {
      for (const [resultType, v] of [['text', 'big'], ['date', '2024-01-02'], ['boolean', false]] as const) {
        const field = f('formula', { resultType, formula: 1 });
        expect(fieldType('formula').fromCsv(fieldType('formula').toCsv(v, field), field)).toEqual({ ok: true, value: v });
      }
    });

    it('parses the spellings people type', () => {
      const cb = f('checkbox');
      for (const [text, v] of [['是', true], ['否', false], ['Yes', true], ['no', false], ['1', true], ['0', false], ['TRUE', true]] as const) {
        expect(fieldType('checkbox').fromCsv(text, cb)).toEqual({ ok: true, value: v });
      }
      expect(fieldType('checkbox').fromCsv('maybe', cb).ok).toBe(false);
      expect(fieldType('number').fromCsv('1,234.50', f('number'))).toEqual({ ok: true, value: 1234.5 });
      expect(fieldType('money').fromCsv('¥ 99', f('money'))).toEqual({ ok: true, value: 99 });
      expect(fieldType('number').fromCsv('12abc', f('number')).ok).toBe(false);
      expect(fieldType('date').fromCsv('2024/1/5', f('date'))).toEqual({ ok: true, value: '2024-01-05' });
      expect(fieldType('date').fromCsv('2024年1月5日', f('date'))).toEqual({ ok: true, value: '2024-01-05' });
      expect(fieldType('date').fromCsv('20240105', f('date'))).toEqual({ ok: true, value: '2024-01-05' });
      expect(fieldType('date').fromCsv('2024-02-30', f('date')).ok).toBe(false);
      const sel = f('select', { options: ['a', { value: 'it', label: { en: 'IT', zh: '信息技术' } }] });
      expect(fieldType('select').fromCsv('信息技术', sel)).toEqual({ ok: true, value: 'it' });
      const bad = fieldType('select').fromCsv('zzz', sel);
      expect(bad).toEqual({ ok: false, message: { en: '"zzz" is not one of the options', zh: '"zzz" 不是可选项' } });
      expect(fieldType('multiselect').fromCsv('a；it', f('multiselect', { options: ['a', 'it'] }))).toEqual({ ok: true, value: ['a', 'it'] });
      expect(fieldType('member').fromCsv('u1;u2', f('member')).ok).toBe(false);
      expect(fieldType('address').fromCsv('No. 1 Road', f('address'))).toEqual({ ok: true, value: { detail: 'No. 1 Road' } });
      expect(fieldType('attachment').fromCsv('{"id":1}', f('attachment')).ok).toBe(false);
    });

    it('reads datetimes with a zone as written and without one in the given zone', () => {
      const dt = f('datetime');
      expect(fieldType('datetime').fromCsv('2024-03-01T08:00:00+08:00', dt)).toEqual({ ok: true, value: '2024-03-01T00:00:00.000Z' });
      expect(fieldType('datetime').fromCsv('2024-03-01 08:00', dt, { timeZone: 'Asia/Shanghai' })).toEqual({ ok: true, value: '2024-03-01T00:00:00.000Z' });
      expect(fieldType('datetime').fromCsv('2024-03-01 08:00', dt)).toEqual({ ok: true, value: '2024-03-01T08:00:00.000Z' });
      expect(normalizeDatetime('2024-07-01 12:00', 'America/New_York')).toBe('2024-07-01T16:00:00.000Z');
      expect(normalizeDatetime('2024-13-01 12:00')).toBeNull();
      expect(normalizeDate('45000')).toBe('2023-03-15');
    });
  });

  describe('definition checks', () => {
    const check = (field: Field) => fieldType(field.type).checkDefinition?.(field) ?? [];
    it('reports missing configuration per type', () => {
      expect(check(f('select'))).toEqual(['a select field needs options']);
      expect(check(f('multiselect', { options: ['a', 'a'] }))).toEqual(['option "a" appears twice']);
      expect(check(f('subtable'))).toEqual(['a subtable field needs fields']);
      expect(check(f('link'))).toEqual(['a link field needs form']);
      expect(check(f('lookup', { link: 'l' }))).toEqual(['a lookup field needs field']);
      expect(check(f('formula'))).toEqual(['a formula field needs formula']);
      expect(check(f('serial'))).toEqual(['a serial field needs pattern']);
      expect(check(f('serial', { pattern: 'PR-{YYYYMMDD}-{0000}' }))).toEqual([]);
      expect(check(f('number', { min: 5, max: 1 }))).toEqual(['min must not be greater than max']);
      expect(check(f('text', { pattern: '([' }))).toHaveLength(1);
      expect(check(f('text', { minLength: 3, maxLength: 2 }))).toEqual(['minLength must not be greater than maxLength']);
    });
  });
});
