// The dry run: fill a sample record, walk it through the drawn graph with core's dryRun (the
// engine's own step function), and highlight the path on the canvas.
import { useId, useState } from 'react';
import { dryRun, type DryRunResult, type Field, type FormDefinition, type RecordData, type WorkflowDefinition } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { ErrorBox } from '@trellis/app/ui/common';
import { useSession } from '@trellis/app/lib/session';
import { nameOf, useDirectory } from './org-context';

const SIMPLE = new Set(['text', 'textarea', 'phone', 'email', 'barcode', 'number', 'money', 'checkbox', 'select', 'multiselect', 'date', 'datetime', 'member', 'department']);

export interface DryRunPanelProps {
  def: WorkflowDefinition;
  form: FormDefinition;
  result: DryRunResult | null;
  onResult(r: DryRunResult | null): void;
}

export function DryRunPanel({ def, form, result, onResult }: DryRunPanelProps) {
  const t = useT();
  const dir = useDirectory();
  const session = useSession();
  const [sample, setSample] = useState<RecordData>({});
  const [error, setError] = useState<unknown>(null);
  const simple = form.fields.filter((f) => SIMPLE.has(f.type));
  const skipped = form.fields.filter((f) => !SIMPLE.has(f.type) && !['formula', 'lookup', 'serial'].includes(f.type));
  const set = (key: string, v: unknown) => {
    const next = { ...sample };
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) delete next[key];
    else next[key] = v;
    setSample(next);
  };
  const run = () => {
    setError(null);
    try {
      const submitter = session.status === 'signedIn' ? session.user.id : 'submitter';
      onResult(dryRun(def, form, sample, { submitter }));
    } catch (e) {
      onResult(null);
      setError(e);
    }
  };
  const names = (ids: string[]) => ids.map((x) => nameOf(dir, x)).join(', ');
  const nodeName = (id: string) => {
    const n = def.nodes.find((x) => x.id === id);
    return n?.name ? `${t(n.name)} (${id})` : id;
  };

  return (
    <section className="stack" aria-label={t({ en: 'Dry run', zh: '试运行' })}>
      <p className="muted">{t({ en: 'Fill a sample record and see the path it takes. Every task is approved; nothing is saved or sent.', zh: '填写一条示例记录，查看它经过的路径。所有任务视为同意；不会保存或发送任何内容。' })}</p>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); run(); }}>
        {simple.map((f) => <SampleInput key={f.key} field={f} value={sample[f.key]} onChange={(v) => set(f.key, v)} />)}
        {skipped.length > 0 && (
          <p className="muted wf-small">
            {t({ en: 'Not set in a dry run: {f}', zh: '试运行中不填写：{f}' }, { f: skipped.map((f) => t(f.label)).join(', ') })}
          </p>
        )}
        <div className="row">
          <button type="submit" className="btn btn-primary">{t({ en: 'Run', zh: '运行' })}</button>
          {result && <button type="button" className="btn" onClick={() => onResult(null)}>{t({ en: 'Clear path', zh: '清除路径' })}</button>}
        </div>
      </form>
      {error !== null && <ErrorBox error={error} />}
      {result && (
        <div className="stack" role="status" aria-label={t({ en: 'Dry run result', zh: '试运行结果' })}>
          {result.stopped ? (
            <p className="alert">{t({ en: 'Stopped at {n}: {m}', zh: '停在 {n}：{m}' }, { n: nodeName(result.stopped.node), m: result.stopped.message })}</p>
          ) : (
            <p className="alert alert-success">{t({ en: 'Reaches the end with status “{s}”.', zh: '到达结束，状态为“{s}”。' }, { s: result.outcome ?? '' })}</p>
          )}
          <ol className="wf-path">
            {result.path.map((id) => (
              <li key={id} data-path-node={id}>
                {nodeName(id)}
                {result.tasks[id] && <span className="muted"> — {t({ en: 'task for {u}', zh: '任务给 {u}' }, { u: names(result.tasks[id]) })}</span>}
                {result.cc[id] && <span className="muted"> — {t({ en: 'copy to {u}', zh: '抄送 {u}' }, { u: names(result.cc[id]) })}</span>}
              </li>
            ))}
          </ol>
          {result.sampleErrors.length > 0 && (
            <p className="muted wf-small">
              {t({ en: 'A real submission of this sample would be refused: {e}', zh: '真实提交此示例会被拒绝：{e}' }, { e: result.sampleErrors.map((e) => `${e.field} — ${t(e.message)}`).join('; ') })}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function SampleInput({ field, value, onChange }: { field: Field; value: unknown; onChange(v: unknown): void }) {
  const t = useT();
  const id = useId();
  const dir = useDirectory();
  const org = dir.org.status === 'ok' ? dir.org.value : null;
  const label = t(field.label);
  const options = (field.options ?? []).map((o) => (typeof o === 'string' ? { value: o, label: o } : { value: o.value, label: o.label ? t(o.label) : o.value }));
  let input: React.ReactNode;
  switch (field.type) {
    case 'number':
    case 'money':
      input = <input id={id} type="number" step="any" value={typeof value === 'number' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />;
      break;
    case 'checkbox':
      return (
        <label className="wf-radio" htmlFor={id}>
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          {label}
        </label>
      );
    case 'select':
      input = (
        <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="">—</option>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      );
      break;
    case 'multiselect':
      input = (
        <select id={id} multiple value={Array.isArray(value) ? (value as string[]) : []} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      );
      break;
    case 'date':
      input = <input id={id} type="date" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} />;
      break;
    case 'datetime':
      input = <input id={id} type="datetime-local" onChange={(e) => onChange(e.target.value ? new Date(e.target.value).toISOString() : undefined)} />;
      break;
    case 'member':
      input = (
        <select id={id} value={typeof value === 'string' ? value : Array.isArray(value) ? ((value[0] as string) ?? '') : ''} onChange={(e) => onChange(e.target.value ? (field.multiple ? [e.target.value] : e.target.value) : undefined)}>
          <option value="">—</option>
          {(org?.users ?? []).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
        </select>
      );
      break;
    case 'department':
      input = (
        <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="">—</option>
          {(org?.departments ?? []).map((d) => <option key={d.id} value={d.id}>{t(d.name)}</option>)}
        </select>
      );
      break;
    default:
      input = <input id={id} type="text" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {input}
    </div>
  );
}
