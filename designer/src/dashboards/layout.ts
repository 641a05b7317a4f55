// The dashboard builder's grid arithmetic: 24 columns, rows of a fixed height. Pure
// (layout.test.ts): where a new widget goes, how a move or a resize is kept on the grid,
// and how widgets it lands on are pushed down out of its way.
import type { WidgetLayout } from '@trellis/core';

export const COLS = 24;
export const MAX_H = 50;
export const MAX_Y = 1000;

type Placed = { id: string; layout: WidgetLayout };

/** keeps a layout on the grid: 1–24 wide, inside the columns, 1–50 high, not above the top */
export function clampLayout(l: WidgetLayout): WidgetLayout {
  const w = Math.min(Math.max(Math.round(l.w), 1), COLS);
  const h = Math.min(Math.max(Math.round(l.h), 1), MAX_H);
  const x = Math.min(Math.max(Math.round(l.x), 0), COLS - w);
  const y = Math.min(Math.max(Math.round(l.y), 0), MAX_Y);
  return { x, y, w, h };
}

export function overlaps(a: WidgetLayout, b: WidgetLayout): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** the first free spot for a w×h widget, reading row by row from the top */
export function freeSpot(items: readonly Placed[], w: number, h: number): WidgetLayout {
  const width = Math.min(Math.max(w, 1), COLS);
  for (let y = 0; y <= MAX_Y; y++) {
    for (let x = 0; x + width <= COLS; x++) {
      const spot = { x, y, w: width, h };
      if (!items.some((i) => overlaps(i.layout, spot))) return spot;
    }
  }
  return { x: 0, y: bottom(items), w: width, h };
}

/** the first row below every widget */
export function bottom(items: readonly Placed[]): number {
  return items.reduce((m, i) => Math.max(m, i.layout.y + i.layout.h), 0);
}

/**
 * Puts widget `id` at `next` (kept on the grid); every widget it now overlaps moves down just
 * below it, and so on for the ones those land on. The moved widget keeps its place.
 */
export function placeAt<T extends Placed>(items: readonly T[], id: string, next: WidgetLayout): T[] {
  const out = items.map((i) => (i.id === id ? { ...i, layout: clampLayout(next) } : { ...i }));
  const fixed = [out.find((i) => i.id === id)!];
  if (!fixed[0]) return out;
  // settle the others top to bottom; each one pushed below whatever settled widget it touches
  const rest = out.filter((i) => i.id !== id).sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
  for (const item of rest) {
    let l = item.layout;
    for (let guard = 0; guard < 200; guard++) {
      const hit = fixed.find((f) => overlaps(f.layout, l));
      if (!hit) break;
      l = { ...l, y: hit.layout.y + hit.layout.h };
    }
    item.layout = clampLayout(l);
    fixed.push(item);
  }
  return out;
}

/** a pointer movement in pixels as whole grid cells */
export function cellsOf(dx: number, dy: number, colWidth: number, rowHeight: number): { dx: number; dy: number } {
  return { dx: Math.round(dx / Math.max(colWidth, 1)), dy: Math.round(dy / Math.max(rowHeight, 1)) };
}

/** a widget id not used yet: `bar1`, `bar2`, … */
export function nextId(prefix: string, taken: readonly string[]): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}
