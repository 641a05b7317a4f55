// Drag and drop of the form designer: which drop target wins, and what a drop does.
import { closestCenter, pointerWithin, type Active, type CollisionDetection, type DroppableContainer, type Over } from '@dnd-kit/core';
import { arrayMove } from '@dnd-kit/sortable';
import type { FieldType } from '@trellis/core';
import { newField, type DesignState, type DSub } from './model';

type Kind = 'palette' | 'field' | 'sub' | 'subZone' | 'canvas';
interface DragData {
  kind: Kind;
  type?: FieldType;
  parent?: string;
}

const dataOf = (x: { data: { current?: unknown } } | null | undefined): DragData | undefined => x?.data.current as DragData | undefined;

/** The drop targets an active item may use: a field moves among its siblings; a palette item goes anywhere. */
function allowed(active: DragData | undefined, target: DragData | undefined): boolean {
  if (!active || !target) return false;
  if (active.kind === 'field') return target.kind === 'field';
  if (active.kind === 'sub') return target.kind === 'sub' && target.parent === active.parent;
  if (active.type === 'subtable') return target.kind === 'field' || target.kind === 'canvas';
  return true;
}

// innermost first: a sub-table's children, then its drop zone, then top-level fields, then the canvas
const RANK: Record<Kind, number> = { sub: 0, subZone: 1, field: 2, canvas: 3, palette: 4 };

export const collision: CollisionDetection = (args) => {
  const active = dataOf(args.active);
  const droppableContainers = args.droppableContainers.filter((c: DroppableContainer) => allowed(active, dataOf(c)));
  const narrowed = { ...args, droppableContainers };
  const within = pointerWithin(narrowed);
  if (within.length) {
    const rank = (id: string | number) => RANK[dataOf(droppableContainers.find((c) => c.id === id))?.kind ?? 'palette'];
    return [...within].sort((a, b) => rank(a.id) - rank(b.id));
  }
  return closestCenter(narrowed);
};

/** Whether the dragged item's centre is below the middle of the target (insert after it). */
function below(active: Active, over: Over): boolean {
  const r = active.rect.current.translated;
  return !!r && r.top + r.height / 2 > over.rect.top + over.rect.height / 2;
}

export interface DropResult {
  state: DesignState;
  /** the field to select afterwards */
  select?: string;
  /** a drop that was refused, e.g. a sub-table into a sub-table */
  refused?: boolean;
}

export function applyDrop(state: DesignState, active: Active, over: Over | null): DropResult {
  const a = dataOf(active);
  const o = dataOf(over);
  if (!a || !over || !o) return { state };
  if (a.kind === 'palette' && a.type) {
    const type = a.type;
    const intoTable = o.kind === 'sub' || o.kind === 'subZone' ? o.parent : undefined;
    if (intoTable) {
      if (type === 'subtable') return { state, refused: true };
      const parent = state.fields.find((f) => f._uid === intoTable);
      if (!parent) return { state };
      const children = parent.fields ?? [];
      const child = newField(type, children.map((c) => c.key)) as unknown as DSub;
      let at = children.length;
      if (o.kind === 'sub') {
        const i = children.findIndex((c) => c._uid === over.id);
        at = i < 0 ? children.length : i + (below(active, over) ? 1 : 0);
      }
      const next = [...children.slice(0, at), child, ...children.slice(at)];
      return { state: { ...state, fields: state.fields.map((f) => (f._uid === intoTable ? { ...f, fields: next } : f)) }, select: child._uid };
    }
    const field = newField(type, state.fields.map((f) => f.key));
    let at = state.fields.length;
    if (o.kind === 'field') {
      const i = state.fields.findIndex((f) => f._uid === over.id);
      at = i < 0 ? at : i + (below(active, over) ? 1 : 0);
    }
    return { state: { ...state, fields: [...state.fields.slice(0, at), field, ...state.fields.slice(at)] }, select: field._uid };
  }
  if (a.kind === 'field' && o.kind === 'field' && active.id !== over.id) {
    const from = state.fields.findIndex((f) => f._uid === active.id);
    const to = state.fields.findIndex((f) => f._uid === over.id);
    if (from < 0 || to < 0) return { state };
    return { state: { ...state, fields: arrayMove(state.fields, from, to) } };
  }
  if (a.kind === 'sub' && o.kind === 'sub' && a.parent === o.parent && active.id !== over.id) {
    return {
      state: {
        ...state,
        fields: state.fields.map((f) => {
          if (f._uid !== a.parent || !f.fields) return f;
          const from = f.fields.findIndex((c) => c._uid === active.id);
          const to = f.fields.findIndex((c) => c._uid === over.id);
          return from < 0 || to < 0 ? f : { ...f, fields: arrayMove(f.fields, from, to) };
        }),
      },
    };
  }
  return { state };
}
