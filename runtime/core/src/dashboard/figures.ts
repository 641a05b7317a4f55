import { QUERY_LIMITS } from '../query/normalize.js';
import { addDays, parseDate, relativeRange } from '../query/relative-date.js';
import type { AggregateQuery, AggregateRow, Bucket, Filter, RelativeDate } from '../query/query.js';
import { groupOf, type DashboardDefinition, type Widget, type WidgetGroup } from '../schema/dashboard.js';
import type { Label } from '../schema/label.js';

/**
 * Pure parts of a dashboard refresh: the aggregate each widget asks for, and
 * the figures shaped from its rows, each bar, slice or cell with the filter
 * that selects exactly the records behind it ("drill").
 */

/** Days, "YYYY-MM-DD", both included. */
export interface DayRange {
  from: string;
  to: string;
}

export type GroupKey = string | number | boolean | null;
export type FigureValue = number | string | null;

export interface NumberFigures {
  type: 'number';
  /** one per metric */
  values: FigureValue[];
  /** the same metrics over the previous period of equal length (compare: previousPeriod with a date range), else null */
  previous: FigureValue[] | null;
  /** (value − previous) / |previous| per metric; null where either is not a number or previous is 0 */
  change: (number | null)[] | null;
  previousRange: DayRange | null;
  drill: Filter;
}

export interface SeriesRow {
  key: GroupKey;
  values: FigureValue[];
  drill: Filter;
}

export interface SeriesFigures {
  type: 'bar' | 'line' | 'pie' | 'funnel' | 'table';
  /** the group-by field, null for an ungrouped table (one row) */
  groupBy: string | null;
  bucket: Bucket | null;
  rows: SeriesRow[];
  /** rows beyond `limit` were left out */
  truncated: boolean;
}

export interface PivotFigures {
  type: 'pivot';
  rowField: string;
  columnField: string;
  rows: { key: GroupKey; drill: Filter }[];
  columns: { key: GroupKey; drill: Filter }[];
  /** cells[r][c]: the metrics of rows[r] × columns[c] */
  cells: { values: FigureValue[]; drill: Filter }[][];
  /** rowTotals[r]: the metrics of rows[r] over every column */
  rowTotals: { values: FigureValue[]; drill: Filter }[];
  /** columnTotals[c]: the metrics of columns[c] over every row (those beyond `limit` too) */
  columnTotals: { values: FigureValue[]; drill: Filter }[];
  /** the metrics over every record of the widget */
  total: { values: FigureValue[]; drill: Filter };
  truncated: boolean;
}

export type WidgetFigures = NumberFigures | SeriesFigures | PivotFigures;

/** One widget of `GET /api/dashboards/:id/data`: its figures, or why it has none (e.g. it reads a field hidden from the viewer). */
export type WidgetData =
  /** `labels`: what to show for group keys that are ids or option values (String(key) → label): options, members, departments, linked records */
  | { id: string; type: Widget['type']; form: string; figures: WidgetFigures; labels: Record<string, Label> }
  | { id: string; type: Widget['type']; form: string; error: { code: string; message: string } };

