// The settings of an automatic action: create a record in a form, update records found by a
// filter, call a webhook, notify people, or fill company facts from the business registry. Target forms and fields are picked from lists; values come from
// fields of this record or fixed values (ValueSource), never typed JSON.
import { useEffect, useId, useState } from 'react';
import { actionForm, COMPANY_FACTS, type Action, type CompanyFact, type Field, type FormDefinition, type Label, type Logic, type Mapping } from '@trellis/core';
import { get } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import { loadApps } from '../org/org-data';
import { AssigneePicker } from './AssigneePicker';
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
  { type: 'notify', label: { en: 'Notify people', zh: '发送通知' } },
  { type: 'lookupCompany', label: { en: 'Fill company facts from the business registry', zh: '从工商信息补全企业信息' } },
  { type: 'assignInTurn', label: { en: 'Assign in turn (round-robin)', zh: '轮流分配' } },
];

const FACTS: Record<CompanyFact, { en: string; zh: string }> = {
  found: { en: 'Found in the registry', zh: '工商信息中存在' },
  name: { en: 'Registered name', zh: '企业名称' },
  creditCode: { en: 'Unified social credit code', zh: '统一社会信用代码' },
  legalRepresentative: { en: 'Legal representative', zh: '法定代表人' },
  registeredCapital: { en: 'Registered capital', zh: '注册资本' },
  foundedOn: { en: 'Founded on', zh: '成立日期' },
  status: { en: 'Registration status', zh: '登记状态' },
  address: { en: 'Registered address', zh: '注册地址' },
  businessScope: { en: 'Business scope', zh: '经营范围' },
  riskLevel: { en: 'Risk level (none/low/medium/high)', zh: '风险等级（none/low/medium/high）' },
  risks: { en: 'Risk flags', zh: '风险提示' },
};

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
    const form = actionForm(action) ?? '';
    if (type === 'webhook') onChange({ type, url: '' });
    else if (type === 'notify') onChange({ type, to: [], message: { en: '', zh: '' } });
    else if (type === 'lookupCompany') onChange({ type, query: null, set: {} });
    else if (type === 'assignInTurn') onChange({ type, field: '', among: [] });
    else if (type === 'createRecord') onChange({ type, form, values: {} });
    else onChange({ type, form, filter: { and: [] }, values: {} });
  };
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`${id}-type`}>{t({ en: 'Action', zh: '操作' })}</label>
        <select id={`${id}-type`} value={action.type} onChange={(e) => changeType(e.target.value as Action['type'])}>
          {ACTION_TYPES.map((a) => <option key={a.type} value={a.type}>{t(a.label)}</option>)}
        </select>
      </div>
      {action.type === 'webhook' ? <WebhookEditor action={action} onChange={onChange} />
        : action.type === 'notify' ? <NotifyEditor action={action} onChange={onChange} />
        : action.type === 'lookupCompany' ? <LookupEditor action={action} onChange={onChange} />
        : action.type === 'assignInTurn' ? <TurnEditor action={action} onChange={onChange} />
        : <RecordActionEditor action={action} onChange={onChange} />}
    </div>
  );
}

