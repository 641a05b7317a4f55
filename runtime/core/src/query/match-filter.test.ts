import { describe, expect, it } from 'vitest';
import { matchFilter, type MatchableRecord } from './match-filter.js';
import type { FieldPath, NormFilter, Scalar } from './normalized.js';

const d = (key: string, storage: FieldPath['storage'] = 'text'): FieldPath => ({ source: 'data', key, storage });
const sys = (column: 'id' | 'createdBy' | 'createdAt' | 'status' | 'formVersion', storage: FieldPath['storage'] = 'ref'): FieldPath =>
  ({ source: 'system', column, storage });

const records: MatchableRecord[] = [
  { id: 'a', createdBy: 'u1', status: 'submitted', createdAt: '2026-01-01T00:00:00.000Z', formVersion: 1,
    data: { title: 'Apple Pie', amount: 10, code: '1', done: true, dept: 'd1', tags: ['x', 'y'], due: '2026-03-01' } },
  { id: 'b', createdBy: 'u2', status: 'approved', createdAt: '2026-02-01T00:00:00.000Z', formVersion: 2,
    data: { title: 'banana', amount: 1, code: 1, done: false, dept: 'd2', tags: ['y'], due: '2026-04-01' } },
  { id: 'c', createdBy: null, status: 'submitted', createdAt: '2026-03-01T00:00:00.000Z',
    data: { title: '', amount: null, done: null, dept: null, tags: [], notes: { x: 1 } } },
  // nothing set at all
  { id: 'e', data: {} },
];

