import { describe, expect, it } from 'vitest';
import type { RecordData } from '../record.js';
import { compileForm } from './compile-form.js';
import { csvHeader, csvRowToRecord, neutralizeCsvCell, recordToCsvRow, unneutralizeCsvCell } from './csv.js';
import { purchaseForm } from './purchase-form.fixture.js';

const compiled = compileForm(purchaseForm());
const file = { id: 'f1', name: 'quote;v2.pdf', size: 1200, type: 'application/pdf', url: '/api/files/f1' };
const png = { id: 'f2', name: 'sig.png', size: 99, type: 'image/png' };

const input: RecordData = {
  title: '=HYPERLINK("http://evil","x")',
  amount: -1234.5,
  reason: 'line 1\nline 2, "quoted"',
  urgent: true,
  urgentNote: '+1 asap',
  dept: 'd1',
  watchers: ['u1', 'u2'],
  category: 'it',
  level: 'high',
  tags: ['a', 'c'],
  needBy: '2024-03-31',
  meetingAt: '2024-03-01T00:00:00.000Z',
  contact: '+86 138 0000 0000',
  email: 'a@b.co',
  site: { province: '浙江', city: '杭州', detail: '@home; 1F', lat: 30.25, lng: 120.16 },
  code: '-6901234567892',
  files: [file],
  photo: [png],
  sign: [png],
  supplier: 's1',
  lines: [{ product: 'p1', qty: 2, price: 3.5 }],
  state: 'approved',
  locked: 'fixed',
};

describe('CSV cells', () => {
  it('neutralizes formula-looking cells and can undo it', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutralizeCsvCell(s)).toBe(`'${s}`);
      expect(unneutralizeCsvCell(neutralizeCsvCell(s))).toBe(s);
    }
    expect(neutralizeCsvCell('plain')).toBe('plain');
    expect(neutralizeCsvCell('')).toBe('');
    expect(unneutralizeCsvCell("'quoted")).toBe("'quoted");
  });

  it('writes a record as neutralized cells in field order, numbers left as numbers', () => {
    const row = recordToCsvRow(compiled, { ...input, total: 7, size: 'small', no: 'PR-1', supplierCity: '=x' });
    const at = (k: string) => row[[...compiled.fields.keys()].indexOf(k)];
    expect(row).toHaveLength(compiled.fields.size);
    expect(at('title')).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(at('urgentNote')).toBe("'+1 asap");
    expect(at('code')).toBe("'-6901234567892");
    expect(at('amount')).toBe('-1234.5');
    expect(at('watchers')).toBe('u1;u2');
    expect(at('urgent')).toBe('true');
    expect(at('total')).toBe('7');
    expect(at('supplierCity')).toBe("'=x");
    expect(row.every((c) => !/^[=+\-@\t\r]/.test(c) || c === '-1234.5')).toBe(true);
  });

  it('reads back what it wrote, losslessly, and skips computed columns', () => {
    const header = csvHeader(compiled);
    const row = recordToCsvRow(compiled, { ...input, total: 7, no: 'PR-1' });
    const { data, errors } = csvRowToRecord(compiled, header, row);
    expect(errors).toEqual([]);
    expect(data).toEqual(input);
  });

  it('matches headers by key or by English or Chinese label', () => {
    const { data, errors } = csvRowToRecord(compiled, ['标题', 'Amount', 'CATEGORY', '类别 ', 'needby'], ['Pens', '1,000', '信息技术', 'office', '2024/3/5']);
    expect(errors).toEqual([]);
    expect(data).toEqual({ title: 'Pens', amount: 1000, category: 'office', needBy: '2024-03-05' });
    expect(csvHeader(compiled, 'zh').slice(0, 2)).toEqual(['标题', '金额']);
  });

  it('reports unknown columns and cells that do not parse, per field in en and zh', () => {
    const { data, errors } = csvRowToRecord(compiled, ['title', 'nope', 'amount', 'urgent', 'tags'], ['ok', 'x', 'abc', 'maybe', 'a;z']);
    expect(data).toEqual({ title: 'ok' });
    expect(errors.map((e) => `${e.field}:${e.code}`)).toEqual(['nope:unknown', 'amount:invalid', 'urgent:invalid', 'tags:invalid']);
    expect(errors[1]!.message).toEqual({ en: '"abc" is not a number', zh: '"abc" 不是数字' });
    expect(errors[3]!.message.en).toBe('"z" is not one of the options');
  });

  it('reads datetimes without a zone in the given zone and leaves empty cells out', () => {
    const { data } = csvRowToRecord(compiled, ['meetingAt', 'title', 'urgent'], ['2024-03-01 08:00', '', ''], { timeZone: 'Asia/Shanghai' });
    expect(data).toEqual({ meetingAt: '2024-03-01T00:00:00.000Z' });
  });
});
