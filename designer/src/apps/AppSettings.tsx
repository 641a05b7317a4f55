// App settings: name and icon, the app's roles with their permissions per form and field and
// their members, and which workspace roles may open or design the app.
import { useState } from 'react';
import { get } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { href, linkHandler } from '@trellis/app/lib/router';
import { useSession } from '@trellis/app/lib/session';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import { loadForms, loadMembers, loadRoles, type AppInfo, type FormInfo, type Member, type Role } from '../org/org-data';
import { memberCount } from '../org/ui';
import { PackUpgrade } from './PackUpgrade';
import { AppGeneral } from './settings/AppGeneral';
import { RoleEditor } from './settings/RoleEditor';
import { WorkspaceAccess } from './settings/WorkspaceAccess';
import '../org/org.css';

interface SettingsData {
  app: AppInfo;
  forms: FormInfo[];
  roles: Role[];
  /** null for non-administrators */
  members: Member[] | null;
  /** workspace roles (administrators only) */
  workspaceRoles: Role[];
}

export default function AppSettings({ appId }: { appId: string }) {
  const session = useSession();
  const admin = session.status === 'signedIn' && session.user.admin;
  const [state, reload] = useAsync<SettingsData>(
    async (signal) => {
      const [app, forms, roles, members, all] = await Promise.all([
        get<AppInfo>(`/api/apps/${encodeURIComponent(appId)}`, { signal }),
        loadForms(appId, signal),
        loadRoles(signal, appId),
        admin ? loadMembers(signal) : Promise.resolve(null),
        admin ? loadRoles(signal) : Promise.resolve([]),
      ]);
      return { app, forms, roles: roles.filter((r) => r.appId === appId), members, workspaceRoles: all.filter((r) => r.appId === null) };
    },
    [appId, admin],
  );
  return (
    <div className="org-page stack">
      <Async state={state} onRetry={reload}>
        {(data) => <Settings data={data} admin={admin} reload={reload} />}
      </Async>
    </div>
  );
}

function Settings({ data, admin, reload }: { data: SettingsData; admin: boolean; reload: () => void }) {
  const t = useT();
  const { app, roles } = data;
  // designers of the app see its forms' drafts; with no forms yet the server decides on save
  const canEdit = admin || data.forms.length === 0 || data.forms.some((f) => f.permissions?.design === true);
  const [editing, setEditing] = useState<{ key: number; roleId: string | null } | null>(roles[0] ? { key: 0, roleId: roles[0].id } : null);
  const [nextKey, setNextKey] = useState(1);
  const open = (roleId: string | null) => {
    setEditing({ key: nextKey, roleId });
    setNextKey((k) => k + 1);
  };
  const current = editing?.roleId ? (roles.find((r) => r.id === editing.roleId) ?? null) : null;
  const sorted = [...roles].sort((a, b) => t(a.name).localeCompare(t(b.name)));
  const countOf = (roleId: string) => data.members?.filter((m) => m.roles.includes(roleId)).length;

  return (
    <>
      <div className="row">
        <a className="btn btn-sm" href={href(`/apps/${app.id}`)} onClick={linkHandler(`/apps/${app.id}`)}>
          ← {t({ en: 'Back to app', zh: '返回应用' })}
        </a>
        <h1 style={{ margin: 0 }}>{t({ en: 'Settings of {app}', zh: '{app} 的设置' }, { app: t(app.name) })}</h1>
      </div>
      {!canEdit && (
        <p className="alert alert-info" role="status">
          {t({ en: "Only administrators and this app's designers can change its settings.", zh: '只有管理员和该应用的设计者可以修改应用设置。' })}
        </p>
      )}
      <AppGeneral app={app} canEdit={canEdit} onSaved={reload} />
      {admin && <PackUpgrade appId={app.id} onUpgraded={reload} />}

      <section className="card" aria-label={t({ en: 'Roles and permissions', zh: '角色与权限' })}>
        <div className="row" style={{ marginBottom: 12 }}>
          <h2 style={{ margin: 0 }}>{t({ en: 'Roles and permissions', zh: '角色与权限' })}</h2>
          <span className="spacer" />
          {canEdit && (
            <button type="button" className="btn btn-primary btn-sm" onClick={() => open(null)}>
              {t({ en: 'New role', zh: '新建角色' })}
            </button>
          )}
        </div>
        <div className="org-split">
          <nav aria-label={t({ en: 'App roles', zh: '应用角色' })}>
            {sorted.length === 0 ? (
              <p className="muted">{t({ en: 'This app has no roles yet. A role says who may submit, see or change which records and fields.', zh: '该应用还没有角色。角色决定谁可以提交、查看或修改哪些记录和字段。' })}</p>
            ) : (
              <ul className="org-list card" style={{ padding: 0 }}>
                {sorted.map((r) => (
                  <li key={r.id}>
                    <button type="button" className="org-list-item" aria-current={editing?.roleId === r.id ? 'true' : undefined} onClick={() => open(r.id)}>
                      {t(r.name)}
                      {countOf(r.id) !== undefined && <span className="muted"> · {memberCount(t, countOf(r.id)!)}</span>}
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
                appId={app.id}
                apps={[app]}
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
              sorted.length > 0 && <p className="muted">{t({ en: 'Pick a role to edit its permissions.', zh: '选择一个角色以编辑其权限。' })}</p>
            )}
          </div>
        </div>
      </section>

      {admin && <WorkspaceAccess app={app} roles={data.workspaceRoles} onChanged={reload} />}
    </>
  );
}
