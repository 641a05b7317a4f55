import { describe, expect, it } from 'vitest';
import { labelText } from '@trellis/core';
import { changeView, drillPath, fieldLabel, filterParam, formatFigure, gridPlacement, keyText, metricName, readingOrder } from './view';

describe('drill links', () => {
  it('round-trip a drill filter through the record list link', () => {
    const filter = { and: [{ field: 'supplier', op: 'eq' as const, value: 'a&b=c' }, { field: 'createdAt', op: 'gte' as const, value: '2026-03-01' }] };
    const path = drillPath('form 1', filter);
    expect(path.startsWith('/forms/form%201/records?filter=')).toBe(true);
    const param = new URLSearchParams(path.split('?')[1]).get('filter');
    expect(filterParam(param)).toEqual({ filter });
  });

  it('refuse a filter that is not a JSON object, and ignore none', () => {
    expect(filterParam(null)).toBeNull();
    expect(filterParam('')).toBeNull();
    expect(filterParam('{nope')).toEqual({ error: expect.objectContaining({ en: expect.stringContaining('JSON') }) });
    expect(filterParam('[1]')).toEqual({ error: expect.objectContaining({ en: expect.stringContaining('filter object') }) });
  });
});

describe('figures as text', () => {
  it('names keys by their label, yes/no, or the empty group', () => {
    expect(keyText('s1', { s1: { en: 'Acme', zh: '顶点' } }, 'zh', labelText)).toBe('顶点');
    expect(keyText('2026-03', {}, 'en', labelText)).toBe('2026-03');
    expect(keyText(true, {}, 'en', labelText)).toBe('Yes');
    expect(keyText(null, {}, 'en', labelText)).toBe('(empty)');
    expect(keyText(3, undefined, 'en', labelText)).toBe('3');
  });

  it('formats values and the change with the previous period', () => {
    expect(formatFigure(1234.567, 'en')).toBe('1,234.57');
    expect(formatFigure(null, 'en')).toBe('–');
    expect(formatFigure('2026-03-01T08:30:00.000Z', 'en')).toBe('2026-03-01 08:30');
    expect(changeView(0.125)).toEqual({ dir: 'up', text: '+12.5%' });
    expect(changeView(-0.8167)).toEqual({ dir: 'down', text: '−81.7%' });
    expect(changeView(0)).toEqual({ dir: 'flat', text: '0%' });
    expect(changeView(null)).toBeNull();
  });

  it('names metrics with the field label', () => {
    const f = (k: string) => (k === 'amount' ? 'Amount' : k);
    expect(metricName({ op: 'count' }, f, 'en')).toBe('Count');
    expect(metricName({ op: 'sum', field: 'amount' }, f, 'en')).toBe('Sum of Amount');
    expect(metricName({ op: 'avg', field: 'amount' }, f, 'zh')).toBe('Amount平均值');
  });
});

describe('layout', () => {
  it('places a widget on the 24-column grid, clipped to the grid', () => {
    expect(gridPlacement({ x: 0, y: 0, w: 8, h: 4 })).toEqual({ gridColumn: '1 / span 8', gridRow: '1 / span 4' });
    expect(gridPlacement({ x: 20, y: 3, w: 8, h: 2 })).toEqual({ gridColumn: '21 / span 4', gridRow: '4 / span 2' });
  });

  it('reads widgets top to bottom, then left to right, on a phone', () => {
    const w = (id: string, x: number, y: number) => ({ id, layout: { x, y, w: 6, h: 4 } });
    expect(readingOrder([w('c', 0, 4), w('b', 12, 0), w('a', 0, 0)]).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('fieldLabel', () => {
  it('finds form fields, then the record fields, then gives the key', () => {
    const fields = [{ key: 'amount', label: { en: 'Amount', zh: '金额' } }];
    expect(fieldLabel(fields, 'amount')).toEqual({ en: 'Amount', zh: '金额' });
    expect(fieldLabel(fields, 'createdAt')).toEqual({ en: 'Created', zh: '创建时间' });
    expect(fieldLabel(undefined, 'other')).toBe('other');
  });
});
