import { describe, expect, it } from 'vitest';
import { fieldMessage, type FieldMessageCode } from './field-messages.js';
import { compileSchema, getAjv, pointerToPath, toFieldErrors } from './validate.js';

const schema = {
  type: 'object',
  properties: {
    title: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
    amount: { type: 'number', minimum: 0, maximum: 10 },
    day: { type: 'string', format: 'date' },
    status: { type: 'string', enum: ['a', 'b'] },
    tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, uniqueItems: true },
    lines: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' } }, required: ['qty'], additionalProperties: false } },
  },
  required: ['title'],
  additionalProperties: false,
};

describe('validate', () => {
  it('shares one ajv instance with formats and no coercion', () => {
    expect(getAjv()).toBe(getAjv());
    expect(getAjv().validate({ type: 'number' }, '5')).toBe(false);
    expect(getAjv().validate({ type: 'string', format: 'email' }, 'x@y.z')).toBe(true);
  });

  it('turns JSON pointers into field paths', () => {
    expect(pointerToPath('/lines/2/qty')).toBe('lines[2].qty');
    expect(pointerToPath('/lines/0', 'qty')).toBe('lines[0].qty');
    expect(pointerToPath('', 'title')).toBe('title');
  });

  it('maps every keyword to a field path and a message in en and zh', () => {
    const v = compileSchema(schema);
    const cases: [unknown, string, string][] = [
      [{}, 'title', 'required'],
      [{ title: 5 }, 'title', 'type'],
      [{ title: 'a' }, 'title', 'minLength'],
      [{ title: 'abcdef' }, 'title', 'maxLength'],
      [{ title: 'AB' }, 'title', 'pattern'],
      [{ title: 'ab', amount: -1 }, 'amount', 'minimum'],
      [{ title: 'ab', amount: 11 }, 'amount', 'maximum'],
      [{ title: 'ab', day: '2024-13-01' }, 'day', 'format'],
      [{ title: 'ab', status: 'c' }, 'status', 'enum'],
      [{ title: 'ab', tags: [] }, 'tags', 'minItems'],
      [{ title: 'ab', tags: ['a', 'b', 'c'] }, 'tags', 'maxItems'],
      [{ title: 'ab', tags: ['a', 'a'] }, 'tags', 'uniqueItems'],
      [{ title: 'ab', extra: 1 }, 'extra', 'unknown'],
      [{ title: 'ab', lines: [{ qty: 1 }, {}] }, 'lines[1].qty', 'required'],
      [{ title: 'ab', lines: [{ qty: 1.5 }] }, 'lines[0].qty', 'type'],
      [{ title: 'ab', lines: [{ qty: 1, x: 1 }] }, 'lines[0].x', 'unknown'],
    ];
    for (const [data, field, code] of cases) {
      expect(v(data), JSON.stringify(data)).toBe(false);
      const errors = toFieldErrors(v.errors);
      const e = errors.find((x) => x.field === field);
      expect(e, `${JSON.stringify(data)} → ${JSON.stringify(errors)}`).toMatchObject({ field, code });
      expect(e!.message.en).not.toBe('');
      expect(e!.message.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('writes concrete messages', () => {
    const v = compileSchema(schema);
    v({ title: 'ab', amount: 11, day: 'x' });
    const errors = toFieldErrors(v.errors);
    expect(errors.find((e) => e.field === 'amount')!.message).toEqual({ en: 'Must be at most 10', zh: '不能大于 10' });
    expect(errors.find((e) => e.field === 'day')!.message).toEqual({ en: 'Must be a date (YYYY-MM-DD)', zh: '必须是日期（YYYY-MM-DD）' });
  });

  it('has a message in both languages for every code', () => {
    const codes: FieldMessageCode[] = ['required', 'type', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'format', 'enum', 'minItems', 'maxItems', 'uniqueItems', 'unknown', 'invalid', 'readOnly', 'option', 'linkNotFound', 'precision', 'notNumber', 'notDate', 'notDatetime', 'notBoolean', 'notOption', 'notJson', 'notId'];
    for (const c of codes) {
      const m = fieldMessage(c, { limit: 1, type: 'number', id: 'r1', text: 'x' });
      expect(m.en.length).toBeGreaterThan(3);
      expect(m.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('compiles without growing the shared cache', () => {
    const cacheSize = () => (getAjv() as unknown as { _cache: Map<unknown, unknown> })._cache.size;
    compileSchema({ type: 'string' });
    const before = cacheSize();
    const v = compileSchema({ type: 'string', maxLength: 1 });
    for (let i = 0; i < 20; i++) compileSchema({ type: 'string', maxLength: i + 1 });
    expect(cacheSize()).toBe(before);
    // removed from ajv's identity cache, yet still usable
    expect(v('a')).toBe(true);
    expect(v('ab')).toBe(false);
  });
});
