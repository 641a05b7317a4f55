// Select mode of the record list: the count, "Select all loaded", and the actions on the
// selected records: "Edit selected" (one field, one value) and "Delete selected" (confirmed).
import { useState, type FormEvent } from 'react';
import type { Field, FormDefinition } from '@trellis/core';
import { post } from '../../lib/api';
import { useLang, useT } from '../../lib/i18n';
import { errorText } from '../../ui/common';
import type { RecordItem } from '../../ui/types';
import { bulkValue, failureReason, type BulkDeleteReply, type BulkFailure, type BulkUpdateReply } from './bulk';
import { BulkValueInput } from './BulkValueInput';
import { recordTitle } from './RecordRow';

export interface BulkOutcome {
  action: 'update' | 'delete';
  done: number;
  failed: { id: string; title: string; reason: string }[];
}

interface Props {
  formId: string;
  def: FormDefinition;
  fields: Field[];
  canDelete: boolean;
  selected: RecordItem[];
  loaded: number;
  onSelectAll(): void;
  onClear(): void;
  onDone(outcome: BulkOutcome): void;
}

export function BulkBar({ formId, def, fields, canDelete, selected, loaded, onSelectAll, onClear, onDone }: Props) {
  const t = useT();
  const lang = useLang();
  const [mode, setMode] = useState<'edit' | 'delete' | null>(null);
  const [fieldKey, setFieldKey] = useState(fields[0]?.key ?? '');
  const [text, setText] = useState('');
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = fields.find((f) => f.key === fieldKey);
  const n = selected.length;
  const untitled = t({ en: 'Record', zh: '记录' });
  const labelOf = (key: string) => {
    const f = def.fields.find((x) => x.key === key);
    return f ? t(f.label) : key;
  };

  function outcome(action: BulkOutcome['action'], done: number, failed: BulkFailure[]): BulkOutcome {
    const byId = new Map(selected.map((r) => [r.id, r]));
    return {
      action, done,
      failed: failed.map((f) => {
        const r = byId.get(f.id);
        return { id: f.id, title: r ? recordTitle(def, r, untitled) : f.id, reason: failureReason(f, t, labelOf) };
      }),
    };
  }

  async function run(work: () => Promise<BulkOutcome>) {
    setBusy(true);
    setError(null);
    try {
      const result = await work();
      setMode(null);
      onDone(result);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  }

  function submitEdit(e: FormEvent) {
    e.preventDefault();
    if (!field) return;
    let value: unknown;
    try {
      value = bulkValue(field, text, checked);
    } catch {
      setError(t({ en: 'Enter a number.', zh: '请输入数字。' }));
      return;
    }
    void run(async () => {
      const r = await post<BulkUpdateReply>(`/api/forms/${formId}/records/bulk-update`, { ids: selected.map((x) => x.id), data: { [field.key]: value } });
      return outcome('update', r.updated.length, r.failed);
    });
  }

  function confirmDelete() {
    void run(async () => {
      const r = await post<BulkDeleteReply>(`/api/forms/${formId}/records/bulk-delete`, { ids: selected.map((x) => x.id) });
      return outcome('delete', r.deleted.length, r.failed);
    });
  }

  return (
    <div className="panel stack bulk-bar" role="group" aria-label={t({ en: 'Selected records', zh: '已选记录' })}>
      <div className="row bulk-row">
        <span role="status" className="bulk-count">{t({ en: '{n} selected', zh: '已选 {n} 条' }, { n })}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-sm" onClick={onSelectAll} disabled={loaded === 0}>{t({ en: 'Select all loaded', zh: '全选已加载' })}</button>
        {n > 0 && <button type="button" className="btn btn-sm" onClick={onClear}>{t({ en: 'Clear selection', zh: '清除选择' })}</button>}
      </div>
      <div className="row bulk-row">
        {fields.length > 0 && (
          <button type="button" className="btn" aria-expanded={mode === 'edit'} disabled={n === 0 || busy} onClick={() => { setMode(mode === 'edit' ? null : 'edit'); setError(null); }}>
            {t({ en: 'Edit selected', zh: '编辑所选' })}
          </button>
        )}
        {canDelete && (
          <button type="button" className="btn btn-danger" disabled={n === 0 || busy} onClick={() => { setMode('delete'); setError(null); }}>
            {t({ en: 'Delete selected', zh: '删除所选' })}
          </button>
        )}
      </div>
      {mode === 'edit' && field && (
        <form className="stack" onSubmit={submitEdit} aria-label={t({ en: 'Edit selected', zh: '编辑所选' })}>
          <div className="field">
            <label htmlFor="bulk-field">{t({ en: 'Field to change', zh: '要修改的字段' })}</label>
            <select id="bulk-field" value={fieldKey} onChange={(e) => { setFieldKey(e.target.value); setText(''); setChecked(false); setError(null); }}>
              {fields.map((f) => <option key={f.key} value={f.key}>{t(f.label)}</option>)}
            </select>
          </div>
          <BulkValueInput field={field} text={text} checked={checked} lang={lang} onText={(v) => { setText(v); setError(null); }} onChecked={setChecked} />
          <p className="muted small">{t({ en: 'Types that cannot be set here: sub-tables, files, images, signatures, people, departments, links, addresses and the like.', zh: '此处不能设置的类型：子表、附件、图片、签名、成员、部门、关联、地址等。' })}</p>
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t({ en: 'Saving…', zh: '保存中…' }) : t({ en: 'Apply to {n} records', zh: '应用到 {n} 条记录' }, { n })}
            </button>
            <button type="button" className="btn btn-link" onClick={() => setMode(null)}>{t({ en: 'Cancel', zh: '取消' })}</button>
          </div>
        </form>
      )}
      {mode === 'delete' && (
        <div className="alert stack" role="alertdialog" aria-label={t({ en: 'Confirm delete', zh: '确认删除' })}>
          <p>{t(n === 1 ? { en: 'Delete 1 record? This cannot be undone.', zh: '删除 1 条记录？此操作无法撤销。' } : { en: 'Delete {n} records? This cannot be undone.', zh: '删除 {n} 条记录？此操作无法撤销。' }, { n })}</p>
          <div className="row">
            <button type="button" className="btn btn-danger" disabled={busy} onClick={confirmDelete}>{t({ en: 'Delete', zh: '删除' })}</button>
            <button type="button" className="btn" onClick={() => setMode(null)}>{t({ en: 'Cancel', zh: '取消' })}</button>
          </div>
        </div>
      )}
      {error && <div className="alert" role="alert">{error}</div>}
    </div>
  );
}

export function BulkSummary({ outcome, onClose }: { outcome: BulkOutcome; onClose(): void }) {
  const t = useT();
  const { done, failed } = outcome;
  const head = outcome.action === 'update'
    ? t({ en: '{n} updated', zh: '已更新 {n} 条' }, { n: done })
    : t({ en: '{n} deleted', zh: '已删除 {n} 条' }, { n: done });
  return (
    <div className={`alert ${failed.length ? '' : 'alert-success'} stack`} role="status" aria-label={t({ en: 'Result', zh: '结果' })}>
      <div className="row bulk-summary-head">
        <strong>
          {head}
          {failed.length > 0 && `, ${t({ en: '{n} could not be changed', zh: '{n} 条无法修改' }, { n: failed.length })}`}
        </strong>
        <button type="button" className="btn btn-sm" onClick={onClose}>{t({ en: 'Dismiss', zh: '关闭' })}</button>
      </div>
      {failed.length > 0 && (
        <ul className="bulk-failures">
          {failed.map((f) => <li key={f.id}><strong>{f.title}</strong>: {f.reason}</li>)}
        </ul>
      )}
    </div>
  );
}
