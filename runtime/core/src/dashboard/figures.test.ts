import { describe, expect, it } from 'vitest';
import { normalizeFilter } from '../query/normalize.js';
import type { DashboardDefinition, Widget } from '../schema/dashboard.js';
import type { FormDefinition } from '../schema/form.js';
import { checkDashboard } from './check.js';
import { bucketKeyOf, bucketRange, groupFilter, previousRange, resolveRange, shapeFigures, widgetBase, widgetQuery } from './figures.js';

const form: FormDefinition = {
  name: 'Order',
  fields: [
    { key: 'title', type: 'text', label: 'Title' },
    { key: 'amount', type: 'number', label: 'Amount' },
    { key: 'region', type: 'select', label: 'Region', options: ['east', 'west'] },
    { key: 'due', type: 'date', label: 'Due' },
  ],
} as FormDefinition;

const layout = { x: 0, y: 0, w: 4, h: 3 };
const widget = (w: Partial<Widget>): Widget => ({ id: 'w1', type: 'bar', title: 'T', form: 'f1', metrics: [{ op: 'count' }], layout, ...w });
const dash = (widgets: Widget[], filters?: DashboardDefinition['filters']): DashboardDefinition => ({ name: 'D', widgets, ...(filters ? { filters } : {}) });

describe('checkDashboard', () => {
  const lookup = (id: string) => (id === 'f1' ? form : null);
  it('accepts a sound dashboard', () => {
    const d = dash([
      widget({ groupBy: 'region', metrics: [{ op: 'sum', field: 'amount' }] }),
      widget({ id: 'w2', type: 'line', groupBy: { field: 'due', bucket: 'month' } }),
      widget({ id: 'w3', type: 'pivot', groupBy: 'region', columns: { field: 'createdAt', bucket: 'year' } }),
      widget({ id: 'w4', type: 'number', compare: 'previousPeriod', filter: { field: 'region', op: 'eq', value: 'east' } }),
    ], { dateRange: { field: 'due' } });
    expect(checkDashboard(d, lookup)).toEqual([]);
  });
  it('points at each problem', () => {
    const d = dash([
      widget({ form: 'other' }),
      widget({ id: 'w2', groupBy: { field: 'amount', bucket: 'month' }, metrics: [{ op: 'count' }, { op: 'sum', field: 'title' }, { op: 'avg' }] }),
      widget({ id: 'w2', type: 'pie', groupBy: 'nope', compare: 'previousPeriod' }),
      widget({ id: 'w4', type: 'pivot', groupBy: 'region', filter: { field: 'zzz', op: 'eq', value: 1 } }),
    ]);
    const paths = checkDashboard(d, lookup).map((p) => p.path);
    expect(checkDashboard(dash([widget({ groupBy: 'region' })], { dateRange: { field: 'title' } }), lookup)).toEqual([
      { path: 'filters.dateRange.field', code: 'notDate', message: 'Widget "w1": The date range needs a date field, not "title" (or give the widget a dateField)' },
    ]);
    expect(paths).toEqual([
      'widgets[0].form',
      'widgets[1].groupBy.bucket',
      'widgets[1].metrics[1].field',
      'widgets[1].metrics[2].field',
      'widgets[2].id',
      'widgets[2].compare',
      'widgets[2].groupBy',
      'widgets[3].filter',
      'widgets[3].columns',
    ]);
  });
});

