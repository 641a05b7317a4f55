// The builder's 24-column grid: each widget a card placed by its layout, moved by dragging its
// title bar and resized by its corner handle (pointer events; arrow keys on either do the same
// one cell at a time). The grid also tells where a palette item is dropped (`cellAt`).
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode, type RefObject } from 'react';
import type { Widget, WidgetLayout } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { bottom, cellsOf, clampLayout, COLS } from './layout';

export const ROW_PX = 40;

interface Drag {
  id: string;
  mode: 'move' | 'resize';
  x0: number;
  y0: number;
  start: WidgetLayout;
  now: WidgetLayout;
}

export interface GridCanvasProps {
  widgets: readonly Widget[];
  selected: string | null;
  onSelect(id: string | null): void;
  /** a move or resize ended: the widget's new layout (others are pushed out of its way by the caller) */
  onLayout(id: string, layout: WidgetLayout): void;
  body(w: Widget): ReactNode;
  /** widgets with problems are outlined */
  flagged: ReadonlySet<string>;
  /** where a palette item being dragged would land */
  ghost: WidgetLayout | null;
  gridRef: RefObject<HTMLDivElement | null>;
}

/** the grid cell under a viewport point, or null outside the grid */
export function cellAt(grid: HTMLElement, clientX: number, clientY: number): { x: number; y: number } | null {
  const r = grid.getBoundingClientRect();
  if (clientX < r.left || clientX > r.right || clientY < r.top || clientY > r.bottom) return null;
  return { x: Math.min(COLS - 1, Math.floor(((clientX - r.left) / r.width) * COLS)), y: Math.floor((clientY - r.top) / ROW_PX) };
}

export function GridCanvas({ widgets, selected, onSelect, onLayout, body, flagged, ghost, gridRef }: GridCanvasProps) {
  const t = useT();
  const [width, setWidth] = useState(960);
  const [drag, setDrag] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  dragRef.current = drag;

  useEffect(() => {
    const el = gridRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [gridRef]);

  const col = width / COLS;
  const rows = Math.max(bottom(widgets), ghost ? ghost.y + ghost.h : 0, drag ? drag.now.y + drag.now.h : 0) + 6;

  const start = (w: Widget, mode: Drag['mode']) => (e: PointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    onSelect(w.id);
    setDrag({ id: w.id, mode, x0: e.clientX, y0: e.clientY, start: w.layout, now: w.layout });
  };
  const move = (e: PointerEvent<HTMLElement>) => {
    const d = dragRef.current;
    if (!d) return;
    const c = cellsOf(e.clientX - d.x0, e.clientY - d.y0, col, ROW_PX);
    const s = d.start;
    const now = d.mode === 'move' ? clampLayout({ ...s, x: s.x + c.dx, y: s.y + c.dy }) : clampLayout({ ...s, w: Math.min(s.w + c.dx, COLS - s.x), h: s.h + c.dy });
    if (JSON.stringify(now) !== JSON.stringify(d.now)) setDrag({ ...d, now });
  };
  const end = () => {
    const d = dragRef.current;
    if (!d) return;
    setDrag(null);
    if (JSON.stringify(d.now) !== JSON.stringify(d.start)) onLayout(d.id, d.now);
  };
  const keys = (w: Widget, mode: Drag['mode']) => (e: KeyboardEvent) => {
    const step: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const s = step[e.key];
    if (!s) return;
    e.preventDefault();
    const l = w.layout;
    onLayout(w.id, clampLayout(mode === 'move' ? { ...l, x: l.x + s[0], y: l.y + s[1] } : { ...l, w: Math.min(l.w + s[0], COLS - l.x), h: l.h + s[1] }));
  };
  const box = (l: WidgetLayout) => ({ left: l.x * col, top: l.y * ROW_PX, width: l.w * col - 8, height: l.h * ROW_PX - 8 });

  return (
    <div
      ref={gridRef}
      className="db-grid"
      style={{ height: rows * ROW_PX, backgroundSize: `${col}px ${ROW_PX}px` }}
      aria-label={t({ en: 'Dashboard grid', zh: '仪表盘网格' })}
      role="region"
      onPointerDown={(e) => {
        if (e.target === e.currentTarget) onSelect(null);
      }}
    >
      {ghost && <div className="db-ghost" style={box(ghost)} aria-hidden="true" />}
      {widgets.map((w) => {
        const l = drag?.id === w.id ? drag.now : w.layout;
        const title = t(w.title) || w.id;
        return (
          <div
            key={w.id}
            className={`db-widget${selected === w.id ? ' is-selected' : ''}${flagged.has(w.id) ? ' has-problem' : ''}${drag?.id === w.id ? ' is-dragging' : ''}`}
            style={box(l)}
            data-widget={w.id}
            data-layout={`${l.x},${l.y},${l.w},${l.h}`}
            onPointerDown={() => onSelect(w.id)}
          >
            <div
              className="db-widget-bar"
              role="button"
              tabIndex={0}
              aria-label={t({ en: 'Move {w} (arrow keys)', zh: '移动{w}（方向键）' }, { w: title })}
              aria-pressed={selected === w.id}
              onPointerDown={start(w, 'move')}
              onPointerMove={move}
              onPointerUp={end}
              onPointerCancel={end}
              onKeyDown={keys(w, 'move')}
              onClick={() => onSelect(w.id)}
            >
              <span aria-hidden="true">⠿</span> {title}
            </div>
            <div className="db-widget-body">{body(w)}</div>
            <div
              className="db-resize"
              role="button"
              tabIndex={0}
              aria-label={t({ en: 'Resize {w} (arrow keys)', zh: '调整{w}大小（方向键）' }, { w: title })}
              onPointerDown={start(w, 'resize')}
              onPointerMove={move}
              onPointerUp={end}
              onPointerCancel={end}
              onKeyDown={keys(w, 'resize')}
            />
          </div>
        );
      })}
    </div>
  );
}