const ids = (f: NormFilter): string[] => records.filter((r) => matchFilter(f, r)).map((r) => r.id);
const cmp = (path: FieldPath, op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', value: Scalar): NormFilter => ({ kind: 'cmp', path, op, value });
const inList = (path: FieldPath, values: Scalar[], negate = false): NormFilter => ({ kind: 'in', path, values, negate });

describe('matchFilter', () => {
  it('true matches every record and false none', () => {
    expect(ids({ kind: 'true' })).toEqual(['a', 'b', 'c', 'e']);
    expect(ids({ kind: 'false' })).toEqual([]);
  });

  it('eq and ne compare one value; ne matches records without a value', () => {
    expect(ids(cmp(d('title'), 'eq', 'banana'))).toEqual(['b']);
    expect(ids(cmp(d('title'), 'ne', 'banana'))).toEqual(['a', 'c', 'e']);
    expect(ids(cmp(d('amount', 'number'), 'ne', 10))).toEqual(['b', 'c', 'e']);
  });

  it('eq null matches missing and null values, ne null the others', () => {
    expect(ids(cmp(d('amount', 'number'), 'eq', null))).toEqual(['c', 'e']);
    expect(ids(cmp(d('amount', 'number'), 'ne', null))).toEqual(['a', 'b']);
    // "" is a value for eq null (only "empty" treats it as empty)
    expect(ids(cmp(d('title'), 'eq', null))).toEqual(['e']);
  });

  it('comparisons are type-strict: the number 1 is not the text "1"', () => {
    expect(ids(cmp(d('code'), 'eq', '1'))).toEqual(['a']);
    expect(ids(cmp(d('code', 'number'), 'eq', 1))).toEqual(['b']);
    expect(ids(cmp(d('code'), 'ne', '1'))).toEqual(['b', 'c', 'e']);
    expect(ids(cmp(d('code', 'number'), 'gte', 0))).toEqual(['b']);
    expect(ids(inList(d('code'), ['1']))).toEqual(['a']);
    expect(ids(cmp(d('done', 'boolean'), 'eq', 1))).toEqual([]);
  });

  it('gt, gte, lt and lte order numbers, text, dates and booleans, and never match a missing value', () => {
    expect(ids(cmp(d('amount', 'number'), 'gt', 1))).toEqual(['a']);
    expect(ids(cmp(d('amount', 'number'), 'gte', 1))).toEqual(['a', 'b']);
    expect(ids(cmp(d('amount', 'number'), 'lt', 10))).toEqual(['b']);
    expect(ids(cmp(d('amount', 'number'), 'lte', 10))).toEqual(['a', 'b']);
    expect(ids(cmp(d('amount', 'number'), 'lt', 1000))).toEqual(['a', 'b']);
    expect(ids(cmp(d('due', 'date'), 'lt', '2026-04-01'))).toEqual(['a']);
    expect(ids(cmp(sys('createdAt', 'datetime'), 'gte', '2026-02-01T00:00:00.000Z'))).toEqual(['b', 'c']);
    expect(ids(cmp(d('done', 'boolean'), 'gt', false))).toEqual(['a']);
    // text orders by code point: upper case sorts before lower case
    expect(ids(cmp(d('title'), 'lt', 'a'))).toEqual(['a', 'c']);
    expect(ids(cmp(d('title'), 'gt', null))).toEqual([]);
  });

  it('in matches listed values, and missing values only when null is listed', () => {
    expect(ids(inList(d('dept', 'ref'), ['d1', 'd2']))).toEqual(['a', 'b']);
    expect(ids(inList(d('dept', 'ref'), ['d2', null]))).toEqual(['b', 'c', 'e']);
    expect(ids(inList(d('dept', 'ref'), []))).toEqual([]);
  });

  it('in negated matches what is not listed, missing values included unless null is listed', () => {
    expect(ids(inList(d('dept', 'ref'), ['d1'], true))).toEqual(['b', 'c', 'e']);
    expect(ids(inList(d('dept', 'ref'), ['d1', null], true))).toEqual(['b']);
  });

  it('contains and startsWith ignore ASCII case and only match text', () => {
    expect(ids({ kind: 'text', path: d('title'), mode: 'contains', value: 'PIE' })).toEqual(['a']);
    expect(ids({ kind: 'text', path: d('title'), mode: 'contains', value: 'an' })).toEqual(['b']);
    expect(ids({ kind: 'text', path: d('title'), mode: 'startsWith', value: 'apple' })).toEqual(['a']);
    expect(ids({ kind: 'text', path: d('title'), mode: 'startsWith', value: 'pie' })).toEqual([]);
    expect(ids({ kind: 'text', path: d('code'), mode: 'contains', value: '1' })).toEqual(['a']);
  });

  it('case folding is ASCII only, as the SQL store does it', () => {
    const r: MatchableRecord = { id: 'u', data: { title: 'ÄRGER' } };
    expect(matchFilter({ kind: 'text', path: d('title'), mode: 'contains', value: 'rger' }, r)).toBe(true);
    expect(matchFilter({ kind: 'text', path: d('title'), mode: 'contains', value: 'ärger' }, r)).toBe(false);
  });

  it('has any, all and none test array members; a missing array has none', () => {
    const tags = d('tags', 'array');
    expect(ids({ kind: 'has', path: tags, mode: 'any', values: ['x', 'z'] })).toEqual(['a']);
    expect(ids({ kind: 'has', path: tags, mode: 'any', values: ['y'] })).toEqual(['a', 'b']);
    expect(ids({ kind: 'has', path: tags, mode: 'all', values: ['x', 'y'] })).toEqual(['a']);
    expect(ids({ kind: 'has', path: tags, mode: 'none', values: ['x'] })).toEqual(['b', 'c', 'e']);
    // a scalar where an array belongs is not an array of one
    expect(matchFilter({ kind: 'has', path: d('dept', 'array'), mode: 'any', values: ['d1'] }, records[0]!)).toBe(false);
  });

  it('empty means missing, null, "" or [], but not 0, false or {}', () => {
    expect(ids({ kind: 'empty', path: d('title'), negate: false })).toEqual(['c', 'e']);
    expect(ids({ kind: 'empty', path: d('tags', 'array'), negate: false })).toEqual(['c', 'e']);
    expect(ids({ kind: 'empty', path: d('notes', 'json'), negate: true })).toEqual(['c']);
    const zero: MatchableRecord = { id: 'z', data: { amount: 0, done: false } };
    expect(matchFilter({ kind: 'empty', path: d('amount', 'number'), negate: false }, zero)).toBe(false);
    expect(matchFilter({ kind: 'empty', path: d('done', 'boolean'), negate: false }, zero)).toBe(false);
  });

  it('reads system fields from the record, not its data', () => {
    const shadow: MatchableRecord = { id: 'r', createdBy: 'u1', data: { createdBy: 'u2', id: 'other' } };
    expect(matchFilter(cmp(sys('createdBy'), 'eq', 'u1'), shadow)).toBe(true);
    expect(matchFilter(cmp(sys('createdBy'), 'eq', 'u2'), shadow)).toBe(false);
    expect(matchFilter(cmp(sys('id'), 'eq', 'r'), shadow)).toBe(true);
    expect(ids(cmp(sys('createdBy'), 'eq', null))).toEqual(['c', 'e']);
    expect(ids(inList(sys('status', 'text'), ['approved']))).toEqual(['b']);
    expect(ids(cmp(sys('formVersion', 'number'), 'gt', 1))).toEqual(['b']);
  });

  it('and, or and not combine; not is the exact complement, missing values included', () => {
    const east = cmp(d('dept', 'ref'), 'eq', 'd1');
    const big = cmp(d('amount', 'number'), 'gt', 5);
    expect(ids({ kind: 'and', items: [east, big] })).toEqual(['a']);
    expect(ids({ kind: 'or', items: [cmp(d('dept', 'ref'), 'eq', 'd2'), big] })).toEqual(['a', 'b']);
    expect(ids({ kind: 'and', items: [] })).toEqual(['a', 'b', 'c', 'e']);
    expect(ids({ kind: 'or', items: [] })).toEqual([]);
    const filters: NormFilter[] = [
      big,
      east,
      cmp(d('amount', 'number'), 'eq', null),
      inList(d('dept', 'ref'), ['d1', null]),
      inList(d('dept', 'ref'), ['d1'], true),
      { kind: 'text', path: d('title'), mode: 'contains', value: 'a' },
      { kind: 'has', path: d('tags', 'array'), mode: 'all', values: ['y'] },
      { kind: 'empty', path: d('title'), negate: false },
    ];
    for (const f of filters) {
      const yes = ids(f);
      const no = ids({ kind: 'not', item: f });
      expect([...yes, ...no].sort(), JSON.stringify(f)).toEqual(['a', 'b', 'c', 'e']);
      expect(yes.filter((x) => no.includes(x)), JSON.stringify(f)).toEqual([]);
    }
    expect(ids({ kind: 'not', item: big })).toEqual(['b', 'c', 'e']);
  });
});
