// My tasks in three tabs: open (to do), done (what I decided or passed on) and copied to me.
import { get } from '../lib/api';
import { useLang, useT, type Msg } from '../lib/i18n';
import { href, linkHandler, navigate, queryParam, useLocation } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { useState } from 'react';
import { Async } from '../ui/common';
import { takeFlash } from '../ui/flash';
import { useFormNames } from '../ui/form-names';
import { formatTime } from '../ui/format';
import { usePeople } from '../ui/people';
import type { NotificationItem, TaskItem } from '../ui/types';
import { TaskRow } from './tasks/TaskRow';

type Tab = 'open' | 'done' | 'cc';
const TABS: [Tab, Msg][] = [
  ['open', { en: 'Open', zh: '待处理' }],
  ['done', { en: 'Done', zh: '已处理' }],
  ['cc', { en: "CC'd", zh: '抄送我的' }],
];
const DONE_STATUSES = ['approved', 'rejected', 'returned', 'transferred'] as const;

async function loadTasks(tab: Tab, signal: AbortSignal): Promise<TaskItem[] | NotificationItem[]> {
  if (tab === 'open') return (await get<{ items: TaskItem[] }>('/api/tasks?status=open', { signal })).items;
  if (tab === 'cc') return (await get<{ items: NotificationItem[] }>('/api/notifications', { signal })).items.filter((n) => n.kind === 'cc');
  const lists = await Promise.all(DONE_STATUSES.map((s) => get<{ items: TaskItem[] }>(`/api/tasks?status=${s}`, { signal })));
  return lists.flatMap((l) => l.items).sort((a, b) => (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt));
}

function CcList({ items }: { items: NotificationItem[] }) {
  const t = useT();
  const lang = useLang();
  const names = useFormNames(items.map((n) => n.formId));
  if (items.length === 0) return <p className="muted empty">{t({ en: 'Nothing was copied to you.', zh: '暂无抄送。' })}</p>;
  return (
    <ul className="list card">
      {items.map((n) => {
        const to = `/records/${n.formId}/${n.recordId}`;
        const form = names.get(n.formId);
        return (
          <li key={n.id}>
            <a href={href(to)} onClick={linkHandler(to)} className="record-row">
              <span className="record-main">
                <span className="record-title">{form ? t(form) : t({ en: 'A record', zh: '一条记录' })}</span>
                <span className="muted small">{t({ en: 'Copied to you', zh: '抄送给你' })}</span>
              </span>
              <time className="muted small" dateTime={n.createdAt}>{formatTime(n.createdAt, lang)}</time>
            </a>
          </li>
        );
      })}
    </ul>
  );
}

export default function TasksPage() {
  const t = useT();
  const path = useLocation();
  const people = usePeople();
  const q = queryParam(path, 'tab');
  const tab: Tab = q === 'done' || q === 'cc' ? q : 'open';
  const [state, reload] = useAsync((signal) => loadTasks(tab, signal), [tab]);
  const [flash] = useState(takeFlash);
  return (
    <div className="stack">
      <h1>{t({ en: 'My tasks', zh: '我的待办' })}</h1>
      {flash && (
        <div className="alert alert-success" role="status">
          {t(flash.msg)}
          {flash.detail ? ` ${flash.detail}` : ''}
        </div>
      )}
      <div className="tabs" role="tablist" aria-label={t({ en: 'Task lists', zh: '待办列表' })}>
        {TABS.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className="tab" onClick={() => navigate(id === 'open' ? '/tasks' : `/tasks?tab=${id}`, { replace: true })}>
            {t(label)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        <Async state={state} onRetry={reload}>
          {(items) =>
            tab === 'cc' ? (
              <CcList items={items as NotificationItem[]} />
            ) : items.length === 0 ? (
              <p className="muted empty">
                {tab === 'open' ? t({ en: 'Nothing to do. Well done!', zh: '没有待办事项。' }) : t({ en: 'No tasks done yet.', zh: '暂无已处理的任务。' })}
              </p>
            ) : (
              <ul className="list card" aria-label={t({ en: 'Tasks', zh: '任务' })}>
                {(items as TaskItem[]).map((task) => <TaskRow key={task.id} task={task} people={people} />)}
              </ul>
            )
          }
        </Async>
      </div>
    </div>
  );
}
