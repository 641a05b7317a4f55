// Where a record's workflow stands: its status, and while it runs the step it waits at and for whom.
import { useT } from '../../lib/i18n';
import { personName, usePeople } from '../../ui/people';
import { StatusTag } from '../../ui/StatusTag';
import type { InstanceReply } from '../../ui/types';

export function WorkflowCard({ instance }: { instance: InstanceReply }) {
  const t = useT();
  const people = usePeople();
  const open = instance.tasks.filter((x) => x.status === 'open');
  // open tasks grouped by step, in the order the steps were reached
  const steps = new Map<string, string[]>();
  for (const task of open) steps.set(task.node, [...(steps.get(task.node) ?? []), task.assignee]);
  const status = instance.status === 'completed' ? (instance.outcome ?? 'approved') : instance.status;
  return (
    <section className="card stack" aria-label={t({ en: 'Approval', zh: '审批' })}>
      <div className="row">
        <h2 className="grow">{t({ en: 'Approval', zh: '审批' })}</h2>
        <StatusTag status={status} />
      </div>
      {instance.status === 'running' && steps.size > 0 && (
        <ul className="plain">
          {[...steps].map(([node, assignees]) => (
            <li key={node}>
              <span className="muted">{t({ en: 'Current step', zh: '当前节点' })}: </span>
              <strong>{instance.nodeNames?.[node] ? t(instance.nodeNames[node]) : node}</strong>
              <span className="muted"> · {t({ en: 'waiting for {who}', zh: '等待 {who} 处理' }, { who: assignees.map((a) => personName(people, a)).join(', ') })}</span>
            </li>
          ))}
        </ul>
      )}
      {instance.status === 'returned' && <p className="muted">{t({ en: 'Returned to the submitter: change it and resubmit.', zh: '已退回给提交人：修改后可重新提交。' })}</p>}
      {instance.status === 'error' && <p className="muted">{t({ en: 'A step failed; an administrator has been told.', zh: '某个节点执行失败，已通知管理员。' })}</p>}
    </section>
  );
}
