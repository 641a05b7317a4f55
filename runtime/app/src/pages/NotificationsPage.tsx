// My notifications, newest first: tapping one marks it read and opens its task or record.
import { useState } from 'react';
import { labelText } from '@trellis/core';
import { get, post } from '../lib/api';
import { useLang, useT, type Msg } from '../lib/i18n';
import { navigate } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { Async, ErrorBox } from '../ui/common';
import { refreshCounts } from '../ui/counts';
import { useFormNames } from '../ui/form-names';
import { formatTime } from '../ui/format';
import type { NotificationItem } from '../ui/types';

const KINDS: Record<string, Msg> = {
  task: { en: 'New task for you', zh: '你有新的待办' },
  cc: { en: 'Copied to you', zh: '抄送给你' },
  reminder: { en: 'Reminder: a task is waiting', zh: '催办：有任务等待处理' },
  approved: { en: 'Your request was approved', zh: '你的申请已通过' },
  rejected: { en: 'Your request was rejected', zh: '你的申请被拒绝' },
  returned: { en: 'Your request was returned', zh: '你的申请被退回' },
  withdrawn: { en: 'Your request was withdrawn', zh: '你的申请已撤回' },
  error: { en: 'A workflow step failed', zh: '流程节点出错' },
};

function target(n: NotificationItem): string {
  return n.taskId && (n.kind === 'task' || n.kind === 'reminder') ? `/tasks/${n.taskId}` : `/records/${n.formId}/${n.recordId}`;
}

export default function NotificationsPage() {
  const t = useT();
  const lang = useLang();
  const [state, reload] = useAsync((signal) => get<{ items: NotificationItem[] }>('/api/notifications', { signal }).then((r) => r.items), []);
  const [read, setRead] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const names = useFormNames(state.status === 'ok' ? state.value.map((n) => n.formId) : []);

  async function markRead(ids: string[]) {
    setError(null);
    try {
      await Promise.all(ids.map((id) => post(`/api/notifications/${id}/read`)));
      setRead((s) => new Set([...s, ...ids]));
      void refreshCounts();
    } catch (e) {
      setError(e);
    }
  }

  async function open(n: NotificationItem) {
    // opening is what matters; a failed mark-read only leaves the badge up
    if (!n.read && !read.has(n.id)) await markRead([n.id]).catch(() => undefined);
    navigate(target(n));
  }

  return (
    <div className="stack">
      <Async state={state} onRetry={reload}>
        {(items) => {
          const unread = items.filter((n) => !n.read && !read.has(n.id));
          return (
            <>
              <div className="page-header">
                <h1>{t({ en: 'Notifications', zh: '通知' })}</h1>
                {unread.length > 0 && (
                  <div className="page-actions">
                    <button type="button" className="btn btn-sm" onClick={() => void markRead(unread.map((n) => n.id))}>
                      {t({ en: 'Mark all read', zh: '全部已读' })}
                    </button>
                  </div>
                )}
              </div>
              {error !== null && <ErrorBox error={error} />}
              {items.length === 0 ? (
                <p className="muted empty">{t({ en: 'No notifications.', zh: '暂无通知。' })}</p>
              ) : (
                <ul className="list card" aria-label={t({ en: 'Notifications', zh: '通知' })}>
                  {items.map((n) => {
                    const isUnread = !n.read && !read.has(n.id);
                    const form = names.get(n.formId);
                    return (
                      <li key={n.id} className={isUnread ? 'unread' : undefined}>
                        <button type="button" className="list-item" onClick={() => void open(n)}>
                          {isUnread && <span className="dot" aria-label={t({ en: 'Unread', zh: '未读' })} />}
                          <span className="record-main">
                            <span className="record-title">{n.kind === 'message' && n.message !== undefined ? labelText(n.message, lang) : KINDS[n.kind] ? t(KINDS[n.kind]) : n.kind}</span>
                            {form && <span className="muted small">{t(form)}</span>}
                          </span>
                          <time className="muted small" dateTime={n.createdAt}>{formatTime(n.createdAt, lang)}</time>
                        </button>
                        {isUnread && (
                          <button type="button" className="btn btn-sm mark-read" onClick={() => void markRead([n.id])}>
                            {t({ en: 'Mark read', zh: '标为已读' })}
                          </button>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </>
          );
        }}
      </Async>
    </div>
  );
}
