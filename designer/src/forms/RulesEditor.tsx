// A field's rules in the property panel: "Show when", "Required when", "Read-only when" with the
// condition builder, a check of the value (a formula that must hold, and its message), and value
// linkage ("Fill from another form") with pickers.
import { rulePart, setRulePart, type Field, type Logic, type Rule } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { ConditionBuilder } from '../common/ConditionBuilder';
import { FieldPicker } from '../common/FieldPicker';
import { FormulaEditor } from './FormulaEditor';
import type { AppForm } from './model';
import { PanelSection, SelectInput, TextInput } from './inputs';

export interface RulesEditorProps {
  uid: string;
  field: Field;
  /** top-level fields of the form */
  fields: readonly Field[];
  rules: readonly Rule[];
  onChange(next: Rule[]): void;
  forms: readonly AppForm[];
  formId: string;
}

export function RulesEditor({ uid, field, fields, rules, onChange, forms, formId }: RulesEditorProps) {
  const t = useT();
  const others = fields.filter((f) => f.key !== field.key);
  const part = (p: 'visible' | 'required' | 'readOnly', label: string, hint: string) => (
    <ConditionBuilder
      key={`${uid}-${p}`}
      label={label}
      hint={hint}
      fields={others}
      value={rulePart(rules, field.key, p)}
      onChange={(v: Logic | undefined) => onChange(setRulePart(rules, field.key, p, v))}
    />
  );
  return (
    <PanelSection title={t({ en: 'Rules', zh: '规则' })}>
      {part('visible', t({ en: 'Show when', zh: '显示条件' }), t({ en: 'Without a condition the field is always shown.', zh: '无条件时始终显示。' }))}
      {part('required', t({ en: 'Required when', zh: '必填条件' }), t({ en: 'Required only while this holds.', zh: '条件成立时必填。' }))}
      {part('readOnly', t({ en: 'Read-only when', zh: '只读条件' }), t({ en: 'Cannot be changed while this holds.', zh: '条件成立时不可修改。' }))}
      <CheckEditor key={`${uid}-check`} field={field} fields={fields} rules={rules} onChange={onChange} />
      <FillEditor key={`${uid}-fill`} field={field} fields={others} rules={rules} onChange={onChange} forms={forms.filter((f) => f.id !== formId)} />
    </PanelSection>
  );
}

/** "Check the value": a formula over the record that must be true (e.g. {qty} <= {available}), and what the user is told when it is not. */
function CheckEditor({ field, fields, rules, onChange }: { field: Field; fields: readonly Field[]; rules: readonly Rule[]; onChange(next: Rule[]): void }) {
  const t = useT();
  const check = rulePart(rules, field.key, 'check');
  const holder = [...rules].reverse().find((r) => r.field === field.key && r.check !== undefined);
  const message = holder?.message;
  const text = (lang: 'en' | 'zh') => (typeof message === 'string' ? message : (message?.[lang] ?? ''));
  const setMessage = (lang: 'en' | 'zh', v: string) => {
    const next = { en: text('en'), zh: text('zh'), [lang]: v };
    const label = Object.fromEntries(Object.entries(next).filter(([, x]) => x !== ''));
    onChange(rules.map((r) => {
      if (r !== holder) return r;
      const { message: _old, ...rest } = r;
      return Object.keys(label).length ? { ...rest, message: label } : rest;
    }));
  };
  return (
    <div role="group" aria-label={t({ en: 'Check the value', zh: '校验' })} className="cb">
      <div className="cb-head">
        <span className="cb-title">{t({ en: 'Check the value', zh: '校验' })}</span>
        <span className="muted cb-hint">{t({ en: 'The value is accepted only while this formula is true, e.g. {qty} <= {available}. Empty values are not checked.', zh: '仅当公式为真时接受该值，例如 {qty} <= {available}。空值不校验。' })}</span>
      </div>
      <FormulaEditor
        value={check}
        onChange={(v: Logic | undefined) => onChange(setRulePart(rules, field.key, 'check', v))}
        fields={fields}
        label={{ group: t({ en: 'Check formula', zh: '校验公式' }), input: t({ en: 'Must be true', zh: '须为真' }) }}
      />
      {check !== undefined && (
        <div className="row">
          <TextInput label={t({ en: 'Message when it fails (English)', zh: '不通过时的提示（英文）' })} value={text('en')} onChange={(v) => setMessage('en', v)} />
          <TextInput label={t({ en: 'Message when it fails (Chinese)', zh: '不通过时的提示（中文）' })} value={text('zh')} onChange={(v) => setMessage('zh', v)} />
        </div>
      )}
    </div>
  );
}

