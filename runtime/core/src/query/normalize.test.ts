import { describe, expect, it } from 'vitest';
import { TrellisError } from '../errors.js';
import type { FormDefinition } from '../schema/form.js';
import { encodeCursor } from './cursor.js';
import type { NormFilter } from './normalized.js';
import { normalizeAggregate, normalizeFilter, normalizeListQuery, normalizeSort, resolveFieldPath, type QueryContext } from './normalize.js';

const def: FormDefinition = {
  name: 'Purchase',
  fields: [
    { key: 'title', type: 'text', label: 'Title' },
    { key: 'amount', type: 'money', label: 'Amount' },
    { key: 'qty', type: 'number', label: 'Qty' },
    { key: 'due', type: 'date', label: 'Due' },
    { key: 'at', type: 'datetime', label: 'At' },
    { key: 'urgent', type: 'checkbox', label: 'Urgent' },
    { key: 'stage', type: 'select', label: 'Stage', options: ['draft', 'approved'] },
    { key: 'tags', type: 'multiselect', label: 'Tags', options: ['a', 'b', 'c'] },
    { key: 'lines', type: 'subtable', label: 'Lines', fields: [{ key: 'sku', type: 'text', label: 'SKU' }] },
    { key: 'supplier', type: 'link', label: 'Supplier', form: 'f2' },
    { key: 'suppliers', type: 'link', label: 'Suppliers', form: 'f2', multiple: true },
    { key: 'city', type: 'lookup', label: 'City', link: 'supplier', field: 'city', valueType: 'text' },
    { key: 'cities', type: 'lookup', label: 'Cities', link: 'suppliers', field: 'city', valueType: 'text' },
    { key: 'total', type: 'formula', label: 'Total', formula: { '*': [{ var: 'qty' }, 2] } },
  ],
};
const ctx: QueryContext = { now: new Date('2026-11-27T18:00:00Z') };
const sh: QueryContext = { now: new Date('2026-11-27T18:00:00Z'), timeZone: 'Asia/Shanghai' };

function rejects(fn: () => unknown, message?: RegExp): void {
  try {
    fn();
    expect.unreachable('accepted');
  } catch (e) {
    expect(e).toBeInstanceOf(TrellisError);
    expect((e as TrellisError).code).toBe('INVALID_QUERY');
    if (message) expect((e as TrellisError).message).toMatch(message);
  }
}

const nf = (f: unknown, c: QueryContext = ctx): NormFilter => normalizeFilter(f, def, c);
const data = (key: string, storage: string) => ({ source: 'data', key, storage });

describe('resolveFieldPath', () => {
  it('resolves system and data fields', () => {
    expect(resolveFieldPath(def, 'createdAt').path).toEqual({ source: 'system', column: 'createdAt', storage: 'datetime' });
    expect(resolveFieldPath(def, 'createdAt').facts.sortable).toBe(true);
    expect(resolveFieldPath(def, 'id').facts).toMatchObject({ storage: 'ref', sortable: false, groupable: false });
    expect(resolveFieldPath(def, 'formVersion').facts.storage).toBe('number');
    expect(resolveFieldPath(def, 'status').facts.storage).toBe('text');
    expect(resolveFieldPath(def, 'amount').path).toEqual(data('amount', 'number'));
    expect(resolveFieldPath(def, 'total').facts).toMatchObject({ storage: 'number', computed: true });
  });

  it('stores a lookup through a multiple link as an array', () => {
    expect(resolveFieldPath(def, 'city').facts.storage).toBe('text');
    expect(resolveFieldPath(def, 'cities').facts).toMatchObject({ storage: 'array', computed: true });
    expect(resolveFieldPath(def, 'suppliers').facts.storage).toBe('array');
  });

  it('rejects unknown fields, including prototype names', () => {
    rejects(() => resolveFieldPath(def, 'nope'), /Unknown field "nope"/);
    rejects(() => resolveFieldPath(def, '__proto__'));
    rejects(() => resolveFieldPath(def, 'constructor'));
    rejects(() => resolveFieldPath(def, 'sku')); // sub-table fields are not top-level
    try {
      resolveFieldPath(def, 'x');
    } catch (e) {
      expect((e as TrellisError).details).toEqual({ field: 'x' });
    }
  });
});

