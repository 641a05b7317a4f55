// A record's workflow status as a coloured tag; unknown statuses (an end node's own) show as they are.
import { useT, type Msg } from '../lib/i18n';

const STATUS: Record<string, { msg: Msg; tone: string }> = {
  running: { msg: { en: 'In approval', zh: '审批中' }, tone: 'tag-warning' },
  approved: { msg: { en: 'Approved', zh: '已通过' }, tone: 'tag-success' },
  completed: { msg: { en: 'Approved', zh: '已通过' }, tone: 'tag-success' },
  rejected: { msg: { en: 'Rejected', zh: '已拒绝' }, tone: 'tag-danger' },
  returned: { msg: { en: 'Returned', zh: '已退回' }, tone: 'tag-warning' },
  withdrawn: { msg: { en: 'Withdrawn', zh: '已撤回' }, tone: '' },
  error: { msg: { en: 'Error', zh: '出错' }, tone: 'tag-danger' },
};

export function statusText(status: string, t: ReturnType<typeof useT>): string {
  const s = STATUS[status];
  return s ? t(s.msg) : status;
}

/** nothing for 'active' (a record without a workflow) */
export function StatusTag({ status }: { status: string }) {
  const t = useT();
  if (status === 'active' || !status) return null;
  const s = STATUS[status];
  return <span className={`tag ${s?.tone ?? ''}`} data-status={status}>{statusText(status, t)}</span>;
}
