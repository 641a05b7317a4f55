// Who has a role. A user's roles live on the user (user.roles), so these changes are saved
// with the role as PATCH /api/users/:id; only administrators may change users.
import { useId, useState } from 'react';
import { useT } from '@trellis/app/lib/i18n';
import type { Member } from '../../org/org-data';

interface Props {
  /** every member of the workspace; null when the viewer is no administrator (colleagues' roles are not shown to them) */
  members: Member[] | null;
  value: readonly string[];
  onChange: (ids: string[]) => void;
}

export function RoleMembers({ members, value, onChange }: Props) {
  const t = useT();
  const id = useId();
  const [pick, setPick] = useState('');
  if (members === null) {
    return <p className="muted">{t({ en: 'Only administrators can see and assign the members of a role.', zh: '只有管理员可以查看和分配角色成员。' })}</p>;
  }
  const byId = new Map(members.map((m) => [m.id, m]));
  const chosen = value.map((v) => byId.get(v)).filter((m): m is Member => m !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  const addable = members.filter((m) => m.status === 'active' && !value.includes(m.id)).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="stack">
      {chosen.length === 0 ? (
        <p className="muted">{t({ en: 'Nobody has this role yet.', zh: '还没有成员拥有此角色。' })}</p>
      ) : (
        <ul className="org-list card" style={{ padding: 0 }} aria-label={t({ en: 'Members with this role', zh: '拥有此角色的成员' })}>
          {chosen.map((m) => (
            <li key={m.id} className="row" style={{ padding: '6px 12px' }}>
              <span>{m.name}</span>
              <span className="muted">{m.email}</span>
              {m.status === 'disabled' && <span className="tag tag-danger">{t({ en: 'Disabled', zh: '已停用' })}</span>}
              <span className="spacer" />
              <button type="button" className="btn btn-sm" aria-label={t({ en: 'Remove {name} from the role', zh: '将 {name} 移出角色' }, { name: m.name })} onClick={() => onChange(value.filter((v) => v !== m.id))}>
                {t({ en: 'Remove', zh: '移除' })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <div className="field" style={{ margin: 0, flex: 1, minWidth: 240 }}>
          <label htmlFor={`${id}-add`}>{t({ en: 'Add a member to the role', zh: '为角色添加成员' })}</label>
          <select id={`${id}-add`} value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t({ en: '— pick a member —', zh: '— 选择成员 —' })}</option>
            {addable.map((m) => (
              <option key={m.id} value={m.id}>{`${m.name} <${m.email}>`}</option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="btn"
          disabled={!pick}
          onClick={() => {
            onChange([...value, pick]);
            setPick('');
          }}
        >
          {t({ en: 'Add to role', zh: '加入角色' })}
        </button>
      </div>
    </div>
  );
}