describe('normalizeFilter: shapes', () => {
  it('treats no filter as true and simplifies trivially', () => {
    expect(nf(undefined)).toEqual({ kind: 'true' });
    expect(nf(null)).toEqual({ kind: 'true' });
    expect(nf({ and: [] })).toEqual({ kind: 'true' });
    expect(nf({ or: [] })).toEqual({ kind: 'false' });
    expect(nf({ not: { and: [] } })).toEqual({ kind: 'false' });
    const one = { field: 'amount', op: 'gt', value: 100 };
    expect(nf({ and: [one] })).toEqual({ kind: 'cmp', path: data('amount', 'number'), op: 'gt', value: 100 });
    expect(nf({ not: { not: one } })).toEqual(nf(one));
    expect(nf({ or: [one, { field: 'title', op: 'eq', value: 'x' }] }).kind).toBe('or');
    expect(nf({ not: one }).kind).toBe('not');
  });

  it('rejects unknown keys, ops and fields', () => {
    rejects(() => nf({ and: [], or: [] }), /Unknown key/);
    rejects(() => nf({ field: 'amount', op: 'gt', value: 1, extra: 1 }), /Unknown key "extra"/);
    rejects(() => nf({ field: 'amount', op: '$where', value: 'x' }), /Unknown operator/);
    rejects(() => nf({ $where: 'sleep(1000)' }), /Unknown key "\$where"/);
    rejects(() => nf({ field: 'ghost', op: 'eq', value: 1 }), /Unknown field "ghost"/);
    rejects(() => nf({ and: {} }), /list/);
    rejects(() => nf([]), /A filter is an object/);
    rejects(() => nf('amount > 1'));
  });

  it('rejects ops the field does not take', () => {
    rejects(() => nf({ field: 'title', op: 'gt', value: 'a' }), /Operator "gt" does not apply to field "title"/);
    rejects(() => nf({ field: 'lines', op: 'eq', value: 'a' }), /does not apply/);
    rejects(() => nf({ field: 'urgent', op: 'in', value: [true] }), /does not apply/);
    rejects(() => nf({ field: 'amount', op: 'contains', value: '1' }), /does not apply/);
    expect(nf({ field: 'lines', op: 'notEmpty' })).toEqual({ kind: 'empty', path: data('lines', 'json'), negate: true });
  });

  it('bounds depth and size', () => {
    let deep: unknown = { field: 'amount', op: 'gt', value: 1 };
    for (let i = 0; i < 8; i++) deep = { not: deep };
    rejects(() => nf(deep), /deeper than 8/);
    let ok: unknown = { field: 'amount', op: 'gt', value: 1 };
    for (let i = 0; i < 7; i++) ok = { and: [ok] };
    expect(nf(ok).kind).toBe('cmp');
    let bomb: unknown = {};
    for (let i = 0; i < 10_000; i++) bomb = { not: bomb };
    rejects(() => nf(bomb), /deeper/);
    const many = Array.from({ length: 201 }, (_, i) => ({ field: 'amount', op: 'eq', value: i }));
    rejects(() => nf({ or: many }), /more than 200/);
    rejects(() => nf({ or: [{ or: many.slice(0, 150) }, { or: many.slice(0, 150) }] }), /more than 200 conditions/);
    rejects(() => nf({ or: new Array(1_000_000).fill({ and: [] }) }), /more than 200/);
  });
});

