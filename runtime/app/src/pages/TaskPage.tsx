// One of my tasks: the record as this step shows it (the fields the step lets me change are
// editable), the steps so far, and my decision. After deciding, back to the list with the outcome.
import { useEffect, useRef, useState } from 'react';
import type { FieldError, RecordData } from '@trellis/core';
import { ApiError, get, post } from '../lib/api';
import { useLang, useT, type Msg } from '../lib/i18n';
import { href, linkHandler, navigate } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { FormView } from '../form/FormView';
import { Async, ErrorBox, errorText } from '../ui/common';
import { refreshCounts } from '../ui/counts';
import { setFlash } from '../ui/flash';
import { formatTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { personName, usePeople } from '../ui/people';
import { StatusTag } from '../ui/StatusTag';
import { Timeline } from '../ui/Timeline';
import type { TaskView } from '../ui/types';
import { TaskActions, type Decision } from './tasks/TaskActions';

const OUTCOME: Record<Decision['kind'], Msg> = {
  approve: { en: 'Approved:', zh: '已同意：' },
  reject: { en: 'Rejected:', zh: '已拒绝：' },
  return: { en: 'Returned:', zh: '已退回：' },
  transfer: { en: 'Transferred:', zh: '已转交：' },
  comment: { en: 'Comment added.', zh: '已添加评论。' },
};

/** the editable fields whose value the approver changed */
function changedData(view: TaskView, value: RecordData): RecordData {
  const out: RecordData = {};
  for (const k of view.editable) if (JSON.stringify(value[k] ?? null) !== JSON.stringify(view.record.data[k] ?? null)) out[k] = value[k];
  return out;
}

function TaskDetail({ view, reload }: { view: TaskView; reload(): void }) {
  const t = useT();
  const lang = useLang();
  const people = usePeople();
  const { task, record, form } = view;
  const open = task.status === 'open';
  const editing = open && view.editable.length > 0 && form !== null;
  const [value, setValue] = useState<RecordData>(record.data);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const locked = editing ? new Set(form.definition.fields.map((f) => f.key).filter((k) => !view.editable.includes(k))) : undefined;
  const title = task.title ?? (task.formName ? t(task.formName) : t({ en: 'Task', zh: '任务' }));

  async function decide(d: Decision) {
    setBusy(true);
    setError(null);
    setNote(null);
    const comment = d.comment ? { comment: d.comment } : {};
    try {
      if (d.kind === 'approve') {
        const data = editing ? changedData(view, value) : {};
        await post(`/api/tasks/${task.id}/approve`, Object.keys(data).length ? { ...comment, data, version: record.version } : comment);
      } else if (d.kind === 'transfer') {
        await post(`/api/tasks/${task.id}/transfer`, { ...comment, to: d.to.id });
      } else {
        await post(`/api/tasks/${task.id}/${d.kind}`, comment);
      }
      void refreshCounts();
      if (d.kind === 'comment') {
        setNote(t(OUTCOME.comment));
        reload();
        return;
      }
      setFlash(OUTCOME[d.kind], d.kind === 'transfer' ? `${title} → ${d.to.name}` : title);
      navigate('/tasks');
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) setServerErrors(e.fieldErrors);
      // decided elsewhere: the badge is stale too
      if (e instanceof ApiError && e.status === 409) void refreshCounts();
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const conflict = error instanceof ApiError && error.status === 409;
  const errorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error !== null) errorRef.current?.scrollIntoView({ block: 'center' });
  }, [error]);
  return (
    <div className="stack">
      <PageHeader back="/tasks" title={title} />
      <dl className="meta card">
        {task.formName && (<><dt>{t({ en: 'Form', zh: '表单' })}</dt><dd>{t(task.formName)}</dd></>)}
        <dt>{t({ en: 'Step', zh: '节点' })}</dt>
        <dd>{task.stepName ? t(task.stepName) : (task.nodeName ?? task.node)}</dd>
        {task.submitter && (<><dt>{t({ en: 'Submitted by', zh: '提交人' })}</dt><dd>{personName(people, task.submitter)}</dd></>)}
        <dt>{t({ en: 'Received', zh: '收到时间' })}</dt>
        <dd><time dateTime={task.createdAt}>{formatTime(task.createdAt, lang)}</time></dd>
        <dt>{t({ en: 'Status', zh: '状态' })}</dt>
        <dd>{open ? t({ en: 'Waiting for you', zh: '等待你处理' }) : <StatusTag status={task.status} />}</dd>
      </dl>
      {editing && <p className="alert alert-info">{t({ en: 'You may change the highlighted fields before approving.', zh: '同意前你可以修改可编辑的字段。' })}</p>}
      <section className="card form-card" aria-label={t({ en: 'Record', zh: '记录' })}>
        {form ? (
          <FormView
            definition={form.definition}
            formId={form.id}
            recordId={record.id}
            taskId={task.id}
            value={editing ? value : record.data}
            onChange={editing ? setValue : () => undefined}
            mode={editing ? 'fill' : 'view'}
            action="update"
            previous={record.data}
            locked={locked}
            serverErrors={serverErrors}
          />
        ) : (
          <ErrorBox error={new Error(t({ en: 'The form of this task is not published.', zh: '此任务的表单未发布。' }))} />
        )}
      </section>
      {/* beside the buttons, where the eye is after tapping one */}
      {note && <div className="alert alert-success" role="status">{note}</div>}
      {error !== null && (
        <div className="alert" role="alert" ref={errorRef}>
          {conflict
            ? t({ en: 'Someone has already acted on this task, or it was closed: {why}', zh: '此任务已被他人处理或已关闭：{why}' }, { why: errorText(error, t) })
            : errorText(error, t)}
          {conflict && (
            <a className="btn btn-sm" style={{ marginLeft: 8 }} href={href('/tasks')} onClick={linkHandler('/tasks')}>
              {t({ en: 'Back to tasks', zh: '返回待办' })}
            </a>
          )}
        </div>
      )}
      {open && !conflict && <TaskActions busy={busy} onDecide={(d) => void decide(d)} />}
      <section className="stack">
        <h2>{t({ en: 'Timeline', zh: '动态' })}</h2>
        <Timeline def={form?.definition ?? null} steps={view.steps} />
      </section>
    </div>
  );
}

export default function TaskPage({ taskId }: { taskId: string }) {
  const [state, reload] = useAsync((signal) => get<TaskView>(`/api/tasks/${taskId}`, { signal }), [taskId]);
  return <Async state={state} onRetry={reload}>{(view) => <TaskDetail key={view.record.version} view={view} reload={reload} />}</Async>;
}
