import { describe, expect, it } from 'vitest';
import { cellsOf, clampLayout, freeSpot, nextId, overlaps, placeAt } from './layout';

const item = (id: string, x: number, y: number, w: number, h: number) => ({ id, layout: { x, y, w, h } });

describe('dashboard grid', () => {
  it('keeps a layout on the 24 columns', () => {
    expect(clampLayout({ x: 20, y: -2, w: 8, h: 0 })).toEqual({ x: 16, y: 0, w: 8, h: 1 });
    expect(clampLayout({ x: 3.4, y: 2.6, w: 40, h: 99 })).toEqual({ x: 0, y: 3, w: 24, h: 50 });
  });

  it('finds the first free spot row by row', () => {
    const items = [item('a', 0, 0, 8, 4), item('b', 8, 0, 8, 4)];
    expect(freeSpot(items, 8, 4)).toEqual({ x: 16, y: 0, w: 8, h: 4 });
    expect(freeSpot([...items, item('c', 16, 0, 8, 2)], 8, 4)).toEqual({ x: 16, y: 2, w: 8, h: 4 });
    expect(freeSpot([], 30, 3)).toEqual({ x: 0, y: 0, w: 24, h: 3 });
  });

  it('pushes the widgets a moved one lands on down, in a chain', () => {
    const items = [item('a', 0, 0, 12, 4), item('b', 0, 4, 12, 4), item('c', 12, 0, 12, 4)];
    const out = placeAt(items, 'c', { x: 0, y: 2, w: 12, h: 4 });
    const at = Object.fromEntries(out.map((i) => [i.id, i.layout]));
    expect(at.c).toEqual({ x: 0, y: 2, w: 12, h: 4 });
    expect(at.a).toEqual({ x: 0, y: 6, w: 12, h: 4 });
    expect(at.b).toEqual({ x: 0, y: 10, w: 12, h: 4 });
    for (const p of out) for (const q of out) if (p !== q) expect(overlaps(p.layout, q.layout)).toBe(false);
    // the input is not changed
    expect(items[0]!.layout.y).toBe(0);
  });

  it('turns a pointer movement into cells and names new widgets', () => {
    expect(cellsOf(95, -61, 40, 40)).toEqual({ dx: 2, dy: -2 });
    expect(nextId('bar', ['bar1', 'bar2', 'pie1'])).toBe('bar3');
  });
});
