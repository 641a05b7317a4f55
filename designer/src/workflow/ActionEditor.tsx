// The settings of an automatic action: create a record in a form, update records found by a
// filter, or call a webhook. Target forms and fields are picked from lists; values come from
// fields of this record or fixed values (ValueSource), never typed JSON.
import { useEffect, useId, useState } from 'react';
import type { Action, Field, FormDefinition, Label, Logic, Mapping } from '@trellis/core';
import { get } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import { loadApps } from '../org/org-data';
import { useFormsCache } from './forms-cache';
import { formFields, useDirectory } from './org-context';
import { sourceFields, ValueSource } from './ValueSource';

interface FormItem {
  id: string;
  appId: string;
  draft: unknown;
  published?: { definition: unknown } | null;
}

const ACTION_TYPES: { type: Action['type']; label: { en: string; zh: string } }[] = [
  { type: 'createRecord', label: { en: 'Create a record', zh: '新增数据' } },
  { type: 'updateRecords', label: { en: 'Update records', zh: '修改数据' } },
  { type: 'webhook', label: { en: 'Call a webhook', zh: '调用 Webhook' } },
];

const FILTER_OPS = [
  { op: 'eq', label: '=' }, { op: 'ne', label: '≠' }, { op: 'gt', label: '>' }, { op: 'gte', label: '≥' },
  { op: 'lt', label: '<' }, { op: 'lte', label: '≤' }, { op: 'contains', label: 'contains' },
] as const;

interface Cond {
  field: string;
  op: string;
  value?: Logic;
}

export function ActionEditor({ action, onChange }: { action: Action; onChange(next: Action): void }) {
  const t = useT();
  const id = useId();
  const changeType = (type: Action['type']) => {
    if (type === action.type) return;
    if (type === 'webhook') onChange({ type, url: '' });
    else if (type === 'createRecord') onChange({ type, form: action.type === 'webhook' ? '' : action.form, values: {} });
    else onChange({ type, form: action.type === 'webhook' ? '' : action.form, filter: { and: [] }, values: {} });
  };
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`${id}-type`}>{t({ en: 'Action', zh: '操作' })}</label>
        <select id={`${id}-type`} value={action.type} onChange={(e) => changeType(e.target.value as Action['type'])}>
          {ACTION_TYPES.map((a) => <option key={a.type} value={a.type}>{t(a.label)}</option>)}
        </select>
      </div>
      {action.type === 'webhook' ? <WebhookEditor action={action} onChange={onChange} /> : <RecordActionEditor action={action} onChange={onChange} />}
    </div>
  );
}

function WebhookEditor({ action, onChange }: { action: Extract<Action, { type: 'webhook' }>; onChange(next: Action): void }) {
  const t = useT();
  const id = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-url`}>{t({ en: 'Webhook URL', zh: 'Webhook 地址' })}</label>
        <input id={`${id}-url`} type="url" value={action.url} placeholder="https://" onChange={(e) => onChange({ ...action, url: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-secret`}>{t({ en: 'Signing secret (optional)', zh: '签名密钥（可选）' })}</label>
        <input
          id={`${id}-secret`} type="text" value={action.secret ?? ''}
          onChange={(e) => {
            const { secret: _drop, ...rest } = action;
            onChange(e.target.value ? { ...rest, secret: e.target.value } : rest);
          }}
        />
        <div className="help">{t({ en: 'The body is the record; it is signed in the X-Trellis-Signature header.', zh: '请求体为该记录，签名放在 X-Trellis-Signature 头中。' })}</div>
      </div>
    </>
  );
}

