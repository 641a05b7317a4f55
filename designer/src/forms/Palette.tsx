// The palette: every field type of core's registry, grouped. Drag an item onto the canvas with
// the pointer, or press its "Add" button (keyboard and touch).
import { useDraggable } from '@dnd-kit/core';
import { fieldType, type FieldType } from '@trellis/core';
import { useT, type Msg } from '@trellis/app/lib/i18n';

export const PALETTE_GROUPS: { title: Msg; types: FieldType[] }[] = [
  { title: { en: 'Basic', zh: '基础字段' }, types: ['text', 'textarea', 'number', 'money', 'date', 'datetime', 'phone', 'email'] },
  { title: { en: 'Choice', zh: '选择' }, types: ['select', 'multiselect', 'checkbox'] },
  { title: { en: 'People', zh: '人员与部门' }, types: ['member', 'department'] },
  { title: { en: 'Files', zh: '文件' }, types: ['attachment', 'image', 'signature'] },
  { title: { en: 'Advanced', zh: '高级字段' }, types: ['subtable', 'link', 'lookup', 'formula', 'serial', 'address', 'barcode'] },
];

export const PALETTE_PREFIX = 'palette:';

function PaletteItem({ type, onAdd }: { type: FieldType; onAdd(type: FieldType): void }) {
  const t = useT();
  const { setNodeRef, listeners, isDragging } = useDraggable({ id: `${PALETTE_PREFIX}${type}`, data: { kind: 'palette', type } });
  // only the pointer drags a palette item; the keyboard uses the Add button
  const pointer = listeners?.onPointerDown ? { onPointerDown: listeners.onPointerDown as React.PointerEventHandler } : {};
  const name = t(fieldType(type).label);
  return (
    <li ref={setNodeRef} className={`fd-palette-item${isDragging ? ' is-dragging' : ''}`} data-type={type} {...pointer}>
      <span className="fd-palette-name">{name}</span>
      <button type="button" className="btn btn-sm fd-add" aria-label={t({ en: 'Add {type}', zh: '添加{type}' }, { type: name })} onClick={() => onAdd(type)}>
        +
      </button>
    </li>
  );
}

export function Palette({ onAdd }: { onAdd(type: FieldType): void }) {
  const t = useT();
  return (
    <aside className="fd-palette" aria-label={t({ en: 'Field types', zh: '字段类型' })}>
      {PALETTE_GROUPS.map((g) => (
        <div key={g.title.en} className="fd-palette-group">
          <h3>{t(g.title)}</h3>
          <ul aria-label={t(g.title)}>
            {g.types.map((type) => <PaletteItem key={type} type={type} onAdd={onAdd} />)}
          </ul>
        </div>
      ))}
    </aside>
  );
}
