// "Where used": before a field is deleted or its key changes, everything that refers to it.
import type { Label, Usage, UsageKind } from '@trellis/core';
import { useT, type Msg } from '@trellis/app/lib/i18n';
import { Dialog } from '../common/Dialog';

const KIND: Record<UsageKind, Msg> = {
  rule: { en: 'Rule of field {holder}', zh: '字段 {holder} 的规则' },
  ruleTarget: { en: 'Rules of this field', zh: '此字段自身的规则' },
  fill: { en: 'Value linkage of field {holder}', zh: '字段 {holder} 的数据联动' },
  formula: { en: 'Formula {holder}', zh: '公式 {holder}' },
  lookup: { en: 'Lookup {holder}', zh: '关联查询 {holder}' },
  titleField: { en: 'Title field of the form', zh: '表单的标题字段' },
  otherLink: { en: 'Link {holder} of form {form} shows it', zh: '表单 {form} 的关联字段 {holder} 显示它' },
  otherLookup: { en: 'Lookup {holder} of form {form}', zh: '表单 {form} 的关联查询 {holder}' },
  otherFill: { en: 'Value linkage of {holder} in form {form}', zh: '表单 {form} 中 {holder} 的数据联动' },
  workflowCondition: { en: 'Workflow condition {holder}', zh: '流程条件 {holder}' },
  workflowFields: { en: 'Field permissions of workflow step {holder}', zh: '流程节点 {holder} 的字段权限' },
  workflowAssignee: { en: 'Assignees of workflow step {holder}', zh: '流程节点 {holder} 的处理人' },
  workflowDelay: { en: 'Delay of workflow step {holder}', zh: '流程节点 {holder} 的延时' },
  workflowAction: { en: 'Action {holder} of the workflow', zh: '流程动作 {holder}' },
  workflowTrigger: { en: 'Trigger of automation {holder}', zh: '自动化 {holder} 的触发条件' },
  dashboard: { en: 'Widget {holder} of dashboard {form}', zh: '仪表盘 {form} 的组件 {holder}' },
};

export function usageText(u: Usage, t: ReturnType<typeof useT>): string {
  const holder = u.holderLabel !== undefined ? `${t(u.holderLabel as Label)}${u.holder ? ` (${u.holder})` : ''}` : (u.holder ?? '');
  return t(KIND[u.kind], { holder, form: u.name !== undefined ? t(u.name) : (u.id ?? '') });
}

export interface WhereUsedDialogProps {
  mode: 'delete' | 'rename';
  fieldName: string;
  from: string;
  to?: string;
  usages: readonly Usage[];
  onConfirm(rewrite: boolean): void;
  onCancel(): void;
}

export function WhereUsedDialog({ mode, fieldName, from, to, usages, onConfirm, onCancel }: WhereUsedDialogProps) {
  const t = useT();
  const inForm = usages.filter((u) => u.scope === 'form' && u.kind !== 'ruleTarget');
  const outside = usages.filter((u) => u.scope !== 'form');
  const title = mode === 'delete'
    ? t({ en: 'Delete field {name}?', zh: '删除字段 {name}？' }, { name: fieldName })
    : t({ en: 'Change key {from} to {to}?', zh: '把字段标识 {from} 改为 {to}？' }, { from, to: to ?? '' });
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="btn" onClick={onCancel}>{t({ en: 'Cancel', zh: '取消' })}</button>
          {mode === 'rename' && inForm.length > 0 && (
            <button type="button" className="btn btn-primary" onClick={() => onConfirm(true)}>{t({ en: 'Rename and update this form', zh: '重命名并更新本表单引用' })}</button>
          )}
          {mode === 'rename' && (
            <button type="button" className="btn" onClick={() => onConfirm(false)}>{t({ en: 'Rename only', zh: '仅重命名' })}</button>
          )}
          {mode === 'delete' && (
            <button type="button" className="btn btn-danger" onClick={() => onConfirm(false)}>{t({ en: 'Delete', zh: '删除' })}</button>
          )}
        </>
      }
    >
      {usages.length === 0 ? (
        <p>{t({ en: 'Nothing else refers to this field.', zh: '没有其他地方引用此字段。' })}</p>
      ) : (
        <>
          <p>{t({ en: 'These refer to {key}:', zh: '以下内容引用了 {key}：' }, { key: from })}</p>
          <ul aria-label={t({ en: 'Where used', zh: '引用位置' })}>
            {usages.map((u, i) => (
              <li key={i}>
                {usageText(u, t)} <code className="muted">{u.path}</code>
              </li>
            ))}
          </ul>
          {mode === 'delete' && <p className="alert">{t({ en: 'They will stop working: rules and formulas of this form that read the field will show problems until you fix them.', zh: '这些引用将失效：本表单中读取该字段的规则和公式会报错，直到你修正它们。' })}</p>}
          {mode === 'rename' && outside.length > 0 && (
            <p className="alert">{t({ en: 'References outside this form (other forms, the workflow, dashboards) are not rewritten: update them after the rename.', zh: '本表单之外的引用（其他表单、流程、仪表盘）不会自动更新，请在重命名后修改。' })}</p>
          )}
        </>
      )}
    </Dialog>
  );
}
