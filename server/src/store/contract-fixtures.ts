import {
  matchFilter,
  type AggregateRow, type FieldPath, type NormAggregateQuery, type NormFilter, type NormListQuery, type NormSort, type RecordData, type Scalar,
  type StorageType, type SystemField,
} from '@trellis/core';
import type { RecordEntity } from './port.js';

/**
 * Fixed records and query cases every store adapter must answer identically
 * (store/contract.ts runs them; the MongoDB compiler checks its pipelines on
 * them with mingo). Semantics pinned here:
 * - missing and null are the same value ("null"); `eq null` matches both,
 *   `ne x` matches them, gt/gte/lt/lte never do, `in` matches them only when
 *   null is listed, `in` negate matches them unless null is listed;
 * - comparisons are type-strict; text compares by code point (case-sensitive);
 *   contains/startsWith are case-insensitive (ASCII) and treat % and _ literally;
 * - `not` is the exact complement of its item;
 * - empty = missing, null, "" or [] (`{}` and 0 and false are not empty);
 * - sort: null first in asc, last in desc; `id` in the direction of the last
 *   key breaks ties; `after` continues strictly after (values, id);
 * - aggregate: rows ordered by group values ascending, null first, false
 *   before true; with no groupBy exactly one row, even when nothing matches;
 *   `count` without a path counts records, with a path counts non-null values;
 *   sum of no values is 0; avg/min/max of no values is null; date buckets are
 *   UTC: day YYYY-MM-DD, week YYYY-Www (ISO), month YYYY-MM, quarter YYYY-Qn, year YYYY.
 */

export const FIXTURE_FORM_ID = 'fx-orders';

const FIELD_STORAGE = {
  title: 'text', amount: 'number', qty: 'number', dept: 'ref', tags: 'array', done: 'boolean', due: 'date',
  at: 'datetime', notes: 'json',
} as const satisfies Record<string, StorageType>;
export type FixtureField = keyof typeof FIELD_STORAGE;

const SYSTEM_STORAGE: Record<SystemField, StorageType> = {
  id: 'text', createdAt: 'datetime', updatedAt: 'datetime', createdBy: 'ref', status: 'text', formVersion: 'number',
};

/** Path of a fixture data field. */
export function f(key: FixtureField): FieldPath {
  return { source: 'data', key, storage: FIELD_STORAGE[key] };
}
/** Path of a system field. */
export function sys(column: SystemField): FieldPath {
  return { source: 'system', column, storage: SYSTEM_STORAGE[column] };
}

interface Sys { createdAt: string; createdBy: string | null; status: string; formVersion?: number; updatedAt?: string }
function rec(id: string, s: Sys, data: RecordData): RecordEntity {
  return {
    id, formId: FIXTURE_FORM_ID, formVersion: s.formVersion ?? 1, version: 1, data,
    createdBy: s.createdBy, createdAt: s.createdAt, updatedAt: s.updatedAt ?? s.createdAt, status: s.status,
  };
}
const T = (d: string, t = '12:00:00.000'): string => `${d}T${t}Z`;

