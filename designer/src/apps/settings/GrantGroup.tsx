// One permission group on a form: the actions, the records they reach, and each field visible,
// read-only or hidden. Groups of a role add up (an action is allowed if any group allows it).
import { useId } from 'react';
import type { Field } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { ConditionBuilder } from '../../common/ConditionBuilder';
import { ACTION_HELP, ACTION_LABELS, ACTIONS, groupProblem, SCOPE_LABELS, type GroupDraft, type ScopeKind } from './grants';

const SCOPES: ScopeKind[] = ['own', 'department', 'departmentTree', 'all', 'custom'];
type FieldMode = 'visible' | 'readOnly' | 'hidden';
const MODES: { mode: FieldMode; label: { en: string; zh: string } }[] = [
  { mode: 'visible', label: { en: 'Visible', zh: '可见' } },
  { mode: 'readOnly', label: { en: 'Read-only', zh: '只读' } },
  { mode: 'hidden', label: { en: 'Hidden', zh: '隐藏' } },
];

interface Props {
  index: number;
  group: GroupDraft;
  fields: Field[];
  onChange: (g: GroupDraft) => void;
  onRemove: () => void;
  /** show problems (after a save was tried) */
  showProblems: boolean;
}

export function GrantGroup({ index, group, fields, onChange, onRemove, showProblems }: Props) {
  const t = useT();
  const uid = useId();
  const n = index + 1;
  const problem = showProblems ? groupProblem(group) : null;
  const setMode = (key: string, mode: FieldMode) => {
    const next = { ...group.fields };
    if (mode === 'visible') delete next[key];
    else next[key] = mode;
    onChange({ ...group, fields: next });
  };
  return (
    <fieldset className="perm-group">
      <legend>{t({ en: 'Permission group {n}', zh: '权限组 {n}' }, { n })}</legend>
      <div className="row perm-actions" role="group" aria-label={t({ en: 'Actions', zh: '操作' })}>
        {ACTIONS.map((a) => (
          <label key={a} className="org-check" title={t(ACTION_HELP[a])}>
            <input
              type="checkbox"
              checked={group.actions.includes(a)}
              onChange={(e) => onChange({ ...group, actions: e.target.checked ? [...group.actions, a] : group.actions.filter((x) => x !== a) })}
            />
            {t(ACTION_LABELS[a])}
          </label>
        ))}
        <span className="spacer" />
        <button type="button" className="btn btn-sm" onClick={onRemove}>
          {t({ en: 'Remove group {n}', zh: '删除权限组 {n}' }, { n })}
        </button>
      </div>
      {group.actions.includes('manage') && (
        <p className="muted perm-note">{t({ en: 'Manage allows every action on every record and changing the form, whatever the scope.', zh: '“管理”允许对所有记录执行全部操作并修改表单，不受数据范围限制。' })}</p>
      )}
      <div className="field perm-scope">
        <label htmlFor={`${uid}-scope`}>{t({ en: 'Data scope', zh: '数据范围' })}</label>
        <select id={`${uid}-scope`} value={group.scope} onChange={(e) => onChange({ ...group, scope: e.target.value as ScopeKind })}>
          {SCOPES.map((s) => (
            <option key={s} value={s}>{t(SCOPE_LABELS[s])}</option>
          ))}
        </select>
      </div>
      {group.scope === 'custom' && (
        <div className="perm-condition">
          <ConditionBuilder fields={fields} value={group.condition} onChange={(condition) => onChange({ ...group, condition })} label={t({ en: 'Custom scope', zh: '自定义范围' })} />
          <p className="muted perm-note">{t({ en: 'Records that meet this condition are in the scope.', zh: '满足此条件的记录在范围内。' })}</p>
        </div>
      )}
      {fields.length > 0 && (
        <table className="grid perm-fields">
          <caption className="sr-only">{t({ en: 'Field permissions of group {n}', zh: '权限组 {n} 的字段权限' }, { n })}</caption>
          <thead>
            <tr>
              <th scope="col">{t({ en: 'Field', zh: '字段' })}</th>
              {MODES.map((m) => (
                <th key={m.mode} scope="col">{t(m.label)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => {
              const label = t(f.label) || f.key;
              const current: FieldMode = group.fields[f.key] ?? 'visible';
              return (
                <tr key={f.key}>
                  <th scope="row">
                    {label} <span className="muted">({f.key})</span>
                  </th>
                  {MODES.map((m) => (
                    <td key={m.mode}>
                      <input
                        type="radio"
                        name={`${uid}-${f.key}`}
                        aria-label={`${label}: ${t(m.label)}`}
                        checked={current === m.mode}
                        onChange={() => setMode(f.key, m.mode)}
                      />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {problem && <p className="error-text" role="alert">{t(problem)}</p>}
    </fieldset>
  );
}
