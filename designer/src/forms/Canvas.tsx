// The canvas: the form's fields in order, in sections (the `section` property) and columns
// (`width`: full, half, third). Fields are reordered by dragging their handle (pointer or
// keyboard: focus the handle, Space, arrows, Space); sub-tables take child fields.
import { useDroppable } from '@dnd-kit/core';
import { rectSortingStrategy, SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useState } from 'react';
import { fieldType, FIELD_TYPES, type DefinitionProblem, type FieldType } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import type { AnyD, DField } from './model';

export interface CanvasProps {
  fields: DField[];
  selected: string | null;
  problems: Map<string, DefinitionProblem[]>;
  /** id of the drop target while something is dragged */
  overId: string | null;
  onSelect(uid: string): void;
  onDelete(uid: string): void;
  onAddChild(parentUid: string, type: FieldType): void;
}

const SPAN = { full: 6, half: 3, third: 2 } as const;

export function Canvas(props: CanvasProps) {
  const t = useT();
  const { setNodeRef, isOver } = useDroppable({ id: 'canvas', data: { kind: 'canvas' } });
  const items: React.ReactNode[] = [];
  let section: string | undefined;
  props.fields.forEach((f, i) => {
    if (f.section && f.section !== section) items.push(<h3 key={`s-${i}`} className="fd-section">{f.section}</h3>);
    else if (!f.section && section) items.push(<hr key={`s-${i}`} className="fd-section-end" />);
    section = f.section || undefined;
    items.push(<FieldCard key={f._uid} field={f} {...props} />);
  });
  return (
    <section ref={setNodeRef} className={`fd-canvas${isOver || props.overId === 'canvas' ? ' is-over' : ''}`} aria-label={t({ en: 'Form canvas', zh: '表单画布' })}>
      {props.fields.length === 0 && (
        <p className="fd-empty muted">{t({ en: 'Drag field types here, or use their + buttons.', zh: '把字段类型拖到这里，或点击其 + 按钮。' })}</p>
      )}
      <SortableContext items={props.fields.map((f) => f._uid)} strategy={rectSortingStrategy}>
        <div className="fd-grid">{items}</div>
      </SortableContext>
    </section>
  );
}

function FieldCard({ field, ...props }: { field: DField } & CanvasProps) {
  const sortable = useSortable({ id: field._uid, data: { kind: 'field' } });
  const style = {
    transform: CSS.Translate.toString(sortable.transform),
    transition: sortable.transition,
    gridColumn: `span ${SPAN[field.width ?? 'full']}`,
  };
  return (
    <div ref={sortable.setNodeRef} style={style} className={`fd-cell${sortable.isDragging ? ' is-dragging' : ''}`}>
      <CardBody field={field} handle={sortable} {...props} />
      {field.type === 'subtable' && <SubtableZone parent={field} {...props} />}
    </div>
  );
}

type SortableHandle = Pick<ReturnType<typeof useSortable>, 'attributes' | 'listeners' | 'setActivatorNodeRef'>;

function CardBody({ field, handle, selected, problems, overId, onSelect, onDelete }: { field: AnyD; handle: SortableHandle } & CanvasProps) {
  const t = useT();
  const label = t(field.label) || field.key;
  const mine = problems.get(field._uid) ?? [];
  const isSelected = selected === field._uid;
  return (
    <div
      className={`fd-card${isSelected ? ' is-selected' : ''}${mine.length ? ' has-problem' : ''}${overId === field._uid ? ' is-over' : ''}`}
      onClick={(e) => {
        e.stopPropagation();
        onSelect(field._uid);
      }}
    >
      <button
        type="button"
        ref={handle.setActivatorNodeRef}
        className="fd-handle"
        {...handle.attributes}
        {...handle.listeners}
        aria-label={t({ en: 'Move {name}', zh: '移动{name}' }, { name: label })}
      >
        ⋮⋮
      </button>
      <button type="button" className="fd-card-label" aria-pressed={isSelected} onClick={(e) => { e.stopPropagation(); onSelect(field._uid); }}>
        <span className={field.required ? 'required' : undefined}>{label}</span>
        <span className="fd-card-meta">
          <span className="tag">{t(fieldType(field.type).label)}</span>
          <code>{field.key}</code>
          {field.width && field.width !== 'full' && <span className="tag">{field.width === 'half' ? '1/2' : '1/3'}</span>}
          {mine.length > 0 && <span className="tag tag-danger">{t(mine.length === 1 ? { en: '1 problem', zh: '1 个问题' } : { en: '{n} problems', zh: '{n} 个问题' }, { n: mine.length })}</span>}
        </span>
      </button>
      <button type="button" className="btn btn-sm btn-link fd-delete" aria-label={t({ en: 'Delete {name}', zh: '删除{name}' }, { name: label })} onClick={(e) => { e.stopPropagation(); onDelete(field._uid); }}>
        ×
      </button>
    </div>
  );
}

function SubtableZone({ parent, ...props }: { parent: DField } & CanvasProps) {
  const t = useT();
  const { setNodeRef, isOver } = useDroppable({ id: `zone:${parent._uid}`, data: { kind: 'subZone', parent: parent._uid } });
  const [type, setType] = useState<FieldType>('text');
  const children = parent.fields ?? [];
  const name = t(parent.label) || parent.key;
  return (
    <div
      ref={setNodeRef}
      className={`fd-subzone${isOver || props.overId === `zone:${parent._uid}` ? ' is-over' : ''}`}
      role="group"
      aria-label={t({ en: 'Fields of {name}', zh: '{name}的字段' }, { name })}
    >
      <SortableContext items={children.map((c) => c._uid)} strategy={verticalListSortingStrategy}>
        {children.map((c) => <SubCard key={c._uid} field={c} parentUid={parent._uid} {...props} />)}
      </SortableContext>
      {children.length === 0 && <p className="muted fd-subempty">{t({ en: 'Drop fields here to make the columns of each row.', zh: '把字段拖到这里，作为每一行的列。' })}</p>}
      <div className="row fd-subadd">
        <select aria-label={t({ en: 'Field type for {name}', zh: '{name}的字段类型' }, { name })} value={type} onChange={(e) => setType(e.target.value as FieldType)}>
          {FIELD_TYPES.filter((x) => x !== 'subtable').map((x) => <option key={x} value={x}>{t(fieldType(x).label)}</option>)}
        </select>
        <button type="button" className="btn btn-sm" onClick={() => props.onAddChild(parent._uid, type)}>
          {t({ en: 'Add to {name}', zh: '添加到{name}' }, { name })}
        </button>
      </div>
    </div>
  );
}

function SubCard({ field, parentUid, ...props }: { field: AnyD; parentUid: string } & CanvasProps) {
  const sortable = useSortable({ id: field._uid, data: { kind: 'sub', parent: parentUid } });
  const style = { transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition };
  return (
    <div ref={sortable.setNodeRef} style={style} className={`fd-subcell${sortable.isDragging ? ' is-dragging' : ''}`}>
      <CardBody field={field} handle={sortable} {...props} />
    </div>
  );
}
