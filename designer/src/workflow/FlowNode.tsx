// One node on the canvas: its type, name and a one-line summary; a red outline and the first
// problem when it has any; marked with data-in-path after a dry run went through it.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { Assignee, WorkflowNode } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { kindOf, type FlowNode as FlowNodeType } from './model';
import { nameOf, useDirectory } from './org-context';

type T = ReturnType<typeof useT>;

export function assigneeSummary(a: Assignee, t: T, names: (id: string) => string = (id) => id): string {
  switch (a.type) {
    case 'users': return a.users.map(names).join(', ');
    case 'role': return t({ en: 'Role: {r}', zh: '角色：{r}' }, { r: names(`role:${a.role}`) });
    case 'leader': return (a.levels ?? 1) === 1 ? t({ en: 'Submitter’s leader', zh: '提交人的主管' }) : t({ en: 'Leader {n} levels up', zh: '上 {n} 级主管' }, { n: a.levels ?? 1 });
    case 'field': return t({ en: 'Member field: {f}', zh: '成员字段：{f}' }, { f: names(`field:${a.field}`) });
    case 'submitter': return t({ en: 'Submitter', zh: '提交人' });
  }
}

function summary(n: WorkflowNode, t: T, names: (id: string) => string): string {
  switch (n.type) {
    case 'approval': {
      const mode = { any: { en: 'any one', zh: '或签' }, all: { en: 'all', zh: '会签' }, sequential: { en: 'in turn', zh: '依次' } }[n.mode];
      return n.assignees.length ? `${n.assignees.map((a) => assigneeSummary(a, t, names)).join('; ')} · ${t(mode)}` : t({ en: 'No assignees yet', zh: '尚未选择审批人' });
    }
    case 'cc': return n.assignees.length ? n.assignees.map((a) => assigneeSummary(a, t, names)).join('; ') : t({ en: 'No one yet', zh: '尚未选择' });
    case 'action': return t({
      createRecord: { en: 'Create record', zh: '新增数据' }, updateRecords: { en: 'Update records', zh: '修改数据' }, webhook: { en: 'Webhook', zh: 'Webhook' },
      notify: { en: 'Notify', zh: '发送通知' }, lookupCompany: { en: 'Company lookup', zh: '工商信息查询' }, assignInTurn: { en: 'Assign in turn', zh: '轮流分配' },
    }[n.action.type]);
    case 'delay': return n.duration ? `${n.duration.amount} ${n.duration.unit}` : n.until ? t({ en: 'until {f}', zh: '直到 {f}' }, { f: n.until }) : '';
    case 'end': return t({ en: 'Status: {s}', zh: '状态：{s}' }, { s: n.status ?? 'approved' });
    default: return '';
  }
}

export function FlowNodeView({ data, selected }: NodeProps<FlowNodeType>) {
  const t = useT();
  const dir = useDirectory();
  const names = (id: string) => nameOf(dir, id);
  const n = data.node;
  const problems = data.problems ?? [];
  const name = typeof n.name === 'string' ? n.name : n.name ? t(n.name) : '';
  return (
    <div
      className={`wf-node wf-node-${n.type}${problems.length ? ' wf-node-bad' : ''}${data.inPath ? ' wf-node-path' : ''}${selected ? ' wf-node-selected' : ''}`}
      data-node-id={n.id}
      data-in-path={data.inPath ? 'true' : undefined}
      data-problem={problems.length ? 'true' : undefined}
    >
      {n.type !== 'start' && <Handle type="target" position={Position.Top} />}
      <div className="wf-node-type">{t(kindOf(n.type).label)}</div>
      <div className="wf-node-name">{name || n.id}</div>
      {summary(n, t, names) && <div className="wf-node-summary">{summary(n, t, names)}</div>}
      {problems.length > 0 && (
        <div className="wf-node-problem" role="note">
          {problems[0]}
          {problems.length > 1 && ` (+${problems.length - 1})`}
        </div>
      )}
      {n.type !== 'end' && <Handle type="source" position={Position.Bottom} />}
    </div>
  );
}
