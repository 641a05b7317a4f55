// The palette: every node type, dragged onto the canvas (HTML5 drag and drop) or added with its
// "Add" button (keyboard and touch).
import type { NodeType } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { NODE_KINDS } from './model';

export const DRAG_TYPE = 'application/x-trellis-node';

export function Palette({ onAdd }: { onAdd(type: NodeType): void }) {
  const t = useT();
  return (
    <nav className="wf-palette" aria-label={t({ en: 'Node types', zh: '节点类型' })}>
      <h2>{t({ en: 'Nodes', zh: '节点' })}</h2>
      <p className="muted wf-small">{t({ en: 'Drag onto the canvas, or use Add.', zh: '拖到画布上，或点击“添加”。' })}</p>
      <ul className="list">
        {NODE_KINDS.map((k) => (
          <li
            key={k.type}
            className={`wf-palette-item wf-node-${k.type}`}
            draggable
            data-node-type={k.type}
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_TYPE, k.type);
              e.dataTransfer.effectAllowed = 'move';
            }}
            title={t(k.help)}
          >
            <span className="wf-palette-label">{t(k.label)}</span>
            <button type="button" className="btn btn-sm" aria-label={t({ en: 'Add {n}', zh: '添加{n}' }, { n: t(k.label) })} onClick={() => onAdd(k.type)}>
              {t({ en: 'Add', zh: '添加' })}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
