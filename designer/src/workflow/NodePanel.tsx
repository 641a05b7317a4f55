// The property panel of the selected node: its name and the settings of its type.
import { useId } from 'react';
import type { Assignee, Duration, WorkflowEdge, WorkflowNode } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { labelParts, partsToLabel } from '../org/org-data';
import { ActionEditor } from './ActionEditor';
import { AssigneePicker } from './AssigneePicker';
import { logicSummary } from './FlowEdge';
import { kindOf } from './model';
import { useDirectory } from './org-context';

type Approval = Extract<WorkflowNode, { type: 'approval' }>;
type Perm = 'editable' | 'readOnly' | 'hidden';

const UNITS: { unit: Duration['unit']; label: { en: string; zh: string } }[] = [
  { unit: 'minutes', label: { en: 'minutes', zh: '分钟' } },
  { unit: 'hours', label: { en: 'hours', zh: '小时' } },
  { unit: 'days', label: { en: 'days', zh: '天' } },
];

export interface NodePanelProps {
  node: WorkflowNode;
  outgoing: WorkflowEdge[];
  targets: WorkflowNode[];
  onChange(next: WorkflowNode): void;
  onDelete(): void;
  onConnect(to: string): void;
  onSelectEdge(from: string, to: string): void;
}

export function NodePanel({ node, outgoing, targets, onChange, onDelete, onConnect, onSelectEdge }: NodePanelProps) {
  const t = useT();
  const id = useId();
  const dir = useDirectory();
  const name = labelParts(node.name);
  const setName = (part: 'en' | 'zh', text: string) => {
    const label = partsToLabel({ ...name, [part]: text });
    const { name: _old, ...rest } = node;
    onChange((label === '' ? rest : { ...rest, name: label }) as WorkflowNode);
  };
  const fieldName = (key: string) => {
    const f = dir.fields.find((x) => x.key === key);
    return f ? t(f.label) : key;
  };
  const free = targets.filter((n) => n.id !== node.id && n.type !== 'start' && !outgoing.some((e) => e.to === n.id));

  return (
    <section className="stack" aria-label={t({ en: 'Node properties', zh: '节点属性' })}>
      <div className="row">
        <h2 style={{ margin: 0 }}>{t(kindOf(node.type).label)}</h2>
        <span className="muted">{node.id}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-danger" onClick={onDelete}>{t({ en: 'Delete node', zh: '删除节点' })}</button>
      </div>
      <div className="row">
        <div className="field grow">
          <label htmlFor={`${id}-name`}>{t({ en: 'Name', zh: '名称' })}</label>
          <input id={`${id}-name`} value={name.en} onChange={(e) => setName('en', e.target.value)} />
        </div>
        <div className="field grow">
          <label htmlFor={`${id}-name-zh`}>{t({ en: 'Name in Chinese', zh: '中文名称' })}</label>
          <input id={`${id}-name-zh`} lang="zh" value={name.zh} onChange={(e) => setName('zh', e.target.value)} />
        </div>
      </div>

      {node.type === 'approval' && <ApprovalSettings node={node} onChange={onChange} />}
      {node.type === 'cc' && <AssigneePicker label={t({ en: 'Send a copy to', zh: '抄送给' })} value={node.assignees} onChange={(assignees) => onChange({ ...node, assignees })} />}
      {node.type === 'action' && <ActionEditor action={node.action} onChange={(action) => onChange({ ...node, action })} />}
      {node.type === 'delay' && <DelaySettings node={node} onChange={onChange} />}
      {node.type === 'end' && (
        <div className="field">
          <label htmlFor={`${id}-status`}>{t({ en: 'Record status at this end', zh: '结束时的记录状态' })}</label>
          <input
            id={`${id}-status`} value={node.status ?? ''} placeholder="approved" pattern="[a-z][a-z0-9_]{0,31}"
            onChange={(e) => {
              const { status: _s, ...rest } = node;
              onChange(e.target.value ? { ...rest, status: e.target.value } : rest);
            }}
          />
          <div className="help">{t({ en: 'Lower-case letters, digits and _ (default “approved”).', zh: '小写字母、数字和 _（默认 “approved”）。' })}</div>
        </div>
      )}

      {node.type !== 'end' && (
        <fieldset className="wf-fieldset">
          <legend>{node.type === 'condition' ? t({ en: 'Branches (tried in order)', zh: '分支（按顺序判断）' }) : t({ en: 'Leads to', zh: '下一步' })}</legend>
          {outgoing.length === 0 && <p className="muted">{t({ en: 'Not connected yet.', zh: '尚未连接。' })}</p>}
          <ul className="list">
            {outgoing.map((e) => (
              <li key={e.to}>
                <button type="button" className="list-item" onClick={() => onSelectEdge(e.from, e.to)}>
                  → {e.to}
                  {node.type === 'condition' && (
                    <span className="muted"> · {e.default ? t({ en: 'Default', zh: '默认' }) : e.condition !== undefined ? logicSummary(e.condition, fieldName) : t({ en: 'no condition yet', zh: '尚无条件' })}</span>
                  )}
                </button>
              </li>
            ))}
          </ul>
          {free.length > 0 && (
            <div className="row">
              <label className="sr-only" htmlFor={`${id}-connect`}>{t({ en: 'Connect to', zh: '连接到' })}</label>
              <select id={`${id}-connect`} defaultValue="" onChange={(e) => { if (e.target.value) onConnect(e.target.value); e.target.value = ''; }}>
                <option value="">{t({ en: 'Connect to…', zh: '连接到…' })}</option>
                {free.map((n) => <option key={n.id} value={n.id}>{n.id}</option>)}
              </select>
            </div>
          )}
        </fieldset>
      )}
    </section>
  );
}

