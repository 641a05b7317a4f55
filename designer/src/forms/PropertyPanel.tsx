// The property panel of the selected field: label (English and Chinese), key, help, placeholder,
// required, default, options, validation, layout, indexing, type settings and rules.
import { useState } from 'react';
import {
  fieldKeyProblem, fieldType, keyFromLabel, optionValues,
  type DefinitionProblem, type Field, type Label, type Rule,
} from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { CheckInput, NumInput, PanelSection, SelectInput, TextInput } from './inputs';
import { locate, renameInState, siblingsOf, toDefinition, updateField, type AnyD, type AppForm, type DesignState } from './model';
import { OptionsEditor } from './OptionsEditor';
import { RulesEditor } from './RulesEditor';
import { TypeSettings } from './TypeSettings';

export interface PropertyPanelProps {
  state: DesignState;
  uid: string;
  formId: string;
  forms: readonly AppForm[];
  problems: readonly DefinitionProblem[];
  onChange(next: DesignState): void;
  /** the admin typed a new key: the designer checks where the field is used first */
  onRenameKey(uid: string, key: string): void;
  onDelete(uid: string): void;
}

function parts(l: Label | undefined): { en: string; zh: string } {
  if (l === undefined) return { en: '', zh: '' };
  return typeof l === 'string' ? { en: l, zh: '' } : { en: l.en ?? '', zh: l.zh ?? '' };
}

function makeLabel(en: string, zh: string): Label {
  if (!en && !zh) return '';
  return { ...(en ? { en } : {}), ...(zh ? { zh } : {}) };
}