describe('normalizeFilter: values must be plain', () => {
  it('rejects operator injection in values', () => {
    rejects(() => nf({ field: 'title', op: 'eq', value: { $gt: '' } }), /plain/);
    rejects(() => nf({ field: 'title', op: 'ne', value: { $where: 'this.a' } }), /plain/);
    rejects(() => nf({ field: 'amount', op: 'gt', value: { $gt: '' } }), /plain/);
    rejects(() => nf({ field: 'title', op: 'eq', value: ['a'] }), /plain/);
    rejects(() => nf({ field: 'title', op: 'in', value: [{ $ne: null }] }), /plain/);
    rejects(() => nf({ field: 'stage', op: 'in', value: 'draft' }), /list/);
    rejects(() => nf({ field: 'tags', op: 'contains', value: [{ $exists: true }] }), /plain/);
    rejects(() => nf({ field: 'due', op: 'eq', value: { relative: 'thisMonth', $gt: 1 } }), /plain/);
    rejects(() => nf({ field: 'title', op: 'contains', value: { $regex: '.*' } }), /text of 1 to 200/);
    rejects(() => nf({ field: 'title', op: 'gt', value: null }));
    rejects(() => nf({ field: 'amount', op: 'gt', value: null }), /not null/);
    rejects(() => nf({ field: 'amount', op: 'eq' }), /required/);
  });

  it('coerces and checks per storage', () => {
    expect(nf({ field: 'amount', op: 'gte', value: '12' })).toMatchObject({ value: 12 });
    rejects(() => nf({ field: 'amount', op: 'gte', value: '12abc' }), /needs a number/);
    rejects(() => nf({ field: 'amount', op: 'gte', value: '' }), /needs a number/);
    rejects(() => nf({ field: 'amount', op: 'gte', value: true }), /needs a number/);
    expect(nf({ field: 'due', op: 'lt', value: '2026-02-28' })).toMatchObject({ value: '2026-02-28' });
    rejects(() => nf({ field: 'due', op: 'lt', value: '2026-02-30' }), /YYYY-MM-DD/);
    rejects(() => nf({ field: 'due', op: 'lt', value: 20260228 }), /YYYY-MM-DD/);
    expect(nf({ field: 'at', op: 'gte', value: '2026-11-27T10:00:00+08:00' })).toMatchObject({ value: '2026-11-27T02:00:00.000Z' });
    expect(nf({ field: 'at', op: 'gte', value: '2026-11-27' }, sh)).toMatchObject({ value: '2026-11-26T16:00:00.000Z' });
    expect(nf({ field: 'createdAt', op: 'lt', value: '2026-11-27' })).toMatchObject({ value: '2026-11-27T00:00:00.000Z' });
    rejects(() => nf({ field: 'at', op: 'gte', value: '2026-11-27T10:00:00' }), /zone/);
    expect(nf({ field: 'urgent', op: 'eq', value: false })).toMatchObject({ value: false });
    rejects(() => nf({ field: 'urgent', op: 'eq', value: 'true' }), /true or false/);
    expect(nf({ field: 'title', op: 'eq', value: null })).toMatchObject({ op: 'eq', value: null });
    expect(nf({ field: 'title', op: 'eq', value: 42 })).toMatchObject({ value: '42' });
    rejects(() => nf({ field: 'title', op: 'eq', value: 'x'.repeat(1001) }), /longer/);
  });

  it('handles in, between and text search', () => {
    expect(nf({ field: 'stage', op: 'in', value: ['draft', 'approved', 'draft'] })).toEqual({
      kind: 'in', path: data('stage', 'ref'), values: ['draft', 'approved'], negate: false,
    });
    expect(nf({ field: 'stage', op: 'nin', value: ['draft'] })).toMatchObject({ kind: 'in', negate: true });
    expect(nf({ field: 'stage', op: 'in', value: [] })).toEqual({ kind: 'false' });
    expect(nf({ field: 'stage', op: 'nin', value: [] })).toEqual({ kind: 'true' });
    rejects(() => nf({ field: 'stage', op: 'in', value: new Array(501).fill('a') }), /more than 500/);
    expect(nf({ field: 'amount', op: 'between', value: [10, '20'] })).toEqual({
      kind: 'and',
      items: [
        { kind: 'cmp', path: data('amount', 'number'), op: 'gte', value: 10 },
        { kind: 'cmp', path: data('amount', 'number'), op: 'lte', value: 20 },
      ],
    });
    rejects(() => nf({ field: 'amount', op: 'between', value: [10] }), /\[low, high\]/);
    expect(nf({ field: 'title', op: 'contains', value: 'Pump' })).toEqual({ kind: 'text', path: data('title', 'text'), mode: 'contains', value: 'Pump' });
    expect(nf({ field: 'title', op: 'startsWith', value: 'P' })).toMatchObject({ mode: 'startsWith' });
    rejects(() => nf({ field: 'title', op: 'contains', value: '' }));
    rejects(() => nf({ field: 'title', op: 'contains', value: 'x'.repeat(201) }));
    rejects(() => nf({ field: 'title', op: 'empty', value: 'x' }), /takes no value/);
  });

  it('maps array storage to has', () => {
    const tags = data('tags', 'array');
    expect(nf({ field: 'tags', op: 'eq', value: 'a' })).toEqual({ kind: 'has', path: tags, mode: 'any', values: ['a'] });
    expect(nf({ field: 'tags', op: 'in', value: ['a', 'b'] })).toEqual({ kind: 'has', path: tags, mode: 'any', values: ['a', 'b'] });
    expect(nf({ field: 'tags', op: 'nin', value: ['a'] })).toMatchObject({ mode: 'none' });
    expect(nf({ field: 'tags', op: 'ne', value: 'a' })).toMatchObject({ mode: 'none' });
    expect(nf({ field: 'tags', op: 'contains', value: ['a', 'c'] })).toMatchObject({ mode: 'all', values: ['a', 'c'] });
    expect(nf({ field: 'cities', op: 'contains', value: 'Wuxi' })).toMatchObject({ kind: 'has', mode: 'all' });
    expect(nf({ field: 'tags', op: 'in', value: [] })).toEqual({ kind: 'false' });
    rejects(() => nf({ field: 'tags', op: 'eq', value: null }), /plain/);
    rejects(() => nf({ field: 'tags', op: 'gt', value: 'a' }), /does not apply/);
  });
});

