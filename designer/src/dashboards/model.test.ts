import { describe, expect, it } from 'vitest';
import { checkDashboard, WIDGET_TYPES, type FormDefinition, type Widget } from '@trellis/core';
import { fieldChoices, filterRows, newWidget, problemsOf, rowsFilter } from './model';
import { overlaps } from './layout';

const form: FormDefinition = {
  name: 'Order',
  fields: [
    { key: 'title', type: 'text', label: 'Title' },
    { key: 'amount', type: 'number', label: 'Amount' },
    { key: 'region', type: 'select', label: 'Region', options: ['east', 'west'] },
    { key: 'due', type: 'date', label: 'Due' },
  ],
} as FormDefinition;

describe('new widgets', () => {
  it('of every type are accepted by the dashboard check as they are, and do not overlap', () => {
    const widgets: Widget[] = [];
    for (const type of WIDGET_TYPES) widgets.push(newWidget(type, 'f1', form, widgets));
    expect(checkDashboard({ name: 'D', widgets }, (id) => (id === 'f1' ? form : null))).toEqual([]);
    expect(widgets.map((w) => w.id)).toEqual(['number1', 'bar1', 'line1', 'pie1', 'funnel1', 'table1', 'pivot1']);
    // the select field groups the bar; the pivot crosses it with another field
    expect(widgets[1]!.groupBy).toBe('region');
    expect(widgets[6]!.columns).not.toEqual(widgets[6]!.groupBy);
    for (const a of widgets) for (const b of widgets) if (a !== b) expect(overlaps(a.layout, b.layout)).toBe(false);
  });

  it('knows what each field can do', () => {
    const c = Object.fromEntries(fieldChoices(form).map((x) => [x.key, x]));
    expect(c.amount!.metrics).toContain('sum');
    expect(c.region!.metrics).toEqual(['count']);
    expect(c.createdAt!.storage).toBe('datetime');
  });
});

describe('the widget filter', () => {
  it('edits AND-ed conditions and leaves other shapes alone', () => {
    const a = { field: 'region', op: 'eq' as const, value: 'east' };
    const b = { field: 'amount', op: 'gte' as const, value: 10 };
    expect(filterRows(undefined)).toEqual([]);
    expect(filterRows(a)).toEqual([a]);
    expect(filterRows({ and: [a, b] })).toEqual([a, b]);
    expect(filterRows({ or: [a, b] })).toBeNull();
    expect(rowsFilter([])).toBeUndefined();
    expect(rowsFilter([a])).toEqual(a);
    expect(rowsFilter([a, b])).toEqual({ and: [a, b] });
  });

  it('finds the problems of one widget', () => {
    const ps = [{ path: 'widgets[1].groupBy' }, { path: 'widgets[10].form' }, { path: 'widgets[1]' }, { path: 'name' }];
    expect(problemsOf(ps, 1)).toEqual([{ path: 'widgets[1].groupBy' }, { path: 'widgets[1]' }]);
  });
});