/** 40 records of form `fx-orders`; ids r01…r40. Missing fields are simply absent from `data`. */
export const FIXTURE_RECORDS: RecordEntity[] = [
  rec('r01', { createdAt: T('2024-01-15', '09:00:00.000'), createdBy: 'u1', status: 'submitted' },
    { title: 'Alpha order', amount: 100, qty: 2, dept: 'd1', tags: ['a', 'b'], done: true, due: '2024-12-30', at: T('2024-12-30', '10:00:00.000'), notes: { a: 1 } }),
  rec('r02', { createdAt: T('2024-02-20', '10:00:00.000'), createdBy: 'u2', status: 'approved' },
    { title: 'alpha beta', amount: 250.5, qty: 1, dept: 'd2', tags: ['b'], done: false, due: '2025-01-05', at: T('2025-01-05', '23:30:00.000'), notes: [] }),
  rec('r03', { createdAt: T('2024-03-05', '11:00:00.000'), createdBy: 'u1', status: 'approved', formVersion: 2 },
    { title: 'ALPHABET soup', amount: 100, qty: 5, dept: 'd1', tags: [], done: true, due: '2021-01-03', at: T('2021-01-03'), notes: {} }),
  rec('r04', { createdAt: T('2024-04-10'), createdBy: null, status: 'submitted' },
    { title: 'Beta', amount: -20, qty: 3, dept: 'd3', tags: ['c'], done: false, due: null, at: null, notes: null }),
  rec('r05', { createdAt: T('2025-03-10', '08:00:00.000'), createdBy: 'u1', status: 'submitted' },
    { title: 'Beta', amount: 0, dept: 'd2', tags: ['a', 'c'], due: '2025-03-31', at: T('2025-03-31', '23:59:59.999') }),
  rec('r06', { createdAt: T('2025-03-10', '08:00:00.000'), createdBy: 'u2', status: 'rejected' },
    { title: 'Beta', amount: 75, qty: 4, dept: null, tags: null, done: true, due: '2025-04-01', at: T('2025-04-01', '00:00:00.000'), notes: '' }),
  rec('r07', { createdAt: T('2024-05-01', '00:00:00.000'), createdBy: 'u1', status: 'approved' },
    { title: 'beta max', amount: null, qty: 2, dept: 'd1', tags: ['a', 'b', 'c'], done: false, due: '2026-01-01', at: T('2026-01-01', '00:00:00.000'), notes: { $gt: '' } }),
  rec('r08', { createdAt: T('2024-06-30', '23:59:59.999'), createdBy: 'u2', status: 'submitted' },
    { title: 'Gamma', qty: 1, done: null, due: '2027-01-01', at: T('2026-12-31', '23:59:59.000') }),
  rec('r09', { createdAt: T('2024-07-01', '00:00:00.000'), createdBy: 'u1', status: 'approved' },
    { title: '', amount: 10, qty: 10, dept: 'd3', tags: ['b', 'c'], done: true, due: '2024-02-29', at: T('2024-02-29', '06:00:00.000'), notes: [{ row: 1 }] }),
  rec('r10', { createdAt: T('2024-08-08', '08:08:08.008'), createdBy: null, status: 'submitted' },
    { amount: 10, qty: 0, dept: 'd2', tags: ['a'], done: false, due: '2024-06-15', at: T('2024-06-15', '15:15:15.150'), notes: { x: null } }),
  rec('r11', { createdAt: T('2024-09-09'), createdBy: 'u2', status: 'approved', formVersion: 2 },
    { title: null, amount: 999.25, qty: 7, dept: 'd1', tags: ['a', 'b'], done: true, due: '2023-12-31', at: T('2023-12-31', '23:00:00.000') }),
  rec('r12', { createdAt: T('2024-10-10'), createdBy: 'u1', status: 'submitted' },
    { title: '100% cotton', amount: 15, qty: 3, dept: 'd3', tags: ['c'], done: false, due: '2025-07-04', at: T('2025-07-04'), notes: null }),
  rec('r13', { createdAt: T('2024-11-11'), createdBy: 'u1', status: 'rejected' },
    { title: 'under_score', amount: 15, qty: 3, dept: 'd2', tags: [], done: true, due: '2025-07-04', at: null, notes: 'text' }),
  rec('r14', { createdAt: T('2024-12-31', '23:59:59.999'), createdBy: 'u2', status: 'submitted' },
    { title: 'underscore', amount: 15, dept: 'd2', tags: ['b'] }),
  rec('r15', { createdAt: T('2025-01-01', '00:00:00.000'), createdBy: 'u1', status: 'approved' },
    { title: 'Delta', amount: 300, qty: 2, dept: 'd1', tags: ['a'], done: true, due: '2025-01-01', at: T('2025-01-01', '00:00:00.000') }),
  rec('r16', { createdAt: T('2025-02-14', '09:30:00.000'), createdBy: 'u2', status: 'submitted' },
    { title: 'delta', amount: 300, qty: 2, dept: 'd3', tags: ['b', 'a'], done: false, due: '2025-02-14', at: T('2025-02-14', '09:30:00.000') }),
  rec('r17', { createdAt: T('2025-03-10', '08:00:00.000'), createdBy: null, status: 'submitted' },
    { title: 'Epsilon', amount: 42, qty: 6, dept: 'd1', tags: ['c', 'a'], done: true, due: '2025-03-31', at: T('2025-03-31', '22:00:00.000') }),
  rec('r18', { createdAt: T('2025-04-15'), createdBy: 'u1', status: 'approved' },
    { title: '订单 one', amount: 88, qty: 8, dept: 'd2', tags: ['a'], done: false, due: '2025-05-05', at: T('2025-05-05', '05:05:05.005') }),
  rec('r19', { createdAt: T('2025-05-20'), createdBy: 'u2', status: 'submitted' },
    { title: '订单 two', amount: 88, qty: 1, dept: 'd2', tags: ['b'], done: true, due: '2025-05-06', at: T('2025-05-06', '18:00:00.000') }),
  rec('r20', { createdAt: T('2025-06-01'), createdBy: 'u1', status: 'rejected' },
    { title: 'Zeta', amount: 5.5, qty: 9, dept: 'd3', tags: ['a', 'b'], done: null, due: '2025-06-30', at: T('2025-06-30', '23:59:59.999') }),
  rec('r21', { createdAt: T('2025-06-01'), createdBy: 'u1', status: 'submitted', formVersion: 2 },
    { title: 'eta', amount: 5.5, qty: 9, tags: ['c'], done: true, due: '2025-07-01', at: T('2025-07-01', '00:00:00.000') }),
  rec('r22', { createdAt: T('2025-07-07'), createdBy: 'u2', status: 'approved' },
    { title: 'Theta', amount: 1000, qty: 1, dept: 'd1', tags: ['a', 'b', 'c'], done: false, due: '2025-09-30', at: T('2025-09-30', '23:59:59.999') }),
  rec('r23', { createdAt: T('2025-08-08'), createdBy: 'u1', status: 'submitted' },
    { title: 'iota', amount: 1, qty: 1, dept: 'd2', tags: [], done: true, due: '2025-10-01', at: T('2025-10-01', '00:00:00.000') }),
  rec('r24', { createdAt: T('2025-09-09'), createdBy: 'u2', status: 'submitted' },
    { title: 'Kappa', amount: 100, qty: 2, dept: 'd3', tags: ['b'], done: false, due: '2025-12-29', at: T('2025-12-29', '08:00:00.000') }),
  rec('r25', { createdAt: T('2025-10-10'), createdBy: 'u1', status: 'approved' },
    { title: 'lambda', amount: 100, qty: 3, dept: 'd1', tags: ['a'], done: true, due: '2025-12-28', at: T('2025-12-28', '20:00:00.000') }),
  rec('r26', { createdAt: T('2025-11-11'), createdBy: null, status: 'rejected' },
    { title: 'Mu', amount: 7, qty: null, dept: 'd2', tags: null, done: false, due: '2026-02-28', at: T('2026-02-28') }),
  rec('r27', { createdAt: T('2025-12-12'), createdBy: 'u2', status: 'submitted' },
    { title: 'nu', amount: 7, qty: 4, dept: 'd1', tags: ['c'], done: true, due: '2026-03-01', at: T('2026-03-01') }),
  rec('r28', { createdAt: T('2025-12-31', '23:59:59.999'), createdBy: 'u1', status: 'submitted' },
    { title: 'Xi', amount: null, qty: 4, dept: 'd3', tags: ['a', 'c'], done: false, due: '2026-03-31', at: T('2026-03-31') }),
  rec('r29', { createdAt: T('2026-01-01', '00:00:00.000'), createdBy: 'u2', status: 'approved' },
    { title: 'Omicron', amount: 60, qty: 5, dept: 'd2', tags: ['b', 'c'], done: true, due: '2026-04-01', at: T('2026-04-01') }),
  rec('r30', { createdAt: T('2026-01-15'), createdBy: 'u1', status: 'submitted' },
    { title: 'Pi', amount: 3.25, qty: 5, dept: 'd1', tags: ['a'], done: false, due: null, at: T('2026-01-15', '01:00:00.000') }),
  rec('r31', { createdAt: T('2026-02-01'), createdBy: 'u2', status: 'approved' },
    { title: 'Rho', amount: 200, qty: 2, dept: 'd2', tags: ['c'], done: true, due: '2026-06-15', at: T('2026-06-15') }),
  rec('r32', { createdAt: T('2026-02-15'), createdBy: 'u1', status: 'submitted' },
    { title: 'Sigma', amount: 200, qty: 2, tags: ['a', 'b'], done: false, due: '2026-06-16', at: T('2026-06-16') }),
  rec('r33', { createdAt: T('2026-03-01'), createdBy: null, status: 'rejected' },
    { title: 'Tau', amount: 50, qty: 6, dept: 'd3', tags: ['b'], done: true, due: '2026-07-01', at: T('2026-07-01') }),
  rec('r34', { createdAt: T('2026-03-15'), createdBy: 'u2', status: 'submitted' },
    { title: 'Upsilon', amount: 50, qty: 6, dept: 'd1', tags: [], done: false, due: '2026-07-02', at: T('2026-07-02') }),
  rec('r35', { createdAt: T('2026-04-01'), createdBy: 'u1', status: 'approved' },
    { title: 'Phi', amount: 12, qty: 3, dept: 'd2', tags: ['a'], done: true, due: '2026-08-01', at: T('2026-08-01') }),
  rec('r36', { createdAt: T('2026-04-15'), createdBy: 'u2', status: 'submitted' },
    { title: 'Chi', amount: -5, qty: 2, dept: 'd3', tags: ['c'], done: false, due: '2026-08-02', at: T('2026-08-02') }),
  rec('r37', { createdAt: T('2026-05-01'), createdBy: 'u1', status: 'approved' },
    { title: 'Psi', amount: 33, qty: 1, dept: 'd1', tags: ['b', 'c'], done: true, due: '2026-09-01', at: T('2026-09-01') }),
  rec('r38', { createdAt: T('2026-05-15'), createdBy: 'u2', status: 'submitted' },
    { title: 'Omega', amount: 33, qty: 1, dept: 'd2', tags: ['a'], due: '2026-09-02', at: T('2026-09-02') }),
  rec('r39', { createdAt: T('2026-05-20'), createdBy: 'u1', status: 'submitted' },
    { title: 'Alpha order', amount: 100, qty: 2, dept: 'd1', tags: ['a', 'b'], done: true, due: '2024-12-30', at: T('2024-12-30', '10:00:00.000'), notes: { a: 1 } }),
  rec('r40', { createdAt: T('2026-05-25'), createdBy: 'u2', status: 'submitted' },
    { title: 'zulu', amount: null, qty: 1, dept: 'd4', tags: ['d'], done: false, due: '2026-12-31', at: T('2026-12-31', '23:59:59.999') }),
];

