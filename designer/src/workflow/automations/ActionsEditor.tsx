// The actions of an automation, run in order: each either changes fields of the record the
// automation runs on, or is any action the workflow's action nodes take (ActionEditor).
import { useId } from 'react';
import type { Action, Field, Logic } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { ActionEditor } from '../ActionEditor';
import { useDirectory } from '../org-context';
import { sourceFields, ValueSource } from '../ValueSource';
import { isSelfUpdate, selfUpdate } from './model';

const MAX_ACTIONS = 20;

export function ActionsEditor({ actions, onChange }: { actions: Action[]; onChange(next: Action[]): void }) {
  const t = useT();
  const dir = useDirectory();
  const setAt = (i: number, next: Action) => onChange(actions.map((a, j) => (j === i ? next : a)));
  return (
    <fieldset className="wf-fieldset stack">
      <legend>{t({ en: 'Actions', zh: '执行操作' })}</legend>
      {actions.length === 0 && <p className="muted">{t({ en: 'No actions yet: add one.', zh: '还没有操作：请添加。' })}</p>}
      <ol className="au-actions">
        {actions.map((action, i) => (
          <li key={i}>
            <ActionItem
              n={i + 1} action={action} formId={dir.formId}
              onChange={(next) => setAt(i, next)}
              onRemove={() => onChange(actions.filter((_, j) => j !== i))}
            />
          </li>
        ))}
      </ol>
      <div className="row">
        <button type="button" className="btn btn-sm" disabled={actions.length >= MAX_ACTIONS} onClick={() => onChange([...actions, selfUpdate(dir.formId)])}>
          {t({ en: 'Add: change this record', zh: '添加：修改本条记录' })}
        </button>
        <button type="button" className="btn btn-sm" disabled={actions.length >= MAX_ACTIONS} onClick={() => onChange([...actions, { type: 'notify', to: [], message: { en: '', zh: '' } }])}>
          {t({ en: 'Add another action', zh: '添加其他操作' })}
        </button>
      </div>
    </fieldset>
  );
}

function ActionItem({ n, action, formId, onChange, onRemove }: { n: number; action: Action; formId: string; onChange(next: Action): void; onRemove(): void }) {
  const t = useT();
  const id = useId();
  const self = isSelfUpdate(action, formId);
  const title = t({ en: 'Action {n}', zh: '操作 {n}' }, { n });
  return (
    <section className="au-action stack" aria-label={title}>
      <div className="row">
        <strong>{title}</strong>
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-link" aria-label={t({ en: 'Remove action {n}', zh: '删除操作 {n}' }, { n })} onClick={onRemove}>
          {t({ en: 'Remove', zh: '删除' })}
        </button>
      </div>
      <div className="field">
        <label htmlFor={`${id}-on`}>{t({ en: 'Acts on', zh: '作用于' })}</label>
        <select
          id={`${id}-on`} value={self ? 'self' : 'other'}
          onChange={(e) => onChange(e.target.value === 'self' ? selfUpdate(formId) : { type: 'notify', to: [], message: { en: '', zh: '' } })}
        >
          <option value="self">{t({ en: 'This record: change its fields', zh: '本条记录：修改字段' })}</option>
          <option value="other">{t({ en: 'Other records, people or systems', zh: '其他记录、人员或系统' })}</option>
        </select>
      </div>
      {self ? <SelfUpdateEditor action={action} onChange={onChange} /> : <ActionEditor action={action} onChange={onChange} />}
    </section>
  );
}

/** The values written into the record the automation runs on. */
function SelfUpdateEditor({ action, onChange }: { action: Extract<Action, { type: 'updateRecords' }>; onChange(next: Action): void }) {
  const t = useT();
  const dir = useDirectory();
  const sources = sourceFields(dir.fields, t);
  const writable = dir.fields.filter((f) => !['formula', 'lookup', 'serial', 'subtable'].includes(f.type));
  const setValue = (key: string, v: Logic | undefined) => {
    const values = { ...action.values };
    if (v === undefined) delete values[key];
    else values[key] = v;
    onChange({ ...action, values });
  };
  return (
    <fieldset className="wf-fieldset">
      <legend>{t({ en: 'Set these fields of the record', zh: '将记录的字段设为' })}</legend>
      {writable.map((f) => (
        <div key={f.key} className="row wf-map-row">
          <span className="wf-map-target">{t(f.label)}</span>
          {f.type === 'checkbox' ? (
            <CheckboxValue field={f} value={action.values[f.key]} sources={sources} onChange={(v) => setValue(f.key, v)} />
          ) : (
            <ValueSource label={t(f.label)} value={action.values[f.key]} sources={sources} withSubmitter targetType={f.type} onChange={(v) => setValue(f.key, v)} />
          )}
        </div>
      ))}
    </fieldset>
  );
}

/** A checkbox set to ticked or unticked, or copied from another field (ValueSource would ask for "true" typed in). */
function CheckboxValue({ field, value, sources, onChange }: { field: Field; value: Logic | undefined; sources: ReturnType<typeof sourceFields>; onChange(v: Logic | undefined): void }) {
  const t = useT();
  const current = value === undefined ? 'none' : value === true ? 'true' : value === false ? 'false'
    : value !== null && typeof value === 'object' && 'var' in value && typeof (value as { var: unknown }).var === 'string' ? `var:${(value as { var: string }).var}` : 'expr';
  return (
    <div className="wf-value-source">
      <select
        aria-label={t(field.label)} value={current}
        onChange={(e) => {
          const c = e.target.value;
          if (c === 'none') onChange(undefined);
          else if (c === 'true' || c === 'false') onChange(c === 'true');
          else if (c.startsWith('var:')) onChange({ var: c.slice(4) } as Logic);
        }}
      >
        <option value="none">{t({ en: '— not set —', zh: '— 不设置 —' })}</option>
        <option value="true">{t({ en: 'Checked', zh: '勾选' })}</option>
        <option value="false">{t({ en: 'Not checked', zh: '不勾选' })}</option>
        {sources.map((s) => <option key={s.path} value={`var:${s.path}`}>{t({ en: 'Field: {f}', zh: '字段：{f}' }, { f: s.label })}</option>)}
        {current.startsWith('var:') && !sources.some((s) => `var:${s.path}` === current) && <option value={current}>{current.slice(4)}</option>}
        {current === 'expr' && <option value="expr">{t({ en: 'Expression (kept as written)', zh: '表达式（保持原样）' })}</option>}
      </select>
    </div>
  );
}