function FillEditor({ field, fields, rules, onChange, forms }: { field: Field; fields: readonly Field[]; rules: readonly Rule[]; onChange(next: Rule[]): void; forms: readonly AppForm[] }) {
  const t = useT();
  const fill = [...rules].reverse().find((r) => r.field === field.key && r.fill)?.fill;
  const set = (next: Rule['fill'] | undefined) => onChange(setRulePart(rules, field.key, 'fill', next));
  const source = forms.find((f) => f.id === fill?.form);
  const sourceFields = source?.definition.fields.filter((f) => f.type !== 'subtable') ?? [];
  const matches = Object.entries(fill?.match ?? {});
  return (
    <div role="group" aria-label={t({ en: 'Fill from another form', zh: '数据联动' })} className="cb">
      <div className="cb-head">
        <span className="cb-title">{t({ en: 'Fill from another form', zh: '数据联动' })}</span>
        <span className="muted cb-hint">{t({ en: 'Find a record in another form whose fields match this record, and copy one of its fields here.', zh: '在另一个表单中查找字段匹配的记录，把它的某个字段填到这里。' })}</span>
      </div>
      {forms.length === 0 ? (
        <p className="muted">{t({ en: 'The app has no other form to fill from.', zh: '此应用没有可用于联动的其他表单。' })}</p>
      ) : (
        <>
          <SelectInput
            label={t({ en: 'Source form', zh: '来源表单' })}
            value={fill?.form ?? ''}
            onChange={(id) => (id ? set({ form: id, match: {}, take: '' }) : set(undefined))}
          >
            <option value="">{t({ en: 'No value linkage', zh: '不联动' })}</option>
            {forms.map((f) => <option key={f.id} value={f.id}>{t(f.name)}{f.published ? '' : ` (${t({ en: 'not published', zh: '未发布' })})`}</option>)}
          </SelectInput>
          {fill && source && (
            <>
              {matches.map(([srcKey, logic], i) => {
                const thisKey = logic !== null && typeof logic === 'object' && 'var' in logic && typeof (logic as { var: unknown }).var === 'string' ? (logic as { var: string }).var : '';
                const setMatch = (k: string, v: string) => {
                  const entries = matches.map(([a, b], j) => (j === i ? [k, v ? { var: v } : b] : [a, b]) as [string, Logic]);
                  set({ ...fill, match: Object.fromEntries(entries.filter(([a]) => a !== '')) });
                };
                return (
                  <div key={i} className="fd-match">
                    <FieldPicker label={t({ en: 'Where source field', zh: '当来源字段' })} fields={sourceFields} value={srcKey} onChange={(k) => setMatch(k, thisKey)} />
                    <FieldPicker label={t({ en: 'equals this form\'s field', zh: '等于本表单字段' })} fields={fields} value={thisKey} empty="—" onChange={(v) => setMatch(srcKey, v)} />
                    <button type="button" className="btn btn-sm btn-link" onClick={() => set({ ...fill, match: Object.fromEntries(matches.filter((_, j) => j !== i)) })}>
                      {t({ en: 'Remove match', zh: '删除匹配' })}
                    </button>
                  </div>
                );
              })}
              <button
                type="button"
                className="btn btn-sm"
                disabled={sourceFields.length === 0 || fields.length === 0}
                onClick={() => {
                  const free = sourceFields.find((f) => !(f.key in fill.match));
                  if (free) set({ ...fill, match: { ...fill.match, [free.key]: { var: fields[0]!.key } } });
                }}
              >
                {t({ en: 'Add match', zh: '添加匹配条件' })}
              </button>
              <FieldPicker label={t({ en: 'Take field', zh: '取值字段' })} fields={sourceFields} value={fill.take} empty="—" onChange={(k) => set({ ...fill, take: k })} />
              {(matches.length === 0 || !fill.take) && (
                <p className="error-text">{t({ en: 'Choose at least one match and the field to take.', zh: '请至少选择一个匹配条件和取值字段。' })}</p>
              )}
            </>
          )}
          {fill && !source && <p className="error-text">{t({ en: 'The source form "{id}" is not in this app.', zh: '来源表单“{id}”不在此应用中。' }, { id: fill.form })}</p>}
        </>
      )}
    </div>
  );
}