function NotifyEditor({ action, onChange }: { action: Extract<Action, { type: 'notify' }>; onChange(next: Action): void }) {
  const t = useT();
  const id = useId();
  const message = typeof action.message === 'string' ? { en: action.message } : action.message;
  const setText = (lang: 'en' | 'zh', text: string) => onChange({ ...action, message: { ...message, [lang]: text } });
  return (
    <>
      <AssigneePicker label={t({ en: 'Notify', zh: '通知谁' })} value={action.to} onChange={(to) => onChange({ ...action, to })} />
      <div className="field">
        <label htmlFor={`${id}-en`}>{t({ en: 'Message (English)', zh: '通知内容（英文）' })}</label>
        <textarea id={`${id}-en`} rows={2} value={message.en ?? ''} onChange={(e) => setText('en', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-zh`}>{t({ en: 'Message (Chinese)', zh: '通知内容（中文）' })}</label>
        <textarea id={`${id}-zh`} rows={2} value={message.zh ?? ''} onChange={(e) => setText('zh', e.target.value)} />
        <div className="help">{t({ en: 'Write {key} to put in a field of the record, e.g. {customer}.', zh: '用 {key} 插入记录中的字段值，例如 {customer}。' })}</div>
      </div>
    </>
  );
}

function TurnEditor({ action, onChange }: { action: Extract<Action, { type: 'assignInTurn' }>; onChange(next: Action): void }) {
  const t = useT();
  const id = useId();
  const dir = useDirectory();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-field`}>{t({ en: 'Give the record to (member field)', zh: '分配到（成员字段）' })}</label>
        <select id={`${id}-field`} value={action.field} onChange={(e) => onChange({ ...action, field: e.target.value })}>
          <option value="">{t({ en: 'Choose a field…', zh: '选择字段…' })}</option>
          {dir.fields.filter((f) => f.type === 'member' && !f.multiple).map((f) => <option key={f.key} value={f.key}>{t(f.label)}</option>)}
        </select>
        <div className="help">{t({ en: 'Records that already name someone there keep them.', zh: '该字段已有人员的记录保持不变。' })}</div>
      </div>
      <AssigneePicker label={t({ en: 'Taking turns', zh: '轮流的人员' })} value={action.among} onChange={(among) => onChange({ ...action, among })} />
    </>
  );
}

function LookupEditor({ action, onChange }: { action: Extract<Action, { type: 'lookupCompany' }>; onChange(next: Action): void }) {
  const t = useT();
  const id = useId();
  const dir = useDirectory();
  const queryField = action.query !== null && typeof action.query === 'object' && 'var' in action.query ? String((action.query as { var: unknown }).var) : '';
  const writable = dir.fields.filter((f) => !['formula', 'lookup', 'serial', 'subtable'].includes(f.type));
  const setFact = (field: string, fact: CompanyFact | '') => {
    const { [field]: _drop, ...rest } = action.set;
    onChange({ ...action, set: fact ? { ...rest, [field]: fact } : rest });
  };
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-q`}>{t({ en: 'Look up the company named in', zh: '按此字段查询企业' })}</label>
        <select id={`${id}-q`} value={queryField} onChange={(e) => onChange({ ...action, query: e.target.value ? { var: e.target.value } : null })}>
          <option value="">{t({ en: 'Choose a field…', zh: '选择字段…' })}</option>
          {dir.fields.filter((f) => f.type === 'text').map((f) => <option key={f.key} value={f.key}>{t(f.label)}</option>)}
        </select>
        <div className="help">{t({ en: 'The company name or its unified social credit code.', zh: '企业名称或统一社会信用代码。' })}</div>
      </div>
      <fieldset className="stack">
        <legend>{t({ en: 'Write into the record', zh: '写入记录' })}</legend>
        {writable.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`${id}-f-${f.key}`}>{t(f.label)}</label>
            <select id={`${id}-f-${f.key}`} value={action.set[f.key] ?? ''} onChange={(e) => setFact(f.key, e.target.value as CompanyFact | '')}>
              <option value="">{t({ en: 'Not written', zh: '不写入' })}</option>
              {COMPANY_FACTS.map((fact) => <option key={fact} value={fact}>{t(FACTS[fact])}</option>)}
            </select>
          </div>
        ))}
      </fieldset>
    </>
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
      {action.type === 'createRecord' && <PerRowPicker action={action} onChange={onChange} />}
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
  // one record per row: a value reads the row's columns, or the record's fields under "record."
  const each = action.type === 'createRecord' && action.forEach ? dir.fields.find((f) => f.key === action.forEach && f.type === 'subtable') : undefined;
  const sources = each ? [...sourceFields(each.fields ?? [], t), ...sourceFields(dir.fields, t, 'record.')] : sourceFields(dir.fields, t);
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

/** "Create a record" once, or once per row of one of the form's sub-tables (e.g. a work order per plan line). */
function PerRowPicker({ action, onChange }: { action: Extract<Action, { type: 'createRecord' }>; onChange(next: Action): void }) {
  const t = useT();
  const dir = useDirectory();
  const id = useId();
  const tables = dir.fields.filter((f) => f.type === 'subtable');
  if (!tables.length && !action.forEach) return null;
  return (
    <div className="field">
      <label htmlFor={`${id}-each`}>{t({ en: 'How many records', zh: '新增几条数据' })}</label>
      <select
        id={`${id}-each`}
        value={action.forEach ?? ''}
        onChange={(e) => {
          const { forEach: _dropped, ...rest } = action;
          // the values read other things per row: they start again
          onChange(e.target.value ? { ...rest, forEach: e.target.value, values: {} } : { ...rest, values: {} });
        }}
      >
        <option value="">{t({ en: 'One record', zh: '一条数据' })}</option>
        {tables.map((f) => <option key={f.key} value={f.key}>{t({ en: 'One per row of {table}', zh: '{table}的每一行一条' }, { table: t(f.label) })}</option>)}
        {action.forEach && !tables.some((f) => f.key === action.forEach) && <option value={action.forEach}>{action.forEach}</option>}
      </select>
      {action.forEach && <div className="help">{t({ en: 'Each value can read the row’s columns, and the record’s fields under “Record”.', zh: '每个值可读取该行的列，以及“记录”下的本记录字段。' })}</div>}
    </div>
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