describe('normalizeFilter: relative dates', () => {
  const due = data('due', 'date');
  it('turns thisMonth on a date field into a range', () => {
    const rel = { relative: 'thisMonth' };
    expect(nf({ field: 'due', op: 'eq', value: rel })).toEqual({
      kind: 'and',
      items: [
        { kind: 'cmp', path: due, op: 'gte', value: '2026-11-01' },
        { kind: 'cmp', path: due, op: 'lt', value: '2026-12-01' },
      ],
    });
    expect(nf({ field: 'due', op: 'ne', value: rel })).toMatchObject({ kind: 'not', item: { kind: 'and' } });
    expect(nf({ field: 'due', op: 'gt', value: rel })).toEqual({ kind: 'cmp', path: due, op: 'gte', value: '2026-12-01' });
    expect(nf({ field: 'due', op: 'gte', value: rel })).toEqual({ kind: 'cmp', path: due, op: 'gte', value: '2026-11-01' });
    expect(nf({ field: 'due', op: 'lt', value: rel })).toEqual({ kind: 'cmp', path: due, op: 'lt', value: '2026-11-01' });
    expect(nf({ field: 'due', op: 'lte', value: rel })).toEqual({ kind: 'cmp', path: due, op: 'lt', value: '2026-12-01' });
  });

  it('takes any number of days: "older than 45 days" is before the last 45 days', () => {
    expect(nf({ field: 'due', op: 'lt', value: { relative: 'last45Days' } })).toEqual({ kind: 'cmp', path: due, op: 'lt', value: '2026-10-14' });
    expect(nf({ field: 'due', op: 'eq', value: { relative: 'next3Days' } })).toMatchObject({ items: [{ op: 'gte' }, { op: 'lt' }] });
  });

  it('uses instants of local midnight on datetime fields', () => {
    // 18:00Z on Nov 27 is Nov 28 in Shanghai
    expect(nf({ field: 'createdAt', op: 'eq', value: { relative: 'today' } }, sh)).toEqual({
      kind: 'and',
      items: [
        { kind: 'cmp', path: { source: 'system', column: 'createdAt', storage: 'datetime' }, op: 'gte', value: '2026-11-27T16:00:00.000Z' },
        { kind: 'cmp', path: { source: 'system', column: 'createdAt', storage: 'datetime' }, op: 'lt', value: '2026-11-28T16:00:00.000Z' },
      ],
    });
    expect(nf({ field: 'at', op: 'between', value: [{ relative: 'lastMonth' }, { relative: 'thisMonth' }] })).toMatchObject({
      items: [{ op: 'gte', value: '2026-10-01T00:00:00.000Z' }, { op: 'lt', value: '2026-12-01T00:00:00.000Z' }],
    });
  });

  it('rejects relative dates elsewhere', () => {
    rejects(() => nf({ field: 'amount', op: 'eq', value: { relative: 'today' } }), /only to date fields/);
    rejects(() => nf({ field: 'due', op: 'eq', value: { relative: 'someday' } }), /Unknown relative date/);
    rejects(() => nf({ field: 'due', op: 'eq', value: { relative: 'last0Days' } }), /lastNDays \/ nextNDays/);
    rejects(() => nf({ field: 'due', op: 'in', value: [{ relative: 'today' }] }), /plain/);
  });
});