describe('figures', () => {
  it('computes ranges and buckets', () => {
    expect(previousRange({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-01-29', to: '2026-02-28' });
    expect(bucketRange('week', '2026-W01')).toEqual({ start: '2025-12-29', end: '2026-01-05' });
    expect(bucketRange('quarter', '2026-Q4')).toEqual({ start: '2026-10-01', end: '2027-01-01' });
    expect(bucketRange('month', '2026-12')).toEqual({ start: '2026-12-01', end: '2027-01-01' });
    expect(() => bucketRange('month', '2026')).toThrow(RangeError);
    expect(resolveRange(dash([], { dateRange: { default: 'thisMonth' } }), {}, new Date('2026-02-10T12:00:00Z'))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(() => resolveRange(dash([]), { from: '2026-02-10' }, new Date())).toThrow(RangeError);
    expect(groupFilter({ field: 'due', bucket: 'day' }, '2026-02-10')).toEqual({ and: [{ field: 'due', op: 'gte', value: '2026-02-10' }, { field: 'due', op: 'lt', value: '2026-02-11' }] });
    expect(groupFilter('region', null)).toEqual({ field: 'region', op: 'empty' });
  });

  it('builds queries whose filters the query language takes', () => {
    const w = widget({ groupBy: 'region', filter: { field: 'amount', op: 'gt', value: 5 }, metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }] });
    const base = widgetBase(dash([w]), w, { from: '2026-01-01', to: '2026-01-31' }, null);
    const q = widgetQuery(w, base);
    expect(q.groupBy).toEqual([{ field: 'region' }]);
    expect(q.metrics).toEqual([{ op: 'count', as: 'm0' }, { op: 'sum', field: 'amount', as: 'm1' }]);
    expect(() => normalizeFilter(q.filter, form, { now: new Date() })).not.toThrow();
    expect(() => normalizeFilter(widgetBase(dash([w]), widget({}), null, null), form, { now: new Date() })).not.toThrow();
  });

  it('shapes series, sorted, limited, with drill filters', () => {
    const w = widget({ groupBy: 'region', sort: { by: 'value', dir: 'desc' }, limit: 2, metrics: [{ op: 'count' }, { op: 'avg', field: 'amount' }] });
    const f = shapeFigures(w, { field: 'amount', op: 'gt', value: 0 }, [
      { group: { region: 'east' }, values: { m0: 2, m1: 5 } },
      { group: { region: null }, values: { m0: 1, m1: null } },
      { group: { region: 'west' }, values: { m0: 7, m1: 3 } },
    ]);
    expect(f).toMatchObject({ type: 'bar', groupBy: 'region', truncated: true });
    if (f.type !== 'bar') throw new Error('bar');
    expect(f.rows.map((r) => [r.key, r.values])).toEqual([['west', [7, 3]], ['east', [2, 5]]]);
    expect(f.rows[0]!.drill).toEqual({ and: [{ field: 'amount', op: 'gt', value: 0 }, { field: 'region', op: 'eq', value: 'west' }] });
  });

  it('shapes a pivot matrix and a number card with its change', () => {
    const p = widget({ type: 'pivot', groupBy: 'region', columns: { field: 'due', bucket: 'year' } });
    const f = shapeFigures(p, { and: [] }, [
      { group: { region: 'east', due: '2025' }, values: { m0: 2 } },
      { group: { region: 'west', due: '2026' }, values: { m0: 3 } },
    ]);
    if (f.type !== 'pivot') throw new Error('pivot');
    expect(f.columns.map((c) => c.key)).toEqual(['2025', '2026']);
    expect(f.cells.map((r) => r.map((c) => c.values[0]))).toEqual([[2, 0], [0, 3]]);
    expect(f.cells[1]![0]!.drill).toEqual({ and: [{ field: 'region', op: 'eq', value: 'west' }, { and: [{ field: 'due', op: 'gte', value: '2025-01-01' }, { field: 'due', op: 'lt', value: '2026-01-01' }] }] });
    const n = widget({ type: 'number', metrics: [{ op: 'sum', field: 'amount' }, { op: 'max', field: 'amount' }] });
    const range = { from: '2026-01-01', to: '2026-01-31' };
    const nf = shapeFigures(n, { and: [] }, [{ group: {}, values: { m0: 150, m1: 90 } }], { rows: [{ group: {}, values: { m0: 100, m1: null } }], range, base: { and: [] } });
    expect(nf).toMatchObject({ type: 'number', values: [150, 90], previous: [100, null], change: [0.5, null], previousRange: range });
  });
});

describe('time buckets and gaps', () => {
  it('names the bucket of a date as the aggregate does, ISO weeks across new year included', () => {
    expect(bucketKeyOf('day', '2026-11-27')).toBe('2026-11-27');
    expect(bucketKeyOf('month', '2026-11-27')).toBe('2026-11');
    expect(bucketKeyOf('quarter', '2026-11-27')).toBe('2026-Q4');
    expect(bucketKeyOf('year', '2026-11-27')).toBe('2026');
    expect(bucketKeyOf('week', '2026-01-01')).toBe('2026-W01'); // a Thursday
    expect(bucketKeyOf('week', '2027-01-01')).toBe('2026-W53'); // a Friday: the last week of 2026
    expect(bucketKeyOf('week', '2024-12-30')).toBe('2025-W01'); // a Monday in the first week of 2025
    for (const b of ['day', 'week', 'month', 'quarter', 'year'] as const) {
      for (const d of ['2024-02-29', '2026-01-01', '2026-12-31', '2027-01-04']) {
        const r = bucketRange(b, bucketKeyOf(b, d));
        expect(r.start <= d && d < r.end, `${b} ${d}`).toBe(true);
      }
    }
  });

  it('a line over months has a point for every month between its first and last, empty months at 0', () => {
    const line = widget({ type: 'line', groupBy: { field: 'due', bucket: 'month' }, metrics: [{ op: 'count' }, { op: 'avg', field: 'amount' }] });
    const f = shapeFigures(line, { and: [] }, [
      { group: { due: '2026-01' }, values: { m0: 2, m1: 10 } },
      { group: { due: '2026-04' }, values: { m0: 1, m1: 4 } },
      { group: { due: null }, values: { m0: 3, m1: null } },
    ]);
    if (f.type === 'number' || f.type === 'pivot') throw new Error('series');
    expect(f.rows.map((r) => [r.key, r.values])).toEqual([
      ['2026-01', [2, 10]], ['2026-02', [0, null]], ['2026-03', [0, null]], ['2026-04', [1, 4]], [null, [3, null]],
    ]);
    expect(f.rows[1]!.drill).toEqual({ and: [{ and: [{ field: 'due', op: 'gte', value: '2026-02-01' }, { field: 'due', op: 'lt', value: '2026-03-01' }] }] });
    // a bar chart shows only the buckets that have records
    const bar = shapeFigures({ ...line, type: 'bar' }, { and: [] }, [{ group: { due: '2026-01' }, values: { m0: 2 } }, { group: { due: '2026-04' }, values: { m0: 1 } }]);
    if (bar.type !== 'bar') throw new Error('bar');
    expect(bar.rows).toHaveLength(2);
  });
});
