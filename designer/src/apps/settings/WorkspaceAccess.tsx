// Workspace roles that open or design this app (administrators only): each tick is saved at once.
import type { AppGrant } from '@trellis/core';
import { patch } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { ErrorBox } from '@trellis/app/ui/common';
import type { AppInfo, Role } from '../../org/org-data';
import { useAction } from '../../org/ui';
import { grantApps } from './grants';

export function WorkspaceAccess({ app, roles, onChanged }: { app: AppInfo; roles: Role[]; onChanged: () => void }) {
  const t = useT();
  const action = useAction();
  const appName = t(app.name);

  async function set(role: Role, key: keyof AppGrant, on: boolean) {
    const apps = { ...(role.apps ?? {}), [app.id]: { ...role.apps?.[app.id], [key]: on } };
    if (await action.run(() => patch(`/api/roles/${role.id}`, { apps: grantApps(apps), version: role.version }))) onChanged();
  }

  return (
    <section className="card" aria-label={t({ en: 'Workspace roles with access', zh: '拥有访问权限的工作区角色' })}>
      <h2>{t({ en: 'Workspace roles with access', zh: '拥有访问权限的工作区角色' })}</h2>
      <p className="muted perm-note">
        {t({ en: 'Workspace roles reach across apps. Tick Design to let a role’s members change this app, its forms and its roles. Changes are saved at once.', zh: '工作区角色可跨应用授权。勾选“设计”后，该角色的成员可以修改此应用、其表单和应用角色。修改立即保存。' })}
      </p>
      {action.error !== null && <ErrorBox error={action.error} />}
      {roles.length === 0 ? (
        <p className="muted">{t({ en: 'There are no workspace roles. Create them on the Roles page.', zh: '还没有工作区角色，可在“角色”页创建。' })}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t({ en: 'Role', zh: '角色' })}</th>
              <th scope="col">{t({ en: 'Open', zh: '打开' })}</th>
              <th scope="col">{t({ en: 'Design', zh: '设计' })}</th>
            </tr>
          </thead>
          <tbody>
            {roles.map((r) => {
              const g = r.apps?.[app.id] ?? {};
              const name = t(r.name);
              return (
                <tr key={r.id}>
                  <th scope="row">{name}</th>
                  <td>
                    <input type="checkbox" disabled={action.busy} aria-label={t({ en: '{role} may open {app}', zh: '{role} 可打开 {app}' }, { role: name, app: appName })} checked={g.open === true} onChange={(e) => void set(r, 'open', e.target.checked)} />
                  </td>
                  <td>
                    <input type="checkbox" disabled={action.busy} aria-label={t({ en: '{role} may design {app}', zh: '{role} 可设计 {app}' }, { role: name, app: appName })} checked={g.design === true} onChange={(e) => void set(r, 'design', e.target.checked)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
