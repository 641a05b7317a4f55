// Publish: what changed since the last published version (core's diffForms), then publish.
import { fieldType, type FormChange } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { ErrorBox } from '@trellis/app/ui/common';
import { Dialog } from '../common/Dialog';

const PART = {
  visible: { en: 'show when', zh: '显示条件' },
  required: { en: 'required when', zh: '必填条件' },
  readOnly: { en: 'read-only when', zh: '只读条件' },
  default: { en: 'default', zh: '默认值' },
  options: { en: 'option filter', zh: '选项过滤' },
  check: { en: 'check', zh: '校验' },
  fill: { en: 'value linkage', zh: '数据联动' },
} as const;

export function changeText(c: FormChange, t: ReturnType<typeof useT>): string {
  const type = (x: Parameters<typeof fieldType>[0]) => t(fieldType(x).label);
  switch (c.kind) {
    case 'formRenamed': return t({ en: 'Form renamed: "{from}" → "{to}"', zh: '表单改名：“{from}” → “{to}”' }, { from: t(c.from), to: t(c.to) });
    case 'formSettingsChanged': return t({ en: 'Form settings changed: {list}', zh: '表单设置已修改：{list}' }, { list: c.settings.join(', ') });
    case 'fieldAdded': return t({ en: 'Added {type} field "{label}" ({path})', zh: '新增{type}字段“{label}”（{path}）' }, { type: type(c.type), label: t(c.label), path: c.path });
    case 'fieldRemoved': return t({ en: 'Removed field "{label}" ({path})', zh: '删除字段“{label}”（{path}）' }, { label: t(c.label), path: c.path });
    case 'fieldRenamed': return t({ en: 'Renamed key of "{label}": {from} → {to}', zh: '“{label}”的标识改名：{from} → {to}' }, { label: t(c.label), from: c.from, to: c.to });
    case 'fieldRelabeled': return t({ en: 'Relabeled {path}: "{from}" → "{to}"', zh: '{path} 改名：“{from}” → “{to}”' }, { path: c.path, from: t(c.from), to: t(c.to) });
    case 'fieldRetyped': return t({ en: 'Changed type of {path}: {from} → {to}', zh: '{path} 类型变更：{from} → {to}' }, { path: c.path, from: type(c.from), to: type(c.to) });
    case 'optionsChanged': {
      const parts = [
        c.added.length ? t({ en: 'added {list}', zh: '新增 {list}' }, { list: c.added.join(', ') }) : '',
        c.removed.length ? t({ en: 'removed {list}', zh: '删除 {list}' }, { list: c.removed.join(', ') }) : '',
        c.relabeled.length ? t({ en: 'relabeled {list}', zh: '改名 {list}' }, { list: c.relabeled.join(', ') }) : '',
      ].filter(Boolean);
      return t({ en: 'Options of {path}: {parts}', zh: '{path} 的选项：{parts}' }, { path: c.path, parts: parts.join('; ') });
    }
    case 'fieldSettingsChanged': return t({ en: 'Settings of {path} changed: {list}', zh: '{path} 的设置已修改：{list}' }, { path: c.path, list: c.settings.join(', ') });
    case 'fieldsReordered': return c.table ? t({ en: 'Fields of {table} reordered', zh: '{table} 的字段顺序已调整' }, { table: c.table }) : t({ en: 'Fields reordered', zh: '字段顺序已调整' });
    case 'ruleAdded': return t({ en: 'Rule added on {field}: {part}', zh: '{field} 新增规则：{part}' }, { field: c.field, part: t(PART[c.part]) });
    case 'ruleRemoved': return t({ en: 'Rule removed from {field}: {part}', zh: '{field} 删除规则：{part}' }, { field: c.field, part: t(PART[c.part]) });
    case 'ruleChanged': return t({ en: 'Rule changed on {field}: {part}', zh: '{field} 规则已修改：{part}' }, { field: c.field, part: t(PART[c.part]) });
  }
}

export interface PublishDialogProps {
  changes: readonly FormChange[];
  /** the version now published, 0 when never */
  publishedVersion: number;
  busy: boolean;
  error: unknown;
  onConfirm(): void;
  onCancel(): void;
}

export function PublishDialog({ changes, publishedVersion, busy, error, onConfirm, onCancel }: PublishDialogProps) {
  const t = useT();
  const nothing = changes.length === 0 && publishedVersion > 0;
  return (
    <Dialog
      title={t({ en: 'Publish version {v}', zh: '发布版本 {v}' }, { v: publishedVersion + 1 })}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="btn" onClick={onCancel}>{t({ en: 'Cancel', zh: '取消' })}</button>
          <button type="button" className="btn btn-primary" disabled={busy || nothing} onClick={onConfirm}>
            {busy ? t({ en: 'Publishing…', zh: '发布中…' }) : t({ en: 'Publish now', zh: '立即发布' })}
          </button>
        </>
      }
    >
      <p>
        {publishedVersion === 0
          ? t({ en: 'First publish: employees can fill the form once it is published.', zh: '首次发布：发布后员工即可填写此表单。' })
          : t({ en: 'Changes since version {v}:', zh: '自版本 {v} 以来的修改：' }, { v: publishedVersion })}
      </p>
      {nothing ? (
        <p className="muted">{t({ en: 'Nothing changed since the published version.', zh: '与已发布版本相比没有变化。' })}</p>
      ) : (
        <ul aria-label={t({ en: 'Changes', zh: '修改内容' })} className="fd-changes">
          {changes.map((c, i) => <li key={i} data-kind={c.kind}>{changeText(c, t)}</li>)}
        </ul>
      )}
      {error !== null && error !== undefined && <ErrorBox error={error} />}
    </Dialog>
  );
}
