// Roles: workspace roles and app roles (filter by app); create, rename, delete; which apps a
// role opens or designs; its form permissions; its members.
import { useState } from 'react';
import { useT } from '@trellis/app/lib/i18n';
import { useSession } from '@trellis/app/lib/session';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import { RoleEditor } from '../apps/settings/RoleEditor';
import { loadApps, loadMembers, loadRoles, type AppInfo, type Member, type Role } from './org-data';
import { memberCount } from './ui';
import './org.css';

interface RolesData {
  roles: Role[];
  apps: AppInfo[];
  members: Member[] | null;
}

export default function RolesPage() {
  const session = useSession();
  const admin = session.status === 'signedIn' && session.user.admin;
  const [state, reload] = useAsync<RolesData>(
    async (signal) => {
      const [roles, apps, members] = await Promise.all([loadRoles(signal), loadApps(signal), admin ? loadMembers(signal) : Promise.resolve(null)]);
      return { roles, apps, members };
    },
    [admin],
  );
  return (
    <div className="org-page">
      <Async state={state} onRetry={reload}>
        {(data) => <Roles data={data} admin={admin} reload={reload} />}
      </Async>
    </div>
  );
}

function Roles({ data, admin, reload }: { data: RolesData; admin: boolean; reload: () => void }) {
  const t = useT();
  const [filter, setFilter] = useState<string>('all'); // all | workspace | <appId>
  const [newIn, setNewIn] = useState<string>(admin ? '' : (data.apps[0]?.id ?? '')); // '' = workspace
  const [editing, setEditing] = useState<{ key: number; roleId: string | null; appId: string | null } | null>(null);
  const [nextKey, setNextKey] = useState(1);
  const open = (roleId: string | null, appId: string | null) => {
    setEditing({ key: nextKey, roleId, appId });
    setNextKey((k) => k + 1);
  };
  const appName = new Map(data.apps.map((a) => [a.id, t(a.name)]));
  const shown = data.roles
    .filter((r) => filter === 'all' || (filter === 'workspace' ? r.appId === null : r.appId === filter))
    .sort((a, b) => (a.appId ?? '').localeCompare(b.appId ?? '') || t(a.name).localeCompare(t(b.name)));
  const current = editing?.roleId ? (data.roles.find((r) => r.id === editing.roleId) ?? null) : null;
  const count = (id: string) => data.members?.filter((m) => m.roles.includes(id)).length;

  return (
    <>
      <div className="row">
        <h1>{t({ en: 'Roles', zh: '角色' })}</h1>
        <span className="spacer" />
        <label htmlFor="role-new-in" style={{ margin: 0 }}>{t({ en: 'New role for', zh: '新角色属于' })}</label>
        <div className="field" style={{ margin: 0, minWidth: 200 }}>
          <select id="role-new-in" value={newIn} onChange={(e) => setNewIn(e.target.value)}>
            {admin && <option value="">{t({ en: 'Workspace role', zh: '工作区角色' })}</option>}
            {data.apps.map((a) => (
              <option key={a.id} value={a.id}>{t({ en: 'Role of {app}', zh: '{app} 的角色' }, { app: t(a.name) })}</option>
            ))}
          </select>
        </div>
        <button type="button" className="btn btn-primary" disabled={!admin && !newIn} onClick={() => open(null, newIn || null)}>
          {t({ en: 'New role', zh: '新建角色' })}
        </button>
      </div>
      <div className="org-toolbar">
        <div className="field">
          <label htmlFor="role-filter">{t({ en: 'Show roles', zh: '显示角色' })}</label>
          <select id="role-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
            <option value="all">{t({ en: 'All roles', zh: '全部角色' })}</option>
            <option value="workspace">{t({ en: 'Workspace roles', zh: '工作区角色' })}</option>
            {data.apps.map((a) => (
              <option key={a.id} value={a.id}>{t({ en: 'Roles of {app}', zh: '{app} 的角色' }, { app: t(a.name) })}</option>
            ))}
          </select>
        </div>
      </div>
      <div className="org-split">
        <nav aria-label={t({ en: 'Roles', zh: '角色' })}>
          {shown.length === 0 ? (
            <p className="muted">{t({ en: 'No roles here yet.', zh: '这里还没有角色。' })}</p>
          ) : (
            <ul className="org-list card" style={{ padding: 0 }}>
              {shown.map((r) => (
                <li key={r.id}>
                  <button type="button" className="org-list-item" aria-current={editing?.roleId === r.id ? 'true' : undefined} onClick={() => open(r.id, r.appId)}>
                    <div>{t(r.name)}</div>
                    <div className="muted">
                      {r.appId ? (appName.get(r.appId) ?? r.appId) : t({ en: 'Workspace', zh: '工作区' })}
                      {count(r.id) !== undefined && ` · ${memberCount(t, count(r.id)!)}`}
                    </div>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div>
          {editing ? (
            <RoleEditor
              key={editing.key}
              role={current}
              appId={editing.appId}
              apps={data.apps}
              members={data.members}
              onSaved={(r) => {
                setEditing((e) => (e ? { ...e, roleId: r.id } : e));
                reload();
              }}
              onDeleted={() => {
                setEditing(null);
                reload();
              }}
            />
          ) : (
            <p className="muted">{t({ en: 'Pick a role, or create one.', zh: '选择一个角色，或新建角色。' })}</p>
          )}
        </div>
      </div>
    </>
  );
}
