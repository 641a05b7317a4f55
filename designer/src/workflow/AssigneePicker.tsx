// Picks who gets a task or a copy: named users (searched, filtered by department), a role, the
// submitter's leader some levels up, the users in a member field, or the submitter.
import { useId, useState } from 'react';
import type { Assignee } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { Async } from '@trellis/app/ui/common';
import { assigneeSummary } from './FlowNode';
import { nameOf, useDirectory } from './org-context';

type Kind = Assignee['type'];

const KINDS: { kind: Kind; label: { en: string; zh: string } }[] = [
  { kind: 'users', label: { en: 'Users', zh: '指定成员' } },
  { kind: 'role', label: { en: 'Role', zh: '角色' } },
  { kind: 'leader', label: { en: 'Submitter’s leader', zh: '提交人的主管' } },
  { kind: 'field', label: { en: 'Member field', zh: '成员字段' } },
  { kind: 'submitter', label: { en: 'Submitter', zh: '提交人' } },
];

export function AssigneePicker({ label, value, onChange }: { label: string; value: Assignee[]; onChange(next: Assignee[]): void }) {
  const t = useT();
  const dir = useDirectory();
  const id = useId();
  const [kind, setKind] = useState<Kind>('users');
  const names = (x: string) => nameOf(dir, x);

  const add = (a: Assignee) => {
    if (a.type === 'users') {
      // one "users" entry holds every named user
      const at = value.findIndex((x) => x.type === 'users');
      if (at >= 0) {
        const cur = value[at] as Extract<Assignee, { type: 'users' }>;
        if (cur.users.includes(a.users[0]!)) return;
        onChange(value.map((x, i) => (i === at ? { type: 'users', users: [...cur.users, ...a.users] } : x)));
        return;
      }
    }
    if (value.some((x) => JSON.stringify(x) === JSON.stringify(a))) return;
    onChange([...value, a]);
  };
  const removeUser = (i: number, user: string) => {
    const cur = value[i] as Extract<Assignee, { type: 'users' }>;
    const rest = cur.users.filter((u) => u !== user);
    onChange(rest.length ? value.map((x, j) => (j === i ? { type: 'users', users: rest } : x)) : value.filter((_, j) => j !== i));
  };

  return (
    <fieldset className="wf-fieldset">
      <legend>{label}</legend>
      {value.length === 0 ? (
        <p className="muted">{t({ en: 'No one chosen yet.', zh: '尚未选择。' })}</p>
      ) : (
        <ul className="wf-chips" aria-label={t({ en: 'Chosen', zh: '已选择' })}>
          {value.flatMap((a, i) =>
            a.type === 'users'
              ? a.users.map((u) => (
                  <li key={`${i}:${u}`} className="tag">
                    {names(u)}
                    <button type="button" className="btn-link" aria-label={t({ en: 'Remove {n}', zh: '移除 {n}' }, { n: names(u) })} onClick={() => removeUser(i, u)}>×</button>
                  </li>
                ))
              : [
                  <li key={i} className="tag">
                    {assigneeSummary(a, t, names)}
                    <button type="button" className="btn-link" aria-label={t({ en: 'Remove {n}', zh: '移除 {n}' }, { n: assigneeSummary(a, t, names) })} onClick={() => onChange(value.filter((_, j) => j !== i))}>×</button>
                  </li>,
                ],
          )}
        </ul>
      )}
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t({ en: 'Add assignee by', zh: '添加方式' })}</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {KINDS.map((k) => <option key={k.kind} value={k.kind}>{t(k.label)}</option>)}
        </select>
      </div>
      <Async state={dir.org}>{() => <AddOne kind={kind} idBase={id} onAdd={add} />}</Async>
    </fieldset>
  );
}