function optionalLabel(en: string, zh: string): Label | undefined {
  return en || zh ? makeLabel(en, zh) : undefined;
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const TEXTUAL = new Set(['text', 'textarea', 'phone', 'email', 'barcode']);
const PATTERNED = new Set(['text', 'textarea', 'phone', 'barcode']);

export function PropertyPanel(props: PropertyPanelProps) {
  const t = useT();
  const { state, uid } = props;
  const at = locate(state, uid);
  if (!at) return null;
  const f = at.field;
  const spec = fieldType(f.type);
  const topLevel = !at.parent;
  const set = (patch: Partial<Field>) => props.onChange(updateField(state, uid, (x) => clean({ ...x, ...patch } as AnyD)));
  const label = parts(f.label);

  const setLabel = (en: string, zh: string) => {
    // the type's name a new field starts with is dropped from the other language once one is typed
    const typeName = spec.label;
    if (en !== label.en && zh === typeName.zh && en !== typeName.en) zh = '';
    if (zh !== label.zh && en === typeName.en && zh !== typeName.zh) en = '';
    let next = updateField(state, uid, (x) => ({ ...x, label: makeLabel(en, zh) }));
    if (f._autoKey) {
      const key = keyFromLabel(en || zh, siblingsOf(state, uid), f.type);
      next = renameInState(next, uid, key);
    }
    props.onChange(next);
  };

  const siblings = at.parent ? (toDefinition(state).fields.find((x) => x.key === at.parent!.key)?.fields ?? []) : toDefinition(state).fields;
  const topFields = toDefinition(state).fields;

  return (
    <div className="fd-panel-body" aria-label={t({ en: 'Field properties', zh: '字段属性' })} role="region">
      <div className="row">
        <h2 style={{ margin: 0 }}>{t(f.label) || f.key}</h2>
        <span className="tag">{t(spec.label)}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-danger" onClick={() => props.onDelete(uid)}>
          {t({ en: 'Delete field', zh: '删除字段' })}
        </button>
      </div>
      {at.parent && <p className="muted">{t({ en: 'A column of the sub-table {name}', zh: '子表单 {name} 的一列' }, { name: t(at.parent.label) || at.parent.key })}</p>}
      {props.problems.length > 0 && (
        <ul className="alert fd-problems" aria-label={t({ en: 'Problems of this field', zh: '此字段的问题' })}>
          {props.problems.map((p, i) => <li key={i}>{p.message}</li>)}
        </ul>
      )}

      <PanelSection title={t({ en: 'General', zh: '常规' })}>
        <TextInput label={t({ en: 'Label (English)', zh: '名称（英文）' })} value={label.en} onChange={(v) => setLabel(v, label.zh)} />
        <TextInput label={t({ en: 'Label (Chinese)', zh: '名称（中文）' })} value={label.zh} onChange={(v) => setLabel(label.en, v)} />
        <KeyInput key={`${uid}:${f.key}`} value={f.key} siblings={siblingsOf(state, uid)} auto={!!f._autoKey} onCommit={(k) => props.onRenameKey(uid, k)} />
        <TextInput label={t({ en: 'Help text', zh: '帮助文字' })} value={parts(f.help).en} onChange={(v) => set({ help: optionalLabel(v, parts(f.help).zh) })} />
        <TextInput label={t({ en: 'Help text (Chinese)', zh: '帮助文字（中文）' })} value={parts(f.help).zh} onChange={(v) => set({ help: optionalLabel(parts(f.help).en, v) })} />
        {!spec.computed && (
          <TextInput label={t({ en: 'Placeholder', zh: '占位提示' })} value={parts(f.placeholder).en} onChange={(v) => set({ placeholder: optionalLabel(v, parts(f.placeholder).zh) })} />
        )}
        {!spec.computed && <CheckInput label={t({ en: 'Required', zh: '必填' })} checked={!!f.required} onChange={(v) => set({ required: v || undefined })} />}
        {!spec.computed && <CheckInput label={t({ en: 'Read-only', zh: '只读' })} checked={!!f.readOnly} onChange={(v) => set({ readOnly: v || undefined })} />}
        <CheckInput label={t({ en: 'Hidden', zh: '隐藏' })} checked={!!f.hidden} onChange={(v) => set({ hidden: v || undefined })} />
        {!spec.computed && <DefaultInput field={f} onChange={(v) => set({ default: v })} />}
      </PanelSection>

      {(f.type === 'select' || f.type === 'multiselect') && (
        <PanelSection title={t({ en: 'Options', zh: '选项' })}>
          <OptionsEditor options={f.options ?? []} onChange={(options) => set({ options })} />
        </PanelSection>
      )}

      {(f.type === 'number' || f.type === 'money' || TEXTUAL.has(f.type)) && (
        <PanelSection title={t({ en: 'Validation', zh: '校验' })} open={false}>
          {(f.type === 'number' || f.type === 'money') && (
            <>
              <NumInput label={t({ en: 'Minimum', zh: '最小值' })} value={f.min} onChange={(v) => set({ min: v })} />
              <NumInput label={t({ en: 'Maximum', zh: '最大值' })} value={f.max} onChange={(v) => set({ max: v })} />
            </>
          )}
          {TEXTUAL.has(f.type) && (
            <>
              <NumInput label={t({ en: 'Min length', zh: '最少字数' })} value={f.minLength} min={0} step={1} onChange={(v) => set({ minLength: v })} />
              <NumInput label={t({ en: 'Max length', zh: '最多字数' })} value={f.maxLength} min={1} step={1} onChange={(v) => set({ maxLength: v })} />
            </>
          )}
          {PATTERNED.has(f.type) && (
            <TextInput label={t({ en: 'Pattern (regular expression)', zh: '格式（正则表达式）' })} mono value={f.pattern ?? ''} placeholder="^[A-Z]{2}[0-9]{4}$" onChange={(v) => set({ pattern: v || undefined })} />
          )}
        </PanelSection>
      )}

      <TypeSettings field={f} siblings={siblings} {...(at.parent ? { parentFields: topFields } : {})} forms={props.forms} set={set} />

      {topLevel && (
        <PanelSection title={t({ en: 'Layout and data', zh: '布局与数据' })} open={false}>
          <SelectInput label={t({ en: 'Width', zh: '宽度' })} value={f.width ?? 'full'} onChange={(v) => set({ width: v === 'full' ? undefined : (v as Field['width']) })}>
            <option value="full">{t({ en: 'Full row', zh: '整行' })}</option>
            <option value="half">{t({ en: 'Half', zh: '半行' })}</option>
            <option value="third">{t({ en: 'One third', zh: '三分之一' })}</option>
          </SelectInput>
          <TextInput
            label={t({ en: 'Section', zh: '分组' })}
            value={f.section ?? ''}
            list="fd-sections"
            help={t({ en: 'Fields next to each other with the same section are shown under one heading.', zh: '相邻且分组相同的字段显示在同一标题下。' })}
            onChange={(v) => set({ section: v || undefined })}
          />
          <datalist id="fd-sections">
            {[...new Set(state.fields.map((x) => x.section).filter(Boolean))].map((s) => <option key={s} value={s} />)}
          </datalist>
          {f.type !== 'subtable' && (
            <>
              <CheckInput label={t({ en: 'Indexed', zh: '建立索引' })} help={t({ en: 'Faster filters and sorting on this field', zh: '加快按此字段筛选和排序' })} checked={!!f.indexed} onChange={(v) => set({ indexed: v || undefined })} />
              <CheckInput label={t({ en: 'Unique', zh: '唯一' })} help={t({ en: 'No two records may have the same value', zh: '任意两条记录的值不能相同' })} checked={!!f.unique} onChange={(v) => set({ unique: v || undefined })} />
            </>
          )}
        </PanelSection>
      )}

      {topLevel && (
        <RulesEditor
          uid={uid}
          field={f as Field}
          fields={topFields}
          rules={state.rules}
          onChange={(rules: Rule[]) => props.onChange({ ...state, rules })}
          forms={props.forms}
          formId={props.formId}
        />
      )}
    </div>
  );
}

function KeyInput({ value, siblings, auto, onCommit }: { value: string; siblings: string[]; auto: boolean; onCommit(key: string): void }) {
  const t = useT();
  const [draft, setDraft] = useState(value);
  const problem = fieldKeyProblem(draft, siblings);
  const message = problem === 'pattern'
    ? t({ en: 'Start with a letter; then letters, digits or _ (at most 64).', zh: '以字母开头，之后为字母、数字或下划线（最多 64 个）。' })
    : problem === 'reserved'
      ? t({ en: '"{key}" is reserved.', zh: '“{key}”是保留字。' }, { key: draft })
      : problem === 'duplicate'
        ? t({ en: 'Another field already uses "{key}".', zh: '已有字段使用“{key}”。' }, { key: draft })
        : null;
  const commit = () => {
    if (!problem && draft !== value) onCommit(draft);
  };
  return (
    <div
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key !== 'Enter') return;
        // no keypress may follow: it would land on the button the where-used dialog focuses
        e.preventDefault();
        commit();
      }}
    >
      <TextInput
        label={t({ en: 'Key', zh: '字段标识' })}
        mono
        value={draft}
        error={message}
        help={auto ? t({ en: 'Follows the label until you change it. Used by rules, formulas and the API.', zh: '修改前会跟随名称自动生成。规则、公式和 API 使用它。' }) : t({ en: 'Used by rules, formulas and the API. Press Enter to apply.', zh: '规则、公式和 API 使用它。按回车应用。' })}
        onChange={setDraft}
      />
    </div>
  );
}

