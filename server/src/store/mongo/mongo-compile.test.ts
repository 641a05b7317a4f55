import { describe, expect, it } from 'vitest';
import { aggregate, find } from 'mingo';
import type { AggregateRow, NormAggregateQuery, NormFilter, NormListQuery } from '@trellis/core';
import {
  CONTRACT_CASES, FIXTURE_FORM_ID, FIXTURE_RECORDS, closeEnough, f, sys, type AggregateCase, type ListCase,
} from '../contract-fixtures.js';
import { compileAggregate } from './compile-aggregate.js';
import { assertSafeQuery, compileFilter } from './compile-filter.js';
import { compileSort } from './compile-sort.js';
import { fromRecordDoc, toRecordDoc } from './mongo-docs.js';
import type { MongoDoc } from './mongo-field.js';

// No MongoDB server runs here, so the compiled documents are evaluated by mingo
// over the fixture records, stored in the same shape the adapter writes. Each
// form has its own collection, so the compiled documents run unscoped over it.
const COLLECTION = FIXTURE_RECORDS.map(toRecordDoc) as unknown as MongoDoc[];

function runList(q: NormListQuery): { ids: string[]; hasMore: boolean; total: number } {
  const filter = compileFilter(q.filter);
  const { sort, after } = compileSort(q.sort, q.after);
  const where = after ? { $and: [filter, after] } : filter;
  const page = find(COLLECTION, where).sort(Object.fromEntries(sort)).limit(q.limit + 1).all() as MongoDoc[];
  const total = find(COLLECTION, filter).all().length;
  return { ids: page.slice(0, q.limit).map((d) => String(d._id)), hasMore: page.length > q.limit, total };
}

function runAggregate(q: NormAggregateQuery): AggregateRow[] {
  const { pipeline, toRows } = compileAggregate(q);
  return toRows(aggregate(COLLECTION, pipeline) as MongoDoc[]);
}

function expectRows(actual: AggregateRow[], expected: AggregateRow[]): void {
  expect(actual.map((r) => r.group)).toEqual(expected.map((r) => r.group));
  actual.forEach((row, i) => {
    const want = expected[i]!.values;
    expect(Object.keys(row.values).sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) {
      if (!closeEnough(row.values[k], v)) expect.fail(`row ${i} ${k}: got ${String(row.values[k])}, want ${String(v)}`);
    }
  });
}

describe('compiled MongoDB queries answer every contract case (evaluated with mingo)', () => {
  const lists = CONTRACT_CASES.filter((c): c is ListCase => c.kind === 'list');
  const aggs = CONTRACT_CASES.filter((c): c is AggregateCase => c.kind === 'aggregate');

  it('has cases to run', () => {
    expect(lists.length).toBeGreaterThan(50);
    expect(aggs.length).toBeGreaterThan(10);
  });

  it.each(lists.map((c) => [c.name, c] as const))('list: %s', (_name, c) => {
    const got = runList(c.query);
    expect(got.ids).toEqual(c.expectIds);
    expect(got.hasMore).toBe(c.expectHasMore);
    if (c.expectTotal !== undefined) expect(got.total).toBe(c.expectTotal);
  });

  it.each(lists.filter((c) => c.query.sort.length > 0 && c.query.after === null).map((c) => [c.name, c] as const))(
    'keyset pages of 3 walk the whole order: %s',
    (_name, c) => {
      const whole = runList({ ...c.query, limit: 1000 }).ids;
      const walked: string[] = [];
      let after: NormListQuery['after'] = null;
      for (let guard = 0; guard < 100; guard++) {
        const page = runList({ ...c.query, limit: 3, after });
        walked.push(...page.ids);
        if (!page.hasMore) break;
        const last = FIXTURE_RECORDS.find((r) => r.id === page.ids.at(-1))!;
        after = {
          id: last.id,
          values: c.query.sort.map((s) => {
            const v = s.path.source === 'system' ? (s.path.column === 'id' ? last.id : last[s.path.column]) : last.data[s.path.key];
            return v === undefined || typeof v === 'object' ? null : (v as string | number | boolean);
          }),
        };
      }
      expect(walked).toEqual(whole);
    },
  );

  it.each(aggs.map((c) => [c.name, c] as const))('aggregate: %s', (_name, c) => {
    expectRows(runAggregate(c.query), c.expectRows);
  });
});