function RecordActionEditor({ action, onChange }: { action: Extract<Action, { type: 'createRecord' | 'updateRecords' }>; onChange(next: Action): void }) {
  const t = useT();
  const id = useId();
  const dir = useDirectory();
  const cache = useFormsCache();
  const [appId, setAppId] = useState(dir.appId);
  const [apps] = useAsync((signal) => loadApps(signal), []);
  const [forms, reloadForms] = useAsync((signal) => get<{ items: FormItem[] }>(`/api/apps/${encodeURIComponent(appId)}/forms`, { signal }).then((r) => r.items), [appId]);
  useEffect(() => {
    if (forms.status === 'ok') cache.remember(forms.value.map((f) => [f.id, (f.published?.definition as FormDefinition | undefined) ?? null]));
  }, [forms]);
  const target = action.form ? cache.forms.get(action.form) : undefined;

  return (
    <>
      <div className="row">
        <div className="field grow">
          <label htmlFor={`${id}-app`}>{t({ en: 'App of the target form', zh: '目标表单所在应用' })}</label>
          <Async state={apps}>
            {(list) => (
              <select id={`${id}-app`} value={appId} onChange={(e) => setAppId(e.target.value)}>
                {list.map((a) => <option key={a.id} value={a.id}>{t(a.name)}</option>)}
              </select>
            )}
          </Async>
        </div>
        <div className="field grow">
          <label htmlFor={`${id}-form`}>{t({ en: 'Target form', zh: '目标表单' })}</label>
          <Async state={forms} onRetry={reloadForms}>
            {(list) => (
              <select id={`${id}-form`} value={action.form} onChange={(e) => onChange({ ...action, form: e.target.value, values: {} })}>
                <option value="">{t({ en: 'Choose a form', zh: '选择表单' })}</option>
                {!list.some((f) => f.id === action.form) && action.form && <option value={action.form}>{action.form}</option>}
                {list.map((f) => (
                  <option key={f.id} value={f.id} disabled={!f.published}>
                    {t((formFields(f)?.name ?? f.id) as Label)}
                    {!f.published ? t({ en: ' (not published)', zh: '（未发布）' }) : ''}
                  </option>
                ))}
              </select>
            )}
          </Async>
        </div>
      </div>
      {action.form && target === null && <p className="alert">{t({ en: 'The target form is missing or not published.', zh: '目标表单不存在或未发布。' })}</p>}
      {target && action.type === 'updateRecords' && <FilterEditor action={action} target={target} onChange={onChange} />}
      {target && <MappingEditor action={action} target={target} onChange={onChange} />}
    </>
  );
}

function FilterEditor({ action, target, onChange }: { action: Extract<Action, { type: 'updateRecords' }>; target: FormDefinition; onChange(next: Action): void }) {
  const t = useT();
  const dir = useDirectory();
  const filter = action.filter as { and?: Cond[] } | Cond;
  const conds: Cond[] | null = 'and' in filter && Array.isArray(filter.and) ? filter.and : null;
  if (!conds) return <p className="muted">{t({ en: 'The filter was written elsewhere and is kept as it is.', zh: '筛选条件来自其他来源，保持原样。' })}</p>;
  const set = (next: Cond[]) => onChange({ ...action, filter: { and: next } });
  const sources = sourceFields(dir.fields, t);
  return (
    <fieldset className="wf-fieldset">
      <legend>{t({ en: 'Which records to update', zh: '要修改哪些数据' })}</legend>
      {conds.length === 0 && <p className="muted">{t({ en: 'Every record (up to the limit).', zh: '所有数据（不超过上限）。' })}</p>}
      {conds.map((c, i) => {
        const label = t({ en: 'Condition {n}', zh: '条件 {n}' }, { n: i + 1 });
        return (
          <div key={i} className="row wf-map-row">
            <select aria-label={`${label}: ${t({ en: 'target field', zh: '目标字段' })}`} value={c.field} onChange={(e) => set(conds.map((x, j) => (j === i ? { ...x, field: e.target.value } : x)))}>
              {target.fields.map((f) => <option key={f.key} value={f.key}>{t(f.label)}</option>)}
            </select>
            <select aria-label={`${label}: ${t({ en: 'operator', zh: '运算符' })}`} value={c.op} onChange={(e) => set(conds.map((x, j) => (j === i ? { ...x, op: e.target.value } : x)))}>
              {FILTER_OPS.map((o) => <option key={o.op} value={o.op}>{o.label}</option>)}
            </select>
            <ValueSource label={`${label}: ${t({ en: 'value', zh: '值' })}`} value={c.value} sources={sources} withSubmitter onChange={(v) => set(conds.map((x, j) => (j === i ? (v === undefined ? { field: x.field, op: x.op } : { ...x, value: v }) : x)))} targetType={target.fields.find((f) => f.key === c.field)?.type} />
            <button type="button" className="btn btn-sm" onClick={() => set(conds.filter((_, j) => j !== i))}>{t({ en: 'Remove', zh: '删除' })}</button>
          </div>
        );
      })}
      <button type="button" className="btn btn-sm" disabled={!target.fields.length} onClick={() => set([...conds, { field: target.fields[0]!.key, op: 'eq', value: { var: 'id' } as Logic }])}>
        {t({ en: 'Add condition', zh: '添加条件' })}
      </button>
    </fieldset>
  );
}

