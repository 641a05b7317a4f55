// One task in my list: the record's title, its form, the step, who submitted it and when.
import { useLang, useT } from '../../lib/i18n';
import { href, linkHandler } from '../../lib/router';
import { formatTime } from '../../ui/format';
import { personName, type People } from '../../ui/people';
import { StatusTag } from '../../ui/StatusTag';
import type { TaskItem } from '../../ui/types';

export function TaskRow({ task, people }: { task: TaskItem; people: People }) {
  const t = useT();
  const lang = useLang();
  const to = `/tasks/${task.id}`;
  const step = task.stepName ? t(task.stepName) : (task.nodeName ?? task.node);
  const when = task.status === 'open' ? task.createdAt : (task.decidedAt ?? task.createdAt);
  return (
    <li>
      <a href={href(to)} onClick={linkHandler(to)} className="record-row">
        <span className="record-main">
          <span className="record-title">{task.title ?? t({ en: 'Record', zh: '记录' })}</span>
          <span className="record-values">
            <span>{task.formName ? t(task.formName) : ''}</span>
            <span><span className="muted">{t({ en: 'Step', zh: '节点' })}: </span>{step}</span>
            {task.submitter && <span><span className="muted">{t({ en: 'Submitted by', zh: '提交人' })}: </span>{personName(people, task.submitter)}</span>}
          </span>
        </span>
        <span className="record-side">
          {task.status !== 'open' && <StatusTag status={task.status} />}
          <time className="muted small" dateTime={when}>{formatTime(when, lang)}</time>
        </span>
      </a>
    </li>
  );
}