function AddOne({ kind, idBase, onAdd }: { kind: Kind; idBase: string; onAdd(a: Assignee): void }) {
  const t = useT();
  const dir = useDirectory();
  const org = dir.org.status === 'ok' ? dir.org.value : { users: [], departments: [], roles: [] };
  const [search, setSearch] = useState('');
  const [dept, setDept] = useState('');
  const [role, setRole] = useState('');
  const [levels, setLevels] = useState(1);
  const memberFields = dir.fields.filter((f) => f.type === 'member');
  const [field, setField] = useState('');

  switch (kind) {
    case 'users': {
      const q = search.trim().toLowerCase();
      const found = org.users
        .filter((u) => u.status === 'active' && (!dept || u.departments.includes(dept)) && (!q || u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q)))
        .slice(0, 30);
      return (
        <div className="stack">
          <div className="row">
            <div className="field grow">
              <label htmlFor={`${idBase}-search`}>{t({ en: 'Search users', zh: '搜索成员' })}</label>
              <input id={`${idBase}-search`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t({ en: 'Name or email', zh: '姓名或邮箱' })} />
            </div>
            <div className="field grow">
              <label htmlFor={`${idBase}-dept`}>{t({ en: 'Department', zh: '部门' })}</label>
              <select id={`${idBase}-dept`} value={dept} onChange={(e) => setDept(e.target.value)}>
                <option value="">{t({ en: 'All departments', zh: '全部部门' })}</option>
                {org.departments.map((d) => <option key={d.id} value={d.id}>{t(d.name)}</option>)}
              </select>
            </div>
          </div>
          <ul className="wf-pick-list" aria-label={t({ en: 'Matching users', zh: '匹配的成员' })}>
            {found.length === 0 && <li className="muted">{t({ en: 'No matching users.', zh: '没有匹配的成员。' })}</li>}
            {found.map((u) => (
              <li key={u.id}>
                <span>{u.name} <span className="muted">{u.email}</span></span>
                <button type="button" className="btn btn-sm" aria-label={t({ en: 'Add {n}', zh: '添加 {n}' }, { n: u.name })} onClick={() => onAdd({ type: 'users', users: [u.id] })}>
                  {t({ en: 'Add', zh: '添加' })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      );
    }
    case 'role':
      return (
        <div className="row">
          <div className="field grow">
            <label htmlFor={`${idBase}-role`}>{t({ en: 'Role', zh: '角色' })}</label>
            <select id={`${idBase}-role`} value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="">{t({ en: 'Choose a role', zh: '选择角色' })}</option>
              {org.roles.map((r) => <option key={r.id} value={r.id}>{t(r.name)}</option>)}
            </select>
          </div>
          <button type="button" className="btn btn-sm" disabled={!role} onClick={() => onAdd({ type: 'role', role })}>{t({ en: 'Add role', zh: '添加角色' })}</button>
        </div>
      );
    case 'leader':
      return (
        <div className="row">
          <div className="field">
            <label htmlFor={`${idBase}-levels`}>{t({ en: 'Levels up', zh: '向上级数' })}</label>
            <input id={`${idBase}-levels`} type="number" min={1} max={10} value={levels} onChange={(e) => setLevels(Math.min(10, Math.max(1, Math.round(Number(e.target.value) || 1))))} />
          </div>
          <button type="button" className="btn btn-sm" onClick={() => onAdd(levels === 1 ? { type: 'leader' } : { type: 'leader', levels })}>{t({ en: 'Add leader', zh: '添加主管' })}</button>
        </div>
      );
    case 'field':
      return memberFields.length === 0 ? (
        <p className="muted">{t({ en: 'The form has no member field.', zh: '表单没有成员字段。' })}</p>
      ) : (
        <div className="row">
          <div className="field grow">
            <label htmlFor={`${idBase}-field`}>{t({ en: 'Member field', zh: '成员字段' })}</label>
            <select id={`${idBase}-field`} value={field} onChange={(e) => setField(e.target.value)}>
              <option value="">{t({ en: 'Choose a field', zh: '选择字段' })}</option>
              {memberFields.map((f) => <option key={f.key} value={f.key}>{t(f.label)}</option>)}
            </select>
          </div>
          <button type="button" className="btn btn-sm" disabled={!field} onClick={() => onAdd({ type: 'field', field })}>{t({ en: 'Add field', zh: '添加字段' })}</button>
        </div>
      );
    case 'submitter':
      return <button type="button" className="btn btn-sm" onClick={() => onAdd({ type: 'submitter' })}>{t({ en: 'Add submitter', zh: '添加提交人' })}</button>;
  }
}