// ---------------------------------------------------------------------------
// Reference evaluator: plain JS over the fixtures, written for obviousness,
// not speed. Tricky cases below also carry hand-listed expectations, and
// contract-fixtures.test.ts checks that both agree.

/** The value of `path` in a record; missing becomes null. */
export function valueAt(r: RecordEntity, path: FieldPath): unknown {
  if (path.source === 'system') return r[path.column] ?? null;
  return r.data[path.key] ?? null;
}

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Total order used by sorts and groups: null first, then false < true, numbers, strings by code point. */
export function compareScalars(a: unknown, b: unknown): number {
  const rank = (v: unknown): number => (v === null ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === null) return 0;
  if (typeof a === 'boolean') return Number(a) - Number(b as boolean);
  if (typeof a === 'number') return a - (b as number);
  const sa = a as string;
  const sb = b as string;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Sort keys of `r` for `sort` (what a cursor carries). */
export function sortValues(r: RecordEntity, sort: NormSort[]): Scalar[] {
  return sort.map((s) => {
    const v = valueAt(r, s.path);
    return isScalar(v) ? v : null;
  });
}

function compareBySort(a: RecordEntity, b: RecordEntity, sort: NormSort[]): number {
  for (const s of sort) {
    const c = compareScalars(valueAt(a, s.path), valueAt(b, s.path));
    if (c !== 0) return s.dir === 'asc' ? c : -c;
  }
  const lastDir = sort.length > 0 ? sort[sort.length - 1]!.dir : 'asc';
  const c = compareScalars(a.id, b.id);
  return lastDir === 'asc' ? c : -c;
}

/** Reference answer of a list query: the page's ids, hasMore and total. */
export function referenceFind(records: RecordEntity[], q: NormListQuery): { ids: string[]; hasMore: boolean; total: number } {
  const all = records.filter((r) => matchFilter(q.filter, r)).sort((a, b) => compareBySort(a, b, q.sort));
  let start = 0;
  if (q.after) {
    const after = q.after;
    // a pseudo-record standing at the cursor position
    const pos = { ...records[0]!, id: after.id, data: {} as RecordData } as RecordEntity;
    const at = (r: RecordEntity): number => {
      for (let i = 0; i < q.sort.length; i++) {
        const s = q.sort[i]!;
        const c = compareScalars(valueAt(r, s.path), after.values[i] ?? null);
        if (c !== 0) return s.dir === 'asc' ? c : -c;
      }
      const c = compareScalars(r.id, pos.id);
      const lastDir = q.sort.length > 0 ? q.sort[q.sort.length - 1]!.dir : 'asc';
      return lastDir === 'asc' ? c : -c;
    };
    start = all.findIndex((r) => at(r) > 0);
    if (start < 0) start = all.length;
  }
  const rest = all.slice(start);
  return { ids: rest.slice(0, q.limit).map((r) => r.id), hasMore: rest.length > q.limit, total: all.length };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** ISO 8601 week of a UTC day "YYYY-MM-DD" as "YYYY-Www". */
export function isoWeek(day: string): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00.000Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(d.getTime() + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const ordinal = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  return `${year}-W${pad2(Math.floor((ordinal - 1) / 7) + 1)}`;
}

/** Bucket of a date ("YYYY-MM-DD") or UTC datetime string. */
export function bucketOf(v: string, bucket: 'day' | 'week' | 'month' | 'quarter' | 'year'): string {
  switch (bucket) {
    case 'day': return v.slice(0, 10);
    case 'week': return isoWeek(v);
    case 'month': return v.slice(0, 7);
    case 'quarter': return `${v.slice(0, 4)}-Q${Math.floor((Number(v.slice(5, 7)) - 1) / 3) + 1}`;
    case 'year': return v.slice(0, 4);
  }
}

/** Reference answer of an aggregate query. */
export function referenceAggregate(records: RecordEntity[], q: NormAggregateQuery): AggregateRow[] {
  const rows = records.filter((r) => matchFilter(q.filter, r));
  const groups = new Map<string, { key: Scalar[]; members: RecordEntity[] }>();
  for (const r of rows) {
    const key = q.groupBy.map((g) => {
      const v = valueAt(r, g.path);
      if (v === null || !isScalar(v)) return null;
      return g.bucket && typeof v === 'string' ? bucketOf(v, g.bucket) : v;
    });
    const k = JSON.stringify(key);
    const entry = groups.get(k) ?? { key, members: [] };
    entry.members.push(r);
    groups.set(k, entry);
  }
  if (q.groupBy.length === 0 && groups.size === 0) groups.set('[]', { key: [], members: [] });
  const out = [...groups.values()].sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const c = compareScalars(a.key[i], b.key[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return out.map(({ key, members }) => {
    const group: AggregateRow['group'] = {};
    q.groupBy.forEach((g, i) => { group[g.alias] = key[i] ?? null; });
    const values: AggregateRow['values'] = {};
    for (const m of q.metrics) {
      if (m.op === 'count') {
        values[m.alias] = m.path ? members.filter((r) => valueAt(r, m.path!) !== null).length : members.length;
        continue;
      }
      const nums = members.map((r) => valueAt(r, m.path!)).filter((v): v is number => typeof v === 'number');
      if (m.op === 'sum') values[m.alias] = nums.reduce((s, n) => s + n, 0);
      else if (nums.length === 0) values[m.alias] = null;
      else if (m.op === 'avg') values[m.alias] = nums.reduce((s, n) => s + n, 0) / nums.length;
      else if (m.op === 'min') values[m.alias] = Math.min(...nums);
      else values[m.alias] = Math.max(...nums);
    }
    return { group, values };
  });
}

// ---------------------------------------------------------------------------
// Cases

export interface ListCase {
  name: string;
  kind: 'list';
  query: NormListQuery;
  /** ids of the page, in order */
  expectIds: string[];
  expectHasMore: boolean;
  /** set when query.count */
  expectTotal?: number;
  /** true when expectIds was written by hand (and cross-checked against the reference evaluator) */
  handListed: boolean;
}

export interface AggregateCase {
  name: string;
  kind: 'aggregate';
  query: NormAggregateQuery;
  /** rows in order; numbers compare with a small tolerance (float sums) */
  expectRows: AggregateRow[];
  handListed: boolean;
}

export type ContractCase = ListCase | AggregateCase;

const DEFAULT_SORT: NormSort[] = [{ path: sys('createdAt'), dir: 'desc' }];
const ALL = FIXTURE_RECORDS.length;

function list(name: string, filter: NormFilter, opts: Partial<Omit<NormListQuery, 'filter'>> = {}, hand?: string[]): ListCase {
  const query: NormListQuery = {
    filter, sort: opts.sort ?? DEFAULT_SORT, limit: opts.limit ?? 100, after: opts.after ?? null, count: opts.count ?? false,
  };
  const ref = referenceFind(FIXTURE_RECORDS, query);
  return {
    name, kind: 'list', query, expectIds: hand ?? ref.ids, expectHasMore: ref.hasMore,
    ...(query.count ? { expectTotal: ref.total } : {}), handListed: hand !== undefined,
  };
}

function agg(name: string, query: Omit<NormAggregateQuery, 'filter'> & { filter?: NormFilter }, hand?: AggregateRow[]): AggregateCase {
  const q: NormAggregateQuery = { filter: query.filter ?? { kind: 'true' }, groupBy: query.groupBy, metrics: query.metrics };
  return { name, kind: 'aggregate', query: q, expectRows: hand ?? referenceAggregate(FIXTURE_RECORDS, q), handListed: hand !== undefined };
}

const cmp = (path: FieldPath, op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', value: Scalar): NormFilter => ({ kind: 'cmp', path, op, value });
const byId: NormSort[] = [{ path: sys('id'), dir: 'asc' }];
const TRUE: NormFilter = { kind: 'true' };

/** Every case, named; run each against an adapter loaded with FIXTURE_RECORDS. */
export const CONTRACT_CASES: ContractCase[] = [
  // --- trivial filters and the default order (createdAt desc; ties r05/r06/r17 and r20/r21 by id desc)
  list('true, default sort createdAt desc', TRUE, {}, [
    'r40', 'r39', 'r38', 'r37', 'r36', 'r35', 'r34', 'r33', 'r32', 'r31', 'r30', 'r29', 'r28', 'r27', 'r26', 'r25',
    'r24', 'r23', 'r22', 'r21', 'r20', 'r19', 'r18', 'r17', 'r06', 'r05', 'r16', 'r15', 'r14', 'r13', 'r12', 'r11',
    'r10', 'r09', 'r08', 'r07', 'r04', 'r03', 'r02', 'r01',
  ]),
  list('false', { kind: 'false' }, {}, []),
  // --- cmp
  list('cmp number eq', cmp(f('amount'), 'eq', 100), { sort: byId }, ['r01', 'r03', 'r24', 'r25', 'r39']),
  list('cmp eq null matches missing and null', cmp(f('amount'), 'eq', null), { sort: byId }, ['r07', 'r08', 'r28', 'r40']),
  list('cmp ne includes missing and null', cmp(f('amount'), 'ne', 100), { sort: byId }),
  list('cmp ne null', cmp(f('amount'), 'ne', null), { sort: byId }),
  list('cmp gt number', cmp(f('amount'), 'gt', 100), { sort: byId }, ['r02', 'r11', 'r15', 'r16', 'r22', 'r31', 'r32']),
  list('cmp gte number', cmp(f('amount'), 'gte', 100), { sort: byId }),
  list('cmp lt number (null never)', cmp(f('amount'), 'lt', 5.5), { sort: byId }, ['r04', 'r05', 'r23', 'r30', 'r36']),
  list('cmp lte number', cmp(f('amount'), 'lte', 5.5), { sort: byId }),
  list('cmp lte zero on integer field', cmp(f('qty'), 'lte', 0), { sort: byId }, ['r10']),
  list('cmp text eq is case-sensitive', cmp(f('title'), 'eq', 'Beta'), { sort: byId }, ['r04', 'r05', 'r06']),
  list('cmp text gt is by code point', cmp(f('title'), 'gt', 'Zeta'), { sort: byId }, ['r02', 'r07', 'r13', 'r14', 'r16', 'r18', 'r19', 'r21', 'r23', 'r25', 'r27', 'r40']),
  list('cmp text lt empty string matches nothing', cmp(f('title'), 'lt', ''), { sort: byId }, []),
  list('cmp text lte empty string matches the empty string', cmp(f('title'), 'lte', ''), { sort: byId }, ['r09']),
  list('cmp boolean eq true', cmp(f('done'), 'eq', true), { sort: byId }),
  list('cmp boolean eq false', cmp(f('done'), 'eq', false), { sort: byId }),
  list('cmp boolean ne true includes missing', cmp(f('done'), 'ne', true), { sort: byId }),
  list('cmp date range', { kind: 'and', items: [cmp(f('due'), 'gte', '2025-01-01'), cmp(f('due'), 'lt', '2025-04-01')] }, { sort: byId },
    ['r02', 'r05', 'r15', 'r16', 'r17']),
  list('cmp datetime lt', cmp(f('at'), 'lt', '2025-04-01T00:00:00.000Z'), { sort: byId }),
  list('cmp datetime gte boundary', cmp(f('at'), 'gte', '2026-12-31T23:59:59.000Z'), { sort: byId }, ['r08', 'r40']),
  list('cmp ref eq', cmp(f('dept'), 'eq', 'd1'), { sort: byId }),
  list('cmp ref ne includes missing', cmp(f('dept'), 'ne', 'd1'), { sort: byId }),
  // --- in
  list('in ref', { kind: 'in', path: f('dept'), values: ['d1', 'd3'], negate: false }, { sort: byId }),
  list('in negate includes missing and null', { kind: 'in', path: f('dept'), values: ['d1', 'd2', 'd3'], negate: true }, { sort: byId },
    ['r06', 'r08', 'r21', 'r32', 'r40']),
  list('in with null', { kind: 'in', path: f('dept'), values: ['d4', null], negate: false }, { sort: byId }, ['r06', 'r08', 'r21', 'r32', 'r40']),
  list('in negate with null excludes missing', { kind: 'in', path: f('dept'), values: ['d1', 'd2', null], negate: true }, { sort: byId }),
  list('in numbers', { kind: 'in', path: f('amount'), values: [15, 0.5, 5.5], negate: false }, { sort: byId }, ['r12', 'r13', 'r14', 'r20', 'r21']),
  list('in empty list', { kind: 'in', path: f('amount'), values: [], negate: false }, { sort: byId }, []),
  // --- text
  list('text contains is case-insensitive', { kind: 'text', path: f('title'), mode: 'contains', value: 'ALPHA' }, { sort: byId },
    ['r01', 'r02', 'r03', 'r39']),
  list('text startsWith is case-insensitive', { kind: 'text', path: f('title'), mode: 'startsWith', value: 'bEtA' }, { sort: byId },
    ['r04', 'r05', 'r06', 'r07']),
  list('text contains % literally', { kind: 'text', path: f('title'), mode: 'contains', value: '%' }, { sort: byId }, ['r12']),
  list('text contains _ literally', { kind: 'text', path: f('title'), mode: 'contains', value: '_' }, { sort: byId }, ['r13']),
  list('text startsWith with _', { kind: 'text', path: f('title'), mode: 'startsWith', value: 'under_' }, { sort: byId }, ['r13']),
  list('text contains CJK', { kind: 'text', path: f('title'), mode: 'contains', value: '订单' }, { sort: byId }, ['r18', 'r19']),
  list('text contains with regex characters', { kind: 'text', path: f('title'), mode: 'contains', value: '.*' }, { sort: byId }, []),
  list('not text contains includes missing and null', { kind: 'not', item: { kind: 'text', path: f('title'), mode: 'contains', value: 'a' } }, { sort: byId }),
  // --- has
  list('has any one', { kind: 'has', path: f('tags'), mode: 'any', values: ['a'] }, { sort: byId }),
  list('has any several', { kind: 'has', path: f('tags'), mode: 'any', values: ['c', 'd'] }, { sort: byId }),
  list('has all', { kind: 'has', path: f('tags'), mode: 'all', values: ['a', 'b'] }, { sort: byId },
    ['r01', 'r07', 'r11', 'r16', 'r20', 'r22', 'r32', 'r39']),
  list('has none includes missing, null and []', { kind: 'has', path: f('tags'), mode: 'none', values: ['a', 'b'] }, { sort: byId },
    ['r03', 'r04', 'r06', 'r08', 'r12', 'r13', 'r21', 'r23', 'r26', 'r27', 'r31', 'r34', 'r36', 'r40']),
  // --- empty
  list('empty text: missing, null, ""', { kind: 'empty', path: f('title'), negate: false }, { sort: byId }, ['r09', 'r10', 'r11']),
  list('notEmpty text', { kind: 'empty', path: f('title'), negate: true }, { sort: byId }),
  list('empty array: missing, null, []', { kind: 'empty', path: f('tags'), negate: false }, { sort: byId },
    ['r03', 'r06', 'r08', 'r13', 'r23', 'r26', 'r34']),
  list('empty number: 0 is not empty', { kind: 'empty', path: f('amount'), negate: false }, { sort: byId }, ['r07', 'r08', 'r28', 'r40']),
  list('empty boolean: false is not empty', { kind: 'empty', path: f('done'), negate: false }, { sort: byId }, ['r05', 'r08', 'r14', 'r20', 'r38']),
  list('empty json: {} is not empty, "" is', { kind: 'empty', path: f('notes'), negate: false }, { sort: byId },
    ['r02', 'r04', 'r05', 'r06', 'r08', 'r11', 'r12', 'r14', 'r15', 'r16', 'r17', 'r18', 'r19', 'r20', 'r21', 'r22', 'r23', 'r24', 'r25',
      'r26', 'r27', 'r28', 'r29', 'r30', 'r31', 'r32', 'r33', 'r34', 'r35', 'r36', 'r37', 'r38', 'r40']),
  list('notEmpty json', { kind: 'empty', path: f('notes'), negate: true }, { sort: byId }, ['r01', 'r03', 'r07', 'r09', 'r10', 'r13', 'r39']),
  list('empty date', { kind: 'empty', path: f('due'), negate: false }, { sort: byId }, ['r04', 'r14', 'r30']),
  // --- and / or / not
  list('and', { kind: 'and', items: [cmp(f('dept'), 'eq', 'd1'), cmp(f('done'), 'eq', true)] }, { sort: byId }),
  list('or', { kind: 'or', items: [cmp(f('amount'), 'gte', 999), { kind: 'text', path: f('title'), mode: 'startsWith', value: 'z' }] }, { sort: byId },
    ['r11', 'r20', 'r22', 'r40']),
  list('not gt includes null and missing', { kind: 'not', item: cmp(f('amount'), 'gt', 50) }, { sort: byId }),
  list('not of in negate', { kind: 'not', item: { kind: 'in', path: f('dept'), values: ['d1'], negate: true } }, { sort: byId }),
  list('nested and/or/not', {
    kind: 'or', items: [
      { kind: 'and', items: [cmp(f('qty'), 'gte', 5), { kind: 'not', item: cmp(f('done'), 'eq', true) }] },
      { kind: 'and', items: [{ kind: 'empty', path: f('tags'), negate: false }, cmp(f('amount'), 'lt', 10)] },
    ],
  }, { sort: byId }),
  list('empty and', { kind: 'and', items: [] }, { sort: byId, limit: 3 }, ['r01', 'r02', 'r03']),
  list('empty or', { kind: 'or', items: [] }, { sort: byId }, []),
  list('not false', { kind: 'not', item: { kind: 'false' } }, { sort: byId, limit: 2 }, ['r01', 'r02']),
  // --- system fields
  list('system createdAt gte', cmp(sys('createdAt'), 'gte', '2026-01-01T00:00:00.000Z'), { sort: byId }),
  list('system status in', { kind: 'in', path: sys('status'), values: ['rejected'], negate: false }, { sort: byId },
    ['r06', 'r13', 'r20', 'r26', 'r33']),
  list('system createdBy eq null', cmp(sys('createdBy'), 'eq', null), { sort: byId }, ['r04', 'r10', 'r17', 'r26', 'r33']),
  list('system createdBy ne u1', cmp(sys('createdBy'), 'ne', 'u1'), { sort: byId }),
  list('system id in', { kind: 'in', path: sys('id'), values: ['r05', 'r33', 'nope'], negate: false }, { sort: byId }, ['r05', 'r33']),
  list('system id gt', cmp(sys('id'), 'gt', 'r36'), { sort: byId }, ['r37', 'r38', 'r39', 'r40']),
  list('system formVersion eq', cmp(sys('formVersion'), 'eq', 2), { sort: byId }, ['r03', 'r11', 'r21']),
  list('operator-looking data does not act as operator', cmp(f('title'), 'eq', '$gt'), { sort: byId }, []),
  // --- sorts
  list('sort number asc: nulls first, ties by id asc', TRUE, { sort: [{ path: f('amount'), dir: 'asc' }], limit: 12 },
    ['r07', 'r08', 'r28', 'r40', 'r04', 'r36', 'r05', 'r23', 'r30', 'r20', 'r21', 'r26']),
  list('sort number desc: nulls last, ties by id desc', TRUE, { sort: [{ path: f('amount'), dir: 'desc' }] }),
  list('sort number desc tail', TRUE, { sort: [{ path: f('amount'), dir: 'desc' }], after: { values: [-5], id: 'r36' } },
    ['r04', 'r40', 'r28', 'r08', 'r07']),
  list('sort text asc by code point', TRUE, { sort: [{ path: f('title'), dir: 'asc' }], limit: 10 },
    ['r10', 'r11', 'r09', 'r12', 'r03', 'r01', 'r39', 'r04', 'r05', 'r06']),
  list('sort text desc', TRUE, { sort: [{ path: f('title'), dir: 'desc' }] }),
  list('sort boolean asc: null, false, true', TRUE, { sort: [{ path: f('done'), dir: 'asc' }], limit: 7 },
    ['r05', 'r08', 'r14', 'r20', 'r38', 'r02', 'r04']),
  list('sort two keys asc/desc', TRUE, { sort: [{ path: f('done'), dir: 'asc' }, { path: f('amount'), dir: 'desc' }] }),
  list('sort two keys desc/asc', TRUE, { sort: [{ path: f('due'), dir: 'desc' }, { path: f('title'), dir: 'asc' }] }),
  list('sort three keys', TRUE, { sort: [{ path: sys('status'), dir: 'asc' }, { path: f('qty'), dir: 'desc' }, { path: f('title'), dir: 'desc' }] }),
  list('sort createdAt asc with ties', TRUE, { sort: [{ path: sys('createdAt'), dir: 'asc' }], limit: 40 }),
  list('sort id desc', TRUE, { sort: [{ path: sys('id'), dir: 'desc' }], limit: 3 }, ['r40', 'r39', 'r38']),
  list('sort with filter', { kind: 'in', path: f('dept'), values: ['d2'], negate: false }, { sort: [{ path: f('amount'), dir: 'asc' }] }),
  list('sort date asc', TRUE, { sort: [{ path: f('due'), dir: 'asc' }], limit: 6 }, ['r04', 'r14', 'r30', 'r03', 'r11', 'r09']),
  list('sort datetime desc', TRUE, { sort: [{ path: f('at'), dir: 'desc' }] }),
  // --- keyset paging (after) and count
  list('page 1 with count', TRUE, { sort: [{ path: f('amount'), dir: 'asc' }], limit: 5, count: true }, ['r07', 'r08', 'r28', 'r40', 'r04']),
  list('after inside nulls asc', TRUE, { sort: [{ path: f('amount'), dir: 'asc' }], limit: 4, after: { values: [null], id: 'r08' } },
    ['r28', 'r40', 'r04', 'r36']),
  list('after last null asc', TRUE, { sort: [{ path: f('amount'), dir: 'asc' }], limit: 3, after: { values: [null], id: 'r40' } },
    ['r04', 'r36', 'r05']),
  list('after inside ties asc', TRUE, { sort: [{ path: f('amount'), dir: 'asc' }], limit: 4, after: { values: [15], id: 'r12' } },
    ['r13', 'r14', 'r37', 'r38']),
  list('after inside ties desc', TRUE, { sort: [{ path: f('amount'), dir: 'desc' }], limit: 4, after: { values: [100], id: 'r25' } },
    ['r24', 'r03', 'r01', 'r19']),
  list('after inside nulls desc', TRUE, { sort: [{ path: f('amount'), dir: 'desc' }], limit: 4, after: { values: [null], id: 'r40' } },
    ['r28', 'r08', 'r07']),
  list('after last row: empty page', TRUE, { sort: [{ path: f('amount'), dir: 'desc' }], limit: 4, after: { values: [null], id: 'r07' } }, []),
  list('after with two keys across null', TRUE,
    { sort: [{ path: f('done'), dir: 'asc' }, { path: f('amount'), dir: 'desc' }], limit: 5, after: { values: [null, null], id: 'r08' } }),
  list('after with two keys', TRUE,
    { sort: [{ path: f('done'), dir: 'asc' }, { path: f('amount'), dir: 'desc' }], limit: 5, after: { values: [false, 100], id: 'r24' }, count: true }),
  list('after on default sort within createdAt tie', TRUE, { limit: 3, after: { values: ['2025-03-10T08:00:00.000Z'], id: 'r17' } },
    ['r06', 'r05', 'r16']),
  list('after with filter and count', { kind: 'in', path: f('dept'), values: ['d1'], negate: false },
    { sort: [{ path: f('amount'), dir: 'asc' }], limit: 3, after: { values: [42], id: 'r17' }, count: true }),
  list('limit 1 hasMore', TRUE, { sort: byId, limit: 1 }, ['r01']),
  list('limit exact has no more', { kind: 'in', path: sys('id'), values: ['r01', 'r02'], negate: false }, { sort: byId, limit: 2 }, ['r01', 'r02']),

  // --- aggregates
  agg('count all', { groupBy: [], metrics: [{ op: 'count', path: null, alias: 'count' }] }, [{ group: {}, values: { count: ALL } }]),
  agg('no group, nothing matches: one row, sum 0, others null', {
    filter: { kind: 'false' }, groupBy: [],
    metrics: [
      { op: 'count', path: null, alias: 'count' }, { op: 'sum', path: f('amount'), alias: 'sum_amount' },
      { op: 'avg', path: f('amount'), alias: 'avg_amount' }, { op: 'min', path: f('amount'), alias: 'min_amount' },
      { op: 'max', path: f('amount'), alias: 'max_amount' },
    ],
  }, [{ group: {}, values: { count: 0, sum_amount: 0, avg_amount: null, min_amount: null, max_amount: null } }]),
  agg('grouped, nothing matches: no rows', { filter: { kind: 'false' }, groupBy: [{ path: f('dept'), bucket: null, alias: 'dept' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }, []),
  agg('all metrics, no group', {
    groupBy: [],
    metrics: [
      { op: 'count', path: null, alias: 'count' }, { op: 'count', path: f('amount'), alias: 'count_amount' },
      { op: 'sum', path: f('amount'), alias: 'sum_amount' }, { op: 'avg', path: f('qty'), alias: 'avg_qty' },
      { op: 'min', path: f('amount'), alias: 'lo' }, { op: 'max', path: f('amount'), alias: 'hi' },
    ],
  }),
  agg('group by ref with all metrics; missing group → null; null-only group → sum 0, avg null', {
    groupBy: [{ path: f('dept'), bucket: null, alias: 'dept' }],
    metrics: [
      { op: 'count', path: null, alias: 'count' }, { op: 'sum', path: f('amount'), alias: 'sum_amount' },
      { op: 'avg', path: f('amount'), alias: 'avg_amount' }, { op: 'min', path: f('amount'), alias: 'min_amount' },
      { op: 'max', path: f('amount'), alias: 'max_amount' },
    ],
  }, [
    { group: { dept: null }, values: { count: 4, sum_amount: 280.5, avg_amount: 93.5, min_amount: 5.5, max_amount: 200 } },
    { group: { dept: 'd1' }, values: { count: 13, sum_amount: 2834.5, avg_amount: 2834.5 / 12, min_amount: 3.25, max_amount: 1000 } },
    { group: { dept: 'd2' }, values: { count: 13, sum_amount: 779.5, avg_amount: 779.5 / 13, min_amount: 0, max_amount: 250.5 } },
    { group: { dept: 'd3' }, values: { count: 9, sum_amount: 455.5, avg_amount: 455.5 / 8, min_amount: -20, max_amount: 300 } },
    { group: { dept: 'd4' }, values: { count: 1, sum_amount: 0, avg_amount: null, min_amount: null, max_amount: null } },
  ]),
  agg('group by boolean: null, false, true', { groupBy: [{ path: f('done'), bucket: null, alias: 'done' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }, [
    { group: { done: null }, values: { count: 5 } },
    { group: { done: false }, values: { count: 16 } },
    { group: { done: true }, values: { count: 19 } },
  ]),
  agg('group by text', { groupBy: [{ path: f('title'), bucket: null, alias: 'title' }], metrics: [{ op: 'count', path: null, alias: 'n' }] }),
  agg('group by number', { groupBy: [{ path: f('amount'), bucket: null, alias: 'amount' }], metrics: [{ op: 'sum', path: f('qty'), alias: 'sum_qty' }] }),
  agg('group by date without bucket', { groupBy: [{ path: f('due'), bucket: null, alias: 'due' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }),
  agg('group by date week (ISO)', {
    filter: { kind: 'in', path: f('due'), values: ['2024-12-30', '2021-01-03', '2025-01-05', '2026-01-01', '2027-01-01', '2025-12-29', '2025-12-28', '2023-12-31', '2024-02-29'], negate: false },
    groupBy: [{ path: f('due'), bucket: 'week', alias: 'due' }], metrics: [{ op: 'count', path: null, alias: 'count' }],
  }, [
    { group: { due: '2020-W53' }, values: { count: 1 } }, // 2021-01-03 is a Sunday
    { group: { due: '2023-W52' }, values: { count: 1 } }, // 2023-12-31 Sunday
    { group: { due: '2024-W09' }, values: { count: 1 } }, // 2024-02-29 Thursday
    { group: { due: '2025-W01' }, values: { count: 3 } }, // 2024-12-30 Monday ×2, 2025-01-05 Sunday
    { group: { due: '2025-W52' }, values: { count: 1 } }, // 2025-12-28 Sunday
    { group: { due: '2026-W01' }, values: { count: 2 } }, // 2025-12-29 Monday, 2026-01-01 Thursday
    { group: { due: '2026-W53' }, values: { count: 1 } }, // 2027-01-01 Friday
  ]),
  agg('group by date week, all', { groupBy: [{ path: f('due'), bucket: 'week', alias: 'due' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }),
  agg('group by date month with sum', { groupBy: [{ path: f('due'), bucket: 'month', alias: 'due' }], metrics: [{ op: 'count', path: null, alias: 'count' }, { op: 'sum', path: f('amount'), alias: 'sum_amount' }] }),
  agg('group by date quarter', { groupBy: [{ path: f('due'), bucket: 'quarter', alias: 'due' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }, [
    { group: { due: null }, values: { count: 3 } },
    { group: { due: '2021-Q1' }, values: { count: 1 } },
    { group: { due: '2023-Q4' }, values: { count: 1 } },
    { group: { due: '2024-Q1' }, values: { count: 1 } },
    { group: { due: '2024-Q2' }, values: { count: 1 } },
    { group: { due: '2024-Q4' }, values: { count: 2 } },
    { group: { due: '2025-Q1' }, values: { count: 5 } },
    { group: { due: '2025-Q2' }, values: { count: 4 } },
    { group: { due: '2025-Q3' }, values: { count: 4 } },
    { group: { due: '2025-Q4' }, values: { count: 3 } },
    { group: { due: '2026-Q1' }, values: { count: 4 } },
    { group: { due: '2026-Q2' }, values: { count: 3 } },
    { group: { due: '2026-Q3' }, values: { count: 6 } },
    { group: { due: '2026-Q4' }, values: { count: 1 } },
    { group: { due: '2027-Q1' }, values: { count: 1 } },
  ]),
  agg('group by date year', { groupBy: [{ path: f('due'), bucket: 'year', alias: 'due' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }),
  agg('group by datetime day (UTC)', { groupBy: [{ path: f('at'), bucket: 'day', alias: 'at' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }),
  agg('group by datetime week', { groupBy: [{ path: f('at'), bucket: 'week', alias: 'at' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }),
  agg('group by datetime quarter boundary', {
    filter: { kind: 'and', items: [cmp(f('at'), 'gte', '2025-03-31T00:00:00.000Z'), cmp(f('at'), 'lt', '2025-04-02T00:00:00.000Z')] },
    groupBy: [{ path: f('at'), bucket: 'quarter', alias: 'q' }], metrics: [{ op: 'count', path: null, alias: 'count' }],
  }, [{ group: { q: '2025-Q1' }, values: { count: 2 } }, { group: { q: '2025-Q2' }, values: { count: 1 } }]),
  agg('group by system createdAt year', { groupBy: [{ path: sys('createdAt'), bucket: 'year', alias: 'createdAt' }], metrics: [{ op: 'count', path: null, alias: 'count' }, { op: 'avg', path: f('amount'), alias: 'avg_amount' }] }, [
    { group: { createdAt: '2024' }, values: { count: 12, avg_amount: (100 + 250.5 + 100 - 20 + 10 + 10 + 999.25 + 15 + 15 + 15) / 10 } },
    { group: { createdAt: '2025' }, values: { count: 16, avg_amount: (300 + 300 + 42 + 0 + 75 + 88 + 88 + 5.5 + 5.5 + 1000 + 1 + 100 + 100 + 7 + 7) / 15 } },
    { group: { createdAt: '2026' }, values: { count: 12, avg_amount: (60 + 3.25 + 200 + 200 + 50 + 50 + 12 - 5 + 33 + 33 + 100) / 11 } },
  ]),
  agg('group by system createdAt month', { groupBy: [{ path: sys('createdAt'), bucket: 'month', alias: 'm' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }),
  agg('group by system status and createdBy', { groupBy: [{ path: sys('status'), bucket: null, alias: 'status' }, { path: sys('createdBy'), bucket: null, alias: 'createdBy' }], metrics: [{ op: 'count', path: null, alias: 'count' }] }),
  agg('two-level group ref × boolean', {
    groupBy: [{ path: f('dept'), bucket: null, alias: 'dept' }, { path: f('done'), bucket: null, alias: 'done' }],
    metrics: [{ op: 'count', path: null, alias: 'count' }, { op: 'max', path: f('qty'), alias: 'max_qty' }],
  }),
  agg('two-level group with filter: ref × date year', {
    filter: { kind: 'not', item: cmp(f('dept'), 'eq', 'd2') },
    groupBy: [{ path: f('dept'), bucket: null, alias: 'dept' }, { path: f('due'), bucket: 'year', alias: 'due' }],
    metrics: [{ op: 'sum', path: f('amount'), alias: 'total' }, { op: 'min', path: f('qty'), alias: 'min_qty' }],
  }),
  agg('count with path counts non-null values', { groupBy: [{ path: f('dept'), bucket: null, alias: 'dept' }], metrics: [{ op: 'count', path: f('amount'), alias: 'count_amount' }] }, [
    { group: { dept: null }, values: { count_amount: 3 } },
    { group: { dept: 'd1' }, values: { count_amount: 12 } },
    { group: { dept: 'd2' }, values: { count_amount: 13 } },
    { group: { dept: 'd3' }, values: { count_amount: 8 } },
    { group: { dept: 'd4' }, values: { count_amount: 0 } },
  ]),
];

/** Numbers equal within float noise (sums may add in another order). */
export function closeEnough(a: number | string | null | undefined, b: number | string | null | undefined): boolean {
  if (typeof a !== 'number' || typeof b !== 'number') return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