describe('normalizeSort', () => {
  it('defaults to newest first', () => {
    expect(normalizeSort(undefined, def)).toEqual([{ path: { source: 'system', column: 'createdAt', storage: 'datetime' }, dir: 'desc' }]);
    expect(normalizeSort([], def)).toHaveLength(1);
  });

  it('accepts sortable fields', () => {
    expect(normalizeSort([{ field: 'amount', dir: 'desc' }, { field: 'title' }], def)).toEqual([
      { path: data('amount', 'number'), dir: 'desc' },
      { path: data('title', 'text'), dir: 'asc' },
    ]);
  });

  it('rejects bad sorts', () => {
    rejects(() => normalizeSort([{ field: 'id' }], def), /"id"/);
    rejects(() => normalizeSort([{ field: 'tags' }], def), /cannot be sorted/);
    rejects(() => normalizeSort([{ field: 'supplier' }], def), /cannot be sorted/);
    rejects(() => normalizeSort([{ field: 'nope' }], def), /Unknown field/);
    rejects(() => normalizeSort([{ field: 'amount', dir: 'up' }], def), /direction/);
    rejects(() => normalizeSort([{ field: 'amount', $natural: 1 }], def), /Unknown key/);
    rejects(() => normalizeSort([{ field: 'amount' }, { field: 'amount' }], def), /twice/);
    rejects(() => normalizeSort(['amount', 'qty', 'due', 'at', 'title', 'stage'].map((field) => ({ field })), def), /at most 5/);
    rejects(() => normalizeSort({ field: 'amount' }, def));
  });
});

describe('normalizeListQuery', () => {
  it('fills defaults', () => {
    expect(normalizeListQuery({}, def, ctx)).toEqual({
      filter: { kind: 'true' },
      sort: [{ path: { source: 'system', column: 'createdAt', storage: 'datetime' }, dir: 'desc' }],
      limit: 50,
      after: null,
      count: false,
    });
    expect(normalizeListQuery(undefined, def, ctx).limit).toBe(50);
  });

  it('checks limit, count and cursor', () => {
    const sort = [{ field: 'amount', dir: 'asc' as const }];
    const normSort = normalizeSort(sort, def);
    const cursor = encodeCursor(normSort, { id: 'r9', data: { amount: 5 } });
    const q = normalizeListQuery({ sort, limit: 10, cursor, count: true }, def, ctx);
    expect(q).toMatchObject({ limit: 10, count: true, after: { values: [5], id: 'r9' } });
    expect(normalizeListQuery({ limit: '20' }, def, ctx).limit).toBe(20);
    rejects(() => normalizeListQuery({ limit: 0 }, def, ctx), /limit/);
    rejects(() => normalizeListQuery({ limit: 201 }, def, ctx), /limit/);
    rejects(() => normalizeListQuery({ limit: 2.5 }, def, ctx), /limit/);
    rejects(() => normalizeListQuery({ count: 'yes' }, def, ctx), /count/);
    rejects(() => normalizeListQuery({ cursor: 'garbage!' }, def, ctx), /cursor/);
    rejects(() => normalizeListQuery({ cursor }, def, ctx), /cursor/); // made for another sort
    rejects(() => normalizeListQuery({ cursor: 5 }, def, ctx), /cursor/);
    rejects(() => normalizeListQuery({ filter: { field: 'amount', op: 'eq', value: { $gt: '' } } }, def, ctx), /plain/);
    rejects(() => normalizeListQuery({ offset: 10 } as never, def, ctx), /Unknown key "offset"/);
  });
});