describe('values never act as operators', () => {
  const operatorObject = { $gt: '' } as unknown as string;

  it('rejects an object where a scalar belongs', () => {
    expect(() => compileFilter({ kind: 'cmp', path: f('title'), op: 'eq', value: operatorObject })).toThrow(/strings, finite numbers/);
    expect(() => compileFilter({ kind: 'in', path: f('dept'), values: ['d1', operatorObject], negate: false })).toThrow();
    expect(() => compileFilter({ kind: 'has', path: f('tags'), mode: 'all', values: [operatorObject] })).toThrow();
    expect(() => compileFilter({ kind: 'text', path: f('title'), mode: 'contains', value: operatorObject })).toThrow();
    expect(() => compileSort([{ path: f('amount'), dir: 'asc' }], { values: [operatorObject], id: 'r01' })).toThrow();
    expect(() => compileSort([{ path: f('amount'), dir: 'asc' }], { values: [1], id: operatorObject })).toThrow();
    expect(() => compileFilter({ kind: 'cmp', path: f('amount'), op: 'gt', value: Number.NaN })).toThrow();
  });

  it('rejects field keys that MongoDB would read as operators or paths', () => {
    for (const key of ['$where', 'a.b', 'notes.$gt', '']) {
      const filter = { kind: 'empty', path: { source: 'data', key, storage: 'json' }, negate: false } as NormFilter;
      expect(() => compileFilter(filter)).toThrow(/cannot be stored/);
    }
  });

  it('treats operator-looking strings as plain values', () => {
    const doc = compileFilter({ kind: 'cmp', path: f('title'), op: 'eq', value: '$gt' });
    expect(doc).toEqual({ 'data.title': { $eq: '$gt' } });
    const docs = [{ _id: 'x', data: { title: '$gt' } }, { _id: 'y', data: { title: 'a' } }];
    expect(find(docs, doc).all().map((d) => d._id)).toEqual(['x']);
    const re = compileFilter({ kind: 'text', path: f('title'), mode: 'contains', value: '(a+)+$' });
    expect(find([{ data: { title: 'aaa' } }, { data: { title: 'x(a+)+$y' } }], re).all()).toHaveLength(1);
  });

  it('the safety walk refuses anything it did not emit', () => {
    expect(() => assertSafeQuery({ $where: 'sleep(1000)' })).toThrow(/Unsafe/);
    expect(() => assertSafeQuery({ 'data.title': { $eq: { $gt: '' } } })).toThrow(/Unsafe/);
    expect(() => assertSafeQuery({ 'data.title': { $in: [{ $gt: '' }] } })).toThrow(/Unsafe/);
    expect(() => assertSafeQuery({ 'data.title': { $expr: 1 } })).toThrow(/Unsafe/);
    expect(() => assertSafeQuery({ 'data.title': 'bare value' })).toThrow(/Unsafe/);
    expect(() => assertSafeQuery({ 'data.$x': { $eq: 1 } })).toThrow(/Unsafe/);
    // the form is the collection: no compiled query names it
    expect(() => assertSafeQuery({ formId: { $eq: 'f1' } })).toThrow(/Unsafe/);
    expect(() => assertSafeQuery({ $or: [{ _id: { $eq: 'a' } }, { status: { $regex: 'x', $options: 'i' } }] })).not.toThrow();
  });

  it('stores operator-looking keys inside a JSON value escaped, and reads them back', () => {
    const r07 = FIXTURE_RECORDS.find((r) => r.id === 'r07')!;
    const doc = toRecordDoc({ ...r07, data: { ...r07.data, notes: { $gt: '', 'a.b': 1, '%24x': 2, list: [{ $in: [1] }] } } });
    expect(JSON.stringify(doc)).not.toMatch(/"\$|"[^"]*\.[^"]*":/);
    expect(fromRecordDoc(doc, FIXTURE_FORM_ID).data.notes).toEqual({ $gt: '', 'a.b': 1, '%24x': 2, list: [{ $in: [1] }] });
    const top = toRecordDoc({ ...r07, data: { $set: 1, 'a.b': 2, title: 'x' } });
    expect(Object.keys(top.data).sort()).toEqual(['%24set', 'a%2Eb', 'title']);
    expect(fromRecordDoc(top, FIXTURE_FORM_ID).data).toEqual({ $set: 1, 'a.b': 2, title: 'x' });
  });
});

describe('compiled shapes', () => {
  it('stores records without their form id and reads it from the collection', () => {
    const doc = toRecordDoc(FIXTURE_RECORDS[0]!);
    expect(doc).not.toHaveProperty('formId');
    expect(fromRecordDoc(doc, FIXTURE_FORM_ID)).toEqual(FIXTURE_RECORDS[0]);
  });

  it('sorts with an _id tie-breaker in the direction of the last key', () => {
    expect(compileSort([{ path: f('amount'), dir: 'asc' }, { path: sys('createdAt'), dir: 'desc' }], null).sort).toEqual([
      ['data.amount', 1], ['createdAt', -1], ['_id', -1],
    ]);
    expect(compileSort([], null).sort).toEqual([['_id', 1]]);
    expect(compileSort([{ path: sys('id'), dir: 'desc' }], null).sort).toEqual([['_id', -1]]);
  });

  it('rejects a cursor that does not fit the sort', () => {
    expect(() => compileSort([{ path: f('amount'), dir: 'asc' }], { values: [], id: 'r01' })).toThrow(/cursor/);
  });

  it('groups buckets from the stored strings with operators MongoDB and mingo share', () => {
    const { pipeline } = compileAggregate({
      filter: { kind: 'true' }, groupBy: [{ path: f('due'), bucket: 'week', alias: 'due' }], metrics: [{ op: 'count', path: null, alias: 'n' }],
    });
    const text = JSON.stringify(pipeline);
    expect(text).toContain('%V');
    expect(text).toContain('$isoDayOfWeek');
    expect(text).not.toMatch(/"\$(function|where|accumulator)"/);
  });
});