/** The reply of `GET /api/dashboards/:id/data`. */
export interface DashboardData {
  id: string;
  /** the date range applied (asked for, or the dashboard's default), null when none */
  range: DayRange | null;
  department: string | null;
  refreshedAt: string;
  widgets: WidgetData[];
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The date range a refresh applies: the one asked for, else the dashboard's default, else none. */
export function resolveRange(
  def: DashboardDefinition,
  asked: { from?: string | undefined; to?: string | undefined },
  now: Date,
  timeZone?: string,
): DayRange | null {
  if (asked.from !== undefined || asked.to !== undefined) {
    const { from, to } = asked;
    if (!from || !to || !DAY_RE.test(from) || !DAY_RE.test(to) || !parseDate(from) || !parseDate(to)) {
      throw new RangeError('"from" and "to" are both needed, as dates "YYYY-MM-DD"');
    }
    if (from > to) throw new RangeError('"from" is after "to"');
    return { from, to };
  }
  const rel: RelativeDate | undefined = def.filters?.dateRange?.default;
  if (!rel) return null;
  const r = relativeRange(rel, now, timeZone);
  return { from: r.startDate, to: addDays(r.endDate, -1) };
}

function days(r: DayRange): number {
  const [a, b] = [Date.parse(`${r.from}T00:00:00Z`), Date.parse(`${r.to}T00:00:00Z`)];
  return Math.round((b - a) / 86_400_000) + 1;
}

/** The period of equal length that ends the day before `r` starts. */
export function previousRange(r: DayRange): DayRange {
  const n = days(r);
  return { from: addDays(r.from, -n), to: addDays(r.from, -1) };
}

/** Records whose `field` falls on a day of `r` (a date-time field by its UTC day). */
export function rangeFilter(field: string, r: DayRange): Filter {
  return { and: [{ field, op: 'gte', value: r.from }, { field, op: 'lt', value: addDays(r.to, 1) }] };
}

/** The date field the dashboard's date range applies to for this widget. */
export function dateFieldOf(def: DashboardDefinition, w: Widget): string {
  return w.dateField ?? def.filters?.dateRange?.field ?? 'createdAt';
}

/** AND of the parts that are there; `{and: []}` (every record) when none. */
export function allOf(parts: (Filter | undefined | null)[]): Filter {
  const items = parts.filter((p): p is Filter => p !== undefined && p !== null);
  return items.length === 1 ? items[0]! : { and: items };
}

/** The filter every figure of the widget starts from: its own filter, the date range, the department. */
export function widgetBase(def: DashboardDefinition, w: Widget, range: DayRange | null, department: Filter | null): Filter {
  return allOf([w.filter, range ? rangeFilter(dateFieldOf(def, w), range) : null, department]);
}

/** Alias of the widget's metric `i` in the aggregate rows. */
export const metricAlias = (i: number) => `m${i}`;

/** The aggregate a widget asks for over `base`. */
export function widgetQuery(w: Widget, base: Filter): AggregateQuery {
  const groupBy = [w.groupBy, w.type === 'pivot' ? w.columns : undefined]
    .filter((g): g is WidgetGroup => g !== undefined)
    .map(groupOf)
    .map((g) => (g.bucket ? { field: g.field, bucket: g.bucket } : { field: g.field }));
  const metrics = w.metrics.map((m, i) => (m.field ? { op: m.op, field: m.field, as: metricAlias(i) } : { op: m.op, as: metricAlias(i) }));
  // a pivot's totals of an average weigh each cell by its count: the cells bring their sum and count too
  if (w.type === 'pivot') {
    w.metrics.forEach((m, i) => {
      // (within the query's limit of metrics; beyond it the average's totals stay empty)
      if (m.op === 'avg' && m.field && metrics.length + 2 <= QUERY_LIMITS.metrics) {
        metrics.push({ op: 'sum', field: m.field, as: `${metricAlias(i)}s` }, { op: 'count', field: m.field, as: `${metricAlias(i)}n` });
      }
    });
  }
  const q: AggregateQuery = { filter: base, metrics };
  if (groupBy.length) q.groupBy = groupBy;
  return q;
}

/** First day and first day after a bucket's key ("2026-03", "2026-W09", "2026-Q1", …). */
export function bucketRange(bucket: Bucket, key: string): { start: string; end: string } {
  const bad = () => new RangeError(`"${key}" is not a ${bucket} bucket`);
  const pad = (n: number) => String(n).padStart(2, '0');
  const monthStart = (y: number, m: number) => `${y + Math.floor((m - 1) / 12)}-${pad(((m - 1) % 12) + 1)}-01`;
  switch (bucket) {
    case 'day':
      if (!DAY_RE.test(key) || !parseDate(key)) throw bad();
      return { start: key, end: addDays(key, 1) };
    case 'month': {
      const m = /^(\d{4})-(\d{2})$/.exec(key);
      if (!m) throw bad();
      return { start: monthStart(+m[1]!, +m[2]!), end: monthStart(+m[1]!, +m[2]! + 1) };
    }
    case 'quarter': {
      const m = /^(\d{4})-Q([1-4])$/.exec(key);
      if (!m) throw bad();
      const first = (+m[2]! - 1) * 3 + 1;
      return { start: monthStart(+m[1]!, first), end: monthStart(+m[1]!, first + 3) };
    }
    case 'year':
      if (!/^\d{4}$/.test(key)) throw bad();
      return { start: `${key}-01-01`, end: `${+key + 1}-01-01` };
    case 'week': {
      const m = /^(\d{4})-W(\d{2})$/.exec(key);
      if (!m) throw bad();
      // ISO week 1 holds January 4th; weeks start on Monday
      const jan4 = Date.UTC(+m[1]!, 0, 4);
      const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + (+m[2]! - 1) * 7 * 86_400_000;
      const start = new Date(monday).toISOString().slice(0, 10);
      return { start, end: addDays(start, 7) };
    }
  }
}

/** The records of one group: equal to the key, in its time bucket, or empty for the null group. */
export function groupFilter(g: WidgetGroup, key: GroupKey): Filter {
  const { field, bucket } = groupOf(g);
  if (key === null) return { field, op: 'empty' };
  if (bucket) {
    const { start, end } = bucketRange(bucket, String(key));
    return { and: [{ field, op: 'gte', value: start }, { field, op: 'lt', value: end }] };
  }
  return { field, op: 'eq', value: key };
}

function and(base: Filter, ...more: Filter[]): Filter {
  const head = 'and' in base ? base.and : [base];
  return { and: [...head, ...more] };
}

function compareKeys(a: GroupKey, b: GroupKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  return String(a) < String(b) ? -1 : 1;
}

function compareValues(a: FigureValue, b: FigureValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

const valuesOf = (w: Widget, row: AggregateRow | undefined): FigureValue[] =>
  w.metrics.map((m, i) => {
    const v = row?.values[metricAlias(i)];
    if (v !== undefined && v !== null) return v;
    // no records: a count or a sum is 0, an average, a minimum or a maximum is nothing
    return m.op === 'count' || m.op === 'sum' ? 0 : null;
  });

function changeOf(now: FigureValue[], before: FigureValue[]): (number | null)[] {
  return now.map((v, i) => {
    const p = before[i];
    return typeof v === 'number' && typeof p === 'number' && p !== 0 ? (v - p) / Math.abs(p) : null;
  });
}

/** Orders rows by key (default: ascending) or by the first metric. */
function sortRows<T extends { key: GroupKey }>(w: Widget, rows: T[], value: (r: T) => FigureValue): T[] {
  const dir = w.sort?.dir === 'desc' ? -1 : 1;
  const by = w.sort?.by ?? 'key';
  return [...rows].sort((a, b) => dir * (by === 'key' ? compareKeys(a.key, b.key) : compareValues(value(a), value(b))) || compareKeys(a.key, b.key));
}

/**
 * Shapes the rows of `widgetQuery(w, base)` into the widget's figures;
 * `previousRows` are the number card's rows over the previous period.
 */
export function shapeFigures(
  w: Widget,
  base: Filter,
  rows: AggregateRow[],
  previous?: { rows: AggregateRow[]; range: DayRange; base: Filter },
): WidgetFigures {
  if (w.type === 'number') {
    const values = valuesOf(w, rows[0]);
    const before = previous ? valuesOf(w, previous.rows[0]) : null;
    return { type: 'number', values, previous: before, change: before ? changeOf(values, before) : null, previousRange: previous?.range ?? null, drill: base };
  }
  if (w.type === 'pivot') return shapePivot(w, base, rows);
  const g = w.groupBy;
  if (!g) {
    return { type: w.type, groupBy: null, bucket: null, rows: [{ key: null, values: valuesOf(w, rows[0]), drill: base }], truncated: false };
  }
  const { field, bucket } = groupOf(g);
  const all = sortRows(
    w,
    rows.map((r) => {
      const key = r.group[field] ?? null;
      return { key, values: valuesOf(w, r), drill: and(base, groupFilter(g, key)) };
    }),
    (r) => r.values[0] ?? null,
  );
  const limit = w.limit ?? 1000;
  // a line over time has a point for every bucket between its first and last, empty ones too
  const rowsOf = w.type === 'line' && bucket && (!w.sort || w.sort.by === 'key') ? fillGaps(w, bucket, all, (key) => and(base, groupFilter(g, key)), limit) : all;
  return { type: w.type, groupBy: field, bucket: bucket ?? null, rows: rowsOf.slice(0, limit), truncated: rowsOf.length > limit };
}

/** The bucket a date falls in, written as the aggregate writes bucket keys (2026-11-27, 2026-W48, 2026-11, 2026-Q4, 2026). */
export function bucketKeyOf(bucket: Bucket, date: string): string {
  const [y, m, d] = parseDate(date) ?? [1970, 1, 1];
  switch (bucket) {
    case 'day': return date;
    case 'month': return date.slice(0, 7);
    case 'quarter': return `${date.slice(0, 4)}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'year': return date.slice(0, 4);
    case 'week': {
      // the ISO week's Thursday decides its year
      const day = Date.UTC(y, m - 1, d);
      const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * 86_400_000;
      const isoYear = new Date(thursday).getUTCFullYear();
      const week = 1 + Math.floor((thursday - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000));
      return `${isoYear}-W${String(week).padStart(2, '0')}`;
    }
  }
}

/**
 * Rows for the buckets between the first and the last that have no records: counts and sums
 * are 0 there, the other metrics empty. Rows with no bucket (records without a date) stay last.
 */
function fillGaps(w: Widget, bucket: Bucket, rows: SeriesRow[], drill: (key: string) => Filter, limit: number): SeriesRow[] {
  const dated = rows.filter((r) => typeof r.key === 'string');
  if (dated.length < 2) return rows;
  const desc = w.sort?.dir === 'desc';
  const keys = dated.map((r) => r.key as string);
  const first = desc ? keys.at(-1)! : keys[0]!;
  const last = desc ? keys[0]! : keys.at(-1)!;
  const byKey = new Map(dated.map((r) => [r.key as string, r]));
  const empty = w.metrics.map((m) => (m.op === 'count' || m.op === 'sum' ? 0 : null));
  const out: SeriesRow[] = [];
  try {
    for (let key = first; out.length <= limit; key = bucketKeyOf(bucket, bucketRange(bucket, key).end)) {
      out.push(byKey.get(key) ?? { key, values: [...empty], drill: drill(key) });
      if (key >= last) break;
    }
  } catch {
    return rows; // a key that is not a bucket of this kind: shown as it came
  }
  if (desc) out.reverse();
  return [...out, ...rows.filter((r) => typeof r.key !== 'string')];
}

function shapePivot(w: Widget, base: Filter, rows: AggregateRow[]): PivotFigures {
  const rg = w.groupBy!;
  const cg = w.columns!;
  const rf = groupOf(rg).field;
  const cf = groupOf(cg).field;
  const cellMap = new Map<string, AggregateRow>();
  const rowKeys = new Map<string, GroupKey>();
  const colKeys = new Map<string, GroupKey>();
  const rowTotals = new Map<string, number>();
  const id = (k: GroupKey) => JSON.stringify(k);
  for (const r of rows) {
    const rk = r.group[rf] ?? null;
    const ck = r.group[cf] ?? null;
    rowKeys.set(id(rk), rk);
    colKeys.set(id(ck), ck);
    cellMap.set(`${id(rk)}|${id(ck)}`, r);
    const v = r.values[metricAlias(0)];
    if (typeof v === 'number') rowTotals.set(id(rk), (rowTotals.get(id(rk)) ?? 0) + v);
  }
  const sortedRows = sortRows(w, [...rowKeys.values()].map((key) => ({ key })), (r) => rowTotals.get(id(r.key)) ?? null);
  const limit = w.limit ?? 1000;
  const shownRows = sortedRows.slice(0, limit);
  const columns = [...colKeys.values()].sort(compareKeys);
  const totalOf = (cells: AggregateRow[]) => totals(w, cells);
  const inRow = (rk: GroupKey) => rows.filter((r) => id(r.group[rf] ?? null) === id(rk));
  const inColumn = (ck: GroupKey) => rows.filter((r) => id(r.group[cf] ?? null) === id(ck));
  return {
    type: 'pivot',
    rowField: rf,
    columnField: cf,
    rows: shownRows.map(({ key }) => ({ key, drill: and(base, groupFilter(rg, key)) })),
    columns: columns.map((key) => ({ key, drill: and(base, groupFilter(cg, key)) })),
    cells: shownRows.map(({ key: rk }) =>
      columns.map((ck) => ({ values: valuesOf(w, cellMap.get(`${id(rk)}|${id(ck)}`)), drill: and(base, groupFilter(rg, rk), groupFilter(cg, ck)) })),
    ),
    rowTotals: shownRows.map(({ key }) => ({ values: totalOf(inRow(key)), drill: and(base, groupFilter(rg, key)) })),
    columnTotals: columns.map((key) => ({ values: totalOf(inColumn(key)), drill: and(base, groupFilter(cg, key)) })),
    total: { values: totalOf(rows), drill: base },
    truncated: sortedRows.length > limit,
  };
}

/**
 * The metrics of several cells together: counts and sums add up, min and max
 * carry over, and an average is the sum over the count of the cells' values.
 */
function totals(w: Widget, cells: readonly AggregateRow[]): FigureValue[] {
  return w.metrics.map((m, i) => {
    const nums = (alias: string) => cells.map((c) => c.values[alias]).filter((v): v is number => typeof v === 'number');
    const own = nums(metricAlias(i));
    switch (m.op) {
      case 'count':
      case 'sum':
        return own.reduce((a, b) => a + b, 0);
      case 'min':
        return own.length ? Math.min(...own) : null;
      case 'max':
        return own.length ? Math.max(...own) : null;
      case 'avg': {
        const n = nums(`${metricAlias(i)}n`).reduce((a, b) => a + b, 0);
        return n ? nums(`${metricAlias(i)}s`).reduce((a, b) => a + b, 0) / n : null;
      }
    }
  });
}