describe('normalizeAggregate', () => {
  it('normalizes groups and metrics with aliases', () => {
    const q = normalizeAggregate(
      {
        filter: { field: 'stage', op: 'eq', value: 'approved' },
        groupBy: [{ field: 'stage' }, { field: 'createdAt', bucket: 'month' }],
        metrics: [{ op: 'sum', field: 'amount' }, { op: 'count' }, { op: 'max', field: 'due', as: 'latest' }, { op: 'count', field: 'title' }],
      },
      def,
      ctx,
    );
    expect(q.filter).toMatchObject({ kind: 'cmp', value: 'approved' });
    expect(q.groupBy).toEqual([
      { path: data('stage', 'ref'), bucket: null, alias: 'stage' },
      { path: { source: 'system', column: 'createdAt', storage: 'datetime' }, bucket: 'month', alias: 'createdAt' },
    ]);
    expect(q.metrics).toEqual([
      { op: 'sum', path: data('amount', 'number'), alias: 'sum_amount' },
      { op: 'count', path: null, alias: 'count' },
      { op: 'max', path: data('due', 'date'), alias: 'latest' },
      { op: 'count', path: data('title', 'text'), alias: 'count_title' },
    ]);
  });

  it('rejects bad aggregates', () => {
    const m = [{ op: 'count' }];
    rejects(() => normalizeAggregate({ metrics: [] }, def, ctx), /at least one/);
    rejects(() => normalizeAggregate({ groupBy: [{ field: 'tags' }], metrics: m }, def, ctx), /cannot be grouped/);
    rejects(() => normalizeAggregate({ groupBy: [{ field: 'amount', bucket: 'month' }], metrics: m }, def, ctx), /only to date fields/);
    rejects(() => normalizeAggregate({ groupBy: [{ field: 'due', bucket: 'hour' }], metrics: m }, def, ctx), /Unknown bucket/);
    rejects(() => normalizeAggregate({ groupBy: ['stage', 'due', 'at', 'qty'].map((field) => ({ field })), metrics: m }, def, ctx), /at most 3/);
    rejects(() => normalizeAggregate({ metrics: [{ op: 'sum', field: 'title' }] }, def, ctx), /does not apply/);
    rejects(() => normalizeAggregate({ metrics: [{ op: 'avg', field: 'due' }] }, def, ctx), /does not apply/);
    rejects(() => normalizeAggregate({ metrics: [{ op: 'sum' }] }, def, ctx), /needs a field/);
    rejects(() => normalizeAggregate({ metrics: [{ op: 'median', field: 'amount' }] }, def, ctx), /Unknown metric/);
    rejects(() => normalizeAggregate({ metrics: [{ op: 'count' }, { op: 'count' }] }, def, ctx), /Two metrics are named "count"/);
    rejects(() => normalizeAggregate({ metrics: [{ op: 'sum', field: 'amount' }, { op: 'count', as: 'sum_amount' }] }, def, ctx), /Two metrics/);
    rejects(() => normalizeAggregate({ metrics: [{ op: 'count', as: '$where' }] }, def, ctx), /letters/);
    rejects(() => normalizeAggregate({ metrics: m, having: {} }, def, ctx), /Unknown key "having"/);
    rejects(() => normalizeAggregate(null, def, ctx));
  });
});