function DefaultInput({ field, onChange }: { field: AnyD; onChange(v: unknown): void }) {
  const t = useT();
  const label = t({ en: 'Default value', zh: '默认值' });
  const v = field.default;
  switch (field.type) {
    case 'text': case 'textarea': case 'phone': case 'email': case 'barcode':
      return <TextInput label={label} value={typeof v === 'string' ? v : ''} onChange={(x) => onChange(x || undefined)} />;
    case 'number': case 'money':
      return <NumInput label={label} value={typeof v === 'number' ? v : undefined} onChange={onChange} />;
    case 'date':
      return (
        <div className="field fd-field">
          <label htmlFor="fd-default-date">{label}</label>
          <input id="fd-default-date" type="date" value={typeof v === 'string' ? v : ''} onChange={(e) => onChange(e.target.value || undefined)} />
        </div>
      );
    case 'checkbox':
      return <CheckInput label={t({ en: 'Checked by default', zh: '默认勾选' })} checked={v === true} onChange={(x) => onChange(x || undefined)} />;
    case 'select':
      return (
        <SelectInput label={label} value={typeof v === 'string' ? v : ''} onChange={(x) => onChange(x || undefined)}>
          <option value="">{t({ en: 'None', zh: '无' })}</option>
          {optionValues(field).map((o) => <option key={o} value={o}>{o}</option>)}
        </SelectInput>
      );
    default:
      return null;
  }
}