function MappingEditor({ action, target, onChange }: { action: Extract<Action, { type: 'createRecord' | 'updateRecords' }>; target: FormDefinition; onChange(next: Action): void }) {
  const t = useT();
  const dir = useDirectory();
  const sources = sourceFields(dir.fields, t);
  const values = action.values as Record<string, Mapping>;
  const setValue = (key: string, v: Mapping | undefined) => {
    const next = { ...values };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange({ ...action, values: next } as Action);
  };
  const writable = target.fields.filter((f) => !['formula', 'lookup', 'serial'].includes(f.type));
  return (
    <fieldset className="wf-fieldset">
      <legend>{t({ en: 'Values to write', zh: '写入的值' })}</legend>
      {writable.map((f) =>
        f.type === 'subtable' && action.type === 'createRecord' ? (
          <RowsMapping key={f.key} field={f} value={values[f.key]} onChange={(v) => setValue(f.key, v)} />
        ) : (
          <div key={f.key} className="row wf-map-row">
            <span className="wf-map-target">{t(f.label)}</span>
            <ValueSource label={t(f.label)} value={values[f.key] as Logic | undefined} sources={sources} withSubmitter targetType={f.type} onChange={(v) => setValue(f.key, v)} />
          </div>
        ),
      )}
    </fieldset>
  );
}

/** A target sub-table filled with one row per row of a source sub-table. */
function RowsMapping({ field, value, onChange }: { field: Field; value: Mapping | undefined; onChange(v: Mapping | undefined): void }) {
  const t = useT();
  const dir = useDirectory();
  const id = useId();
  const rows = value && typeof value === 'object' && !Array.isArray(value) && 'rows' in value ? (value as { rows: string; values: Record<string, Logic> }) : null;
  const sourceTables = dir.fields.filter((f) => f.type === 'subtable');
  const from = sourceTables.find((s) => s.key === rows?.rows);
  const sources = [...sourceFields(from?.fields ?? [], t), ...sourceFields(dir.fields, t, 'record.')];
  return (
    <div className="wf-rows">
      <div className="field">
        <label htmlFor={`${id}-rows`}>{t({ en: '{f}: rows from', zh: '{f}：行来自' }, { f: t(field.label) })}</label>
        <select id={`${id}-rows`} value={rows?.rows ?? ''} onChange={(e) => onChange(e.target.value ? { rows: e.target.value, values: {} } : undefined)}>
          <option value="">{t({ en: '— no rows —', zh: '— 不写入 —' })}</option>
          {sourceTables.map((s) => <option key={s.key} value={s.key}>{t(s.label)}</option>)}
        </select>
      </div>
      {rows && (field.fields ?? []).map((c) => (
        <div key={c.key} className="row wf-map-row">
          <span className="wf-map-target">{t(field.label)} · {t(c.label)}</span>
          <ValueSource
            label={`${t(field.label)} · ${t(c.label)}`} value={rows.values[c.key]} sources={sources} targetType={c.type}
            onChange={(v) => {
              const next = { ...rows.values };
              if (v === undefined) delete next[c.key];
              else next[c.key] = v;
              onChange({ rows: rows.rows, values: next });
            }}
          />
        </div>
      ))}
    </div>
  );
}
