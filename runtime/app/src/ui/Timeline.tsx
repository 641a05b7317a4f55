// A record's story, oldest first: who submitted it, who approved, rejected, returned or transferred
// it at which step with which comment, and who changed which fields.
import type { FormDefinition } from '@trellis/core';
import { useLang, useT, type Msg } from '../lib/i18n';
import { displayValue, formatTime } from './format';
import { personName, usePeople } from './people';
import type { Change, HistoryEntry, WorkflowStep } from './types';

const KINDS: Record<string, Msg> = {
  started: { en: 'Submitted', zh: '提交' },
  resubmitted: { en: 'Resubmitted', zh: '重新提交' },
  approved: { en: 'Approved', zh: '同意' },
  rejected: { en: 'Rejected', zh: '拒绝' },
  returned: { en: 'Returned', zh: '退回' },
  transferred: { en: 'Transferred', zh: '转交' },
  comment: { en: 'Commented', zh: '评论' },
  withdrawn: { en: 'Withdrawn', zh: '撤回' },
  completed: { en: 'Completed', zh: '流程结束' },
  cc: { en: 'Copied (CC)', zh: '抄送' },
  edited: { en: 'Edited at the step', zh: '审批时修改' },
  reminded: { en: 'Reminder sent', zh: '已催办' },
  'action.done': { en: 'Automatic action done', zh: '自动操作完成' },
  'action.failed': { en: 'Automatic action failed', zh: '自动操作失败' },
  error: { en: 'Error', zh: '出错' },
  retry: { en: 'Retried', zh: '重试' },
  'delay.done': { en: 'Waiting ended', zh: '等待结束' },
  escalated: { en: 'Escalated', zh: '已升级' },
};
// steps that only trace the engine's way through the graph
const QUIET = new Set(['entered', 'branch']);
const TONES: Record<string, string> = { approved: 'ok', completed: 'ok', rejected: 'bad', returned: 'warn', withdrawn: 'warn', error: 'bad', 'action.failed': 'bad' };

interface Item {
  key: string;
  at: string;
  by: string | null;
  what: string;
  tone: string;
  comment: string | null;
  changes: Change[];
}

export function Timeline({ def, history = [], steps }: { def: FormDefinition | null; history?: HistoryEntry[]; steps: WorkflowStep[] }) {
  const t = useT();
  const lang = useLang();
  const people = usePeople();
  const items: Item[] = [];
  // with a workflow, "Submitted" tells the creation
  const submitted = steps.some((s) => s.kind === 'started');
  for (const h of history) {
    if (h.action === 'create' && submitted) continue;
    // status changes are the workflow's, told by its own steps
    const changes = h.changes.filter((c) => c.field !== 'status');
    if (h.action === 'update' && changes.length === 0) continue;
    const what = h.action === 'create' ? t({ en: 'Created', zh: '创建' }) : h.action === 'update' ? t({ en: 'Changed', zh: '修改' }) : t({ en: 'Deleted', zh: '删除' });
    items.push({ key: `h${h.id}`, at: h.at, by: h.by, what, tone: '', comment: null, changes: h.action === 'update' ? changes : [] });
  }
  for (const s of steps) {
    if (QUIET.has(s.kind)) continue;
    // a rejection is logged by the task and again as the end of the workflow
    if (s.kind === 'rejected' && !s.taskId) continue;
    const kind = KINDS[s.kind] ? t(KINDS[s.kind]) : s.kind;
    const step = s.nodeName ? t(s.nodeName) : '';
    items.push({ key: `w${s.id}`, at: s.at, by: s.by, what: step ? `${kind} · ${step}` : kind, tone: TONES[s.kind] ?? '', comment: s.comment, changes: s.changes });
  }
  items.sort((a, b) => a.at.localeCompare(b.at));
  const label = (key: string) => {
    const f = def?.fields.find((x) => x.key === key);
    return f ? t(f.label) : key;
  };
  const value = (key: string, v: unknown) => displayValue(def?.fields.find((x) => x.key === key), v, lang, people) || '—';
  if (items.length === 0) return <p className="muted">{t({ en: 'Nothing has happened yet.', zh: '暂无动态。' })}</p>;
  return (
    <ol className="timeline" aria-label={t({ en: 'Timeline', zh: '动态' })}>
      {items.map((it) => (
        <li key={it.key} className={`tl-item ${it.tone ? `tl-${it.tone}` : ''}`}>
          <div className="tl-head">
            <strong className="tl-what">{it.what}</strong>
            <time className="muted small" dateTime={it.at}>{formatTime(it.at, lang)}</time>
          </div>
          <div className="muted small">{it.by ? personName(people, it.by) : t({ en: 'System', zh: '系统' })}</div>
          {it.comment && <blockquote className="tl-comment">{it.comment}</blockquote>}
          {it.changes.length > 0 && (
            <ul className="tl-changes small">
              {it.changes.map((c) => (
                <li key={c.field}>
                  {label(c.field)}: {value(c.field, c.from)} → {value(c.field, c.to)}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
