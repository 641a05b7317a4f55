// The panel when no field is selected: the form's name, description, title field, and every
// problem of the definition with a way to jump to its field.
import type { DefinitionProblem, Label } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { FieldPicker } from '../common/FieldPicker';
import { PanelSection, TextInput } from './inputs';
import { locate, toDefinition, type DesignState } from './model';

function parts(l: Label | undefined): { en: string; zh: string } {
  if (l === undefined) return { en: '', zh: '' };
  return typeof l === 'string' ? { en: l, zh: '' } : { en: l.en ?? '', zh: l.zh ?? '' };
}

function label(en: string, zh: string): Label {
  return en || zh ? { ...(en ? { en } : {}), ...(zh ? { zh } : {}) } : '';
}

export function FormSettings({ state, onChange, problems, formProblems, byField, onSelect }: {
  state: DesignState;
  onChange(next: DesignState): void;
  problems: readonly DefinitionProblem[];
  formProblems: readonly DefinitionProblem[];
  byField: Map<string, DefinitionProblem[]>;
  onSelect(uid: string): void;
}) {
  const t = useT();
  const name = parts(state.name);
  const desc = parts(state.description);
  const withField = [...byField.entries()].filter(([uid]) => uid !== '');
  return (
    <div className="fd-panel-body" role="region" aria-label={t({ en: 'Form settings', zh: '表单设置' })}>
      <h2>{t({ en: 'Form settings', zh: '表单设置' })}</h2>
      <p className="muted">{t({ en: 'Select a field on the canvas to edit it.', zh: '在画布上选择字段以编辑。' })}</p>
      {problems.length > 0 && (
        <div className="alert fd-problems" role="alert">
          <strong>{t({ en: 'Problems to fix', zh: '需要修正的问题' })}</strong>
          <ul>
            {formProblems.map((p, i) => <li key={`f${i}`}>{p.path ? `${p.path}: ` : ''}{p.message}</li>)}
            {withField.map(([uid, list]) => {
              const at = locate(state, uid);
              return list.map((p, i) => (
                <li key={`${uid}${i}`}>
                  <button type="button" className="btn-link btn" onClick={() => onSelect(uid)}>{t(at?.field.label) || at?.path}</button>: {p.message}
                </li>
              ));
            })}
          </ul>
        </div>
      )}
      <PanelSection title={t({ en: 'General', zh: '常规' })}>
        <TextInput label={t({ en: 'Form name (English)', zh: '表单名称（英文）' })} value={name.en} onChange={(v) => onChange({ ...state, name: label(v, name.zh) })} />
        <TextInput label={t({ en: 'Form name (Chinese)', zh: '表单名称（中文）' })} value={name.zh} onChange={(v) => onChange({ ...state, name: label(name.en, v) })} />
        <TextInput
          label={t({ en: 'Description', zh: '描述' })}
          value={desc.en}
          onChange={(v) => {
            const d = v || desc.zh ? label(v, desc.zh) : undefined;
            const next = { ...state };
            if (d === undefined) delete next.description;
            else next.description = d;
            onChange(next);
          }}
        />
        <FieldPicker
          label={t({ en: 'Title field', zh: '标题字段' })}
          fields={toDefinition(state).fields.filter((f) => f.type !== 'subtable')}
          value={state.titleField ?? ''}
          empty={t({ en: 'First field', zh: '第一个字段' })}
          onChange={(k) => {
            const next = { ...state };
            if (k) next.titleField = k;
            else delete next.titleField;
            onChange(next);
          }}
        />
      </PanelSection>
    </div>
  );
}