function ApprovalSettings({ node, onChange }: { node: Approval; onChange(next: WorkflowNode): void }) {
  const t = useT();
  const id = useId();
  const dir = useDirectory();
  const modes: { mode: Approval['mode']; label: { en: string; zh: string } }[] = [
    { mode: 'any', label: { en: 'Any one approves', zh: '或签（一人同意即可）' } },
    { mode: 'all', label: { en: 'All must approve', zh: '会签（需全部同意）' } },
    { mode: 'sequential', label: { en: 'One after another', zh: '依次审批' } },
  ];
  const perms = node.fields ?? {};
  const setPerm = (key: string, p: Perm) => {
    const next = { ...perms };
    if (p === 'readOnly') delete next[key];
    else next[key] = p;
    const { fields: _f, ...rest } = node;
    onChange(Object.keys(next).length ? { ...rest, fields: next } : rest);
  };
  const timeout = node.timeout;
  const setLimit = (next: Approval['timeout'] | undefined) => {
    const { timeout: _t, ...rest } = node;
    onChange(next ? { ...rest, timeout: next } : rest);
  };
  return (
    <>
      <AssigneePicker label={t({ en: 'Approvers', zh: '审批人' })} value={node.assignees} onChange={(assignees) => onChange({ ...node, assignees })} />
      <fieldset className="wf-fieldset">
        <legend>{t({ en: 'Approval mode', zh: '审批方式' })}</legend>
        {modes.map((m) => (
          <label key={m.mode} className="wf-radio">
            <input type="radio" name={`${id}-mode`} checked={node.mode === m.mode} onChange={() => onChange({ ...node, mode: m.mode })} />
            {t(m.label)}
          </label>
        ))}
      </fieldset>
      <fieldset className="wf-fieldset">
        <legend>{t({ en: 'Field permissions at this step', zh: '本节点的字段权限' })}</legend>
        <table className="grid">
          <tbody>
            {dir.fields.map((f) => (
              <tr key={f.key}>
                <th scope="row">{t(f.label)}</th>
                <td>
                  <select aria-label={t({ en: '{f} at this step', zh: '{f}（本节点）' }, { f: t(f.label) })} value={perms[f.key] ?? 'readOnly'} onChange={(e) => setPerm(f.key, e.target.value as Perm)}>
                    <option value="readOnly">{t({ en: 'Visible', zh: '可见' })}</option>
                    <option value="editable">{t({ en: 'Editable', zh: '可编辑' })}</option>
                    <option value="hidden">{t({ en: 'Hidden', zh: '隐藏' })}</option>
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <fieldset className="wf-fieldset">
        <legend>{t({ en: 'Time limit', zh: '审批时限' })}</legend>
        <label className="wf-radio">
          <input type="checkbox" checked={!!timeout} onChange={(e) => setLimit(e.target.checked ? { after: { amount: 1, unit: 'days' }, action: 'remind' } : undefined)} />
          {t({ en: 'Act when the task is not done in time', zh: '超时未处理时执行操作' })}
        </label>
        {timeout && (
          <>
            <DurationInput label={t({ en: 'After', zh: '超时时长' })} value={timeout.after} onChange={(after) => setLimit({ ...timeout, after })} />
            <div className="field">
              <label htmlFor={`${id}-tact`}>{t({ en: 'Then', zh: '然后' })}</label>
              <select id={`${id}-tact`} value={timeout.action} onChange={(e) => {
                const action = e.target.value as NonNullable<Approval['timeout']>['action'];
                const { escalateTo: _e, ...rest } = timeout;
                setLimit(action === 'escalate' ? { ...rest, action, escalateTo: timeout.escalateTo ?? [] } : { ...rest, action });
              }}>
                <option value="remind">{t({ en: 'Remind the approvers', zh: '提醒审批人' })}</option>
                <option value="approve">{t({ en: 'Approve automatically', zh: '自动同意' })}</option>
                <option value="reject">{t({ en: 'Reject automatically', zh: '自动拒绝' })}</option>
                <option value="escalate">{t({ en: 'Escalate to someone else', zh: '转交他人' })}</option>
              </select>
            </div>
            {timeout.action === 'escalate' && (
              <AssigneePicker label={t({ en: 'Escalate to', zh: '转交给' })} value={timeout.escalateTo ?? []} onChange={(escalateTo: Assignee[]) => setLimit({ ...timeout, escalateTo })} />
            )}
          </>
        )}
      </fieldset>
    </>
  );
}

function DurationInput({ label, value, onChange }: { label: string; value: Duration; onChange(next: Duration): void }) {
  const t = useT();
  const id = useId();
  return (
    <div className="row">
      <div className="field">
        <label htmlFor={`${id}-n`}>{label}</label>
        <input id={`${id}-n`} type="number" min={1} max={100000} value={value.amount} onChange={(e) => onChange({ ...value, amount: Math.min(100000, Math.max(1, Math.round(Number(e.target.value) || 1))) })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-u`}>{t({ en: 'Unit', zh: '单位' })}</label>
        <select id={`${id}-u`} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as Duration['unit'] })}>
          {UNITS.map((u) => <option key={u.unit} value={u.unit}>{t(u.label)}</option>)}
        </select>
      </div>
    </div>
  );
}

function DelaySettings({ node, onChange }: { node: Extract<WorkflowNode, { type: 'delay' }>; onChange(next: WorkflowNode): void }) {
  const t = useT();
  const id = useId();
  const dir = useDirectory();
  const dates = dir.fields.filter((f) => f.type === 'date' || f.type === 'datetime');
  const byDate = node.until !== undefined;
  return (
    <fieldset className="wf-fieldset">
      <legend>{t({ en: 'Wait', zh: '等待' })}</legend>
      <label className="wf-radio">
        <input type="radio" name={`${id}-how`} checked={!byDate} onChange={() => onChange({ id: node.id, type: 'delay', ...(node.name ? { name: node.name } : {}), duration: { amount: 1, unit: 'days' } })} />
        {t({ en: 'For a time', zh: '等待一段时间' })}
      </label>
      <label className="wf-radio">
        <input type="radio" name={`${id}-how`} checked={byDate} disabled={!dates.length} onChange={() => onChange({ id: node.id, type: 'delay', ...(node.name ? { name: node.name } : {}), until: dates[0]!.key })} />
        {t({ en: 'Until a date in the record', zh: '直到记录中的日期' })}
      </label>
      {!byDate && node.duration && <DurationInput label={t({ en: 'How long', zh: '时长' })} value={node.duration} onChange={(duration) => onChange({ ...node, duration })} />}
      {byDate && (
        <div className="field">
          <label htmlFor={`${id}-until`}>{t({ en: 'Date field', zh: '日期字段' })}</label>
          <select id={`${id}-until`} value={node.until} onChange={(e) => onChange({ ...node, until: e.target.value })}>
            {dates.map((f) => <option key={f.key} value={f.key}>{t(f.label)}</option>)}
          </select>
        </div>
      )}
    </fieldset>
  );
}
