// Edit one role: its name, which apps it opens or designs, its permissions on forms, and its
// members. "Save role" writes the role (POST or PATCH with its version), then the members.
import { useState } from 'react';
import type { AppGrant, RoleInput } from '@trellis/core';
import { del, patch, post } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async, ErrorBox } from '@trellis/app/ui/common';
import { labelParts, loadForms, partsToLabel, type AppInfo, type Member, type Role } from '../../org/org-data';
import { LabelFields, useAction } from '../../org/ui';
import { FormPermissions } from './FormPermissions';
import { draftForms, grantApps, grantForms, groupProblem, type GroupDraft } from './grants';
import { RoleMembers } from './RoleMembers';
import './settings.css';

interface Props {
  /** null: a new role */
  role: Role | null;
  /** for a new role: the app it belongs to (null: a workspace role) */
  appId: string | null;
  /** apps the viewer can see: those a workspace role may be granted */
  apps: AppInfo[];
  /** null when the viewer is no administrator */
  members: Member[] | null;
  onSaved: (role: Role) => void;
  onDeleted: () => void;
}

export function RoleEditor({ role, appId: newAppId, apps, members, onSaved, onDeleted }: Props) {
  const t = useT();
  const [saved, setSaved] = useState<{ id: string; version: number } | null>(role ? { id: role.id, version: role.version } : null);
  const appId = role ? role.appId : newAppId;
  const [name, setName] = useState(labelParts(role?.name));
  const [description, setDescription] = useState(labelParts(role?.description));
  const [appGrants, setAppGrants] = useState<Record<string, AppGrant>>(role?.apps ?? (newAppId ? { [newAppId]: { open: true } } : {}));
  const [forms, setForms] = useState<Record<string, GroupDraft[]>>(draftForms(role?.forms));
  const [memberIds, setMemberIds] = useState<string[]>(() => (role && members ? members.filter((m) => m.roles.includes(role.id)).map((m) => m.id) : []));
  const [formsApp, setFormsApp] = useState<string>(appId ?? apps[0]?.id ?? '');
  const [showProblems, setShowProblems] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const save = useAction();
  const remove = useAction();
  const grantableApps = appId ? apps.filter((a) => a.id === appId) : apps;

  async function submit() {
    setProblem(null);
    setNotice(null);
    if (!name.en.trim() && !name.zh.trim()) return setProblem(t({ en: 'Give the role a name.', zh: '请填写角色名称。' }));
    if (Object.values(forms).some((groups) => groups.some((g) => groupProblem(g) !== null))) {
      setShowProblems(true);
      return setProblem(t({ en: 'Some permission groups are incomplete: see the messages below.', zh: '部分权限组不完整，请查看下方提示。' }));
    }
    const body: RoleInput = { name: partsToLabel(name), apps: grantApps(appGrants), forms: grantForms(forms) };
    const desc = partsToLabel(description);
    if (desc !== '') body.description = desc;
    else if (role?.description !== undefined) body.description = '';
    await save.run(async () => {
      const result = saved
        ? await patch<Role>(`/api/roles/${saved.id}`, { ...body, version: saved.version })
        : await post<Role>('/api/roles', { ...body, appId });
      setSaved({ id: result.id, version: result.version });
      await saveMembers(result.id);
      setShowProblems(false);
      setNotice(t({ en: 'Role saved.', zh: '角色已保存。' }));
      onSaved(result);
    });
  }

  // roles live on users: give the role to those added, take it from those removed
  async function saveMembers(roleId: string) {
    if (!members) return;
    for (const m of members) {
      const should = memberIds.includes(m.id);
      if (should === m.roles.includes(roleId)) continue;
      const roles = should ? [...m.roles, roleId] : m.roles.filter((r) => r !== roleId);
      await patch(`/api/users/${m.id}`, { roles, version: m.version });
    }
  }

  async function destroy() {
    if (!saved) return onDeleted();
    if (await remove.run(() => del(`/api/roles/${saved.id}`))) onDeleted();
  }

  const setApp = (id: string, key: 'open' | 'design', on: boolean) => setAppGrants((g) => ({ ...g, [id]: { ...g[id], [key]: on } }));

  return (
    // not a <form>: the condition builder inside has buttons of its own, which must never save the role
    <div role="form" className="card stack role-editor" aria-label={t({ en: 'Role editor', zh: '角色编辑' })}>
      <div className="row">
        <h2 style={{ margin: 0 }}>{saved ? t(partsToLabel(name)) || t({ en: 'Role', zh: '角色' }) : t({ en: 'New role', zh: '新角色' })}</h2>
        <span className="tag">{appId ? t({ en: 'App role', zh: '应用角色' }) : t({ en: 'Workspace role', zh: '工作区角色' })}</span>
      </div>
      <LabelFields value={name} onChange={setName} what={{ en: 'Role name', zh: '角色名称' }} />
      <LabelFields value={description} onChange={setDescription} what={{ en: 'Description', zh: '说明' }} />

      <section aria-label={t({ en: 'App access', zh: '应用权限' })}>
        <h3>{t({ en: 'App access', zh: '应用权限' })}</h3>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t({ en: 'App', zh: '应用' })}</th>
              <th scope="col">{t({ en: 'Open', zh: '打开' })}</th>
              <th scope="col">{t({ en: 'Design', zh: '设计' })}</th>
            </tr>
          </thead>
          <tbody>
            {grantableApps.map((a) => {
              const label = t(a.name);
              const g = appGrants[a.id] ?? {};
              return (
                <tr key={a.id}>
                  <th scope="row">{a.icon ? `${a.icon} ` : ''}{label}</th>
                  <td>
                    <input type="checkbox" aria-label={t({ en: 'Open {app}', zh: '打开 {app}' }, { app: label })} checked={g.open === true} onChange={(e) => setApp(a.id, 'open', e.target.checked)} />
                  </td>
                  <td>
                    <input type="checkbox" aria-label={t({ en: 'Design {app}', zh: '设计 {app}' }, { app: label })} checked={g.design === true} onChange={(e) => setApp(a.id, 'design', e.target.checked)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="muted perm-note">
          {t({ en: 'Open: see the app (any permission on one of its forms opens it too). Design: change the app, its forms and its roles.', zh: '打开：可看到该应用（拥有其任一表单的权限也可打开）。设计：可修改应用、表单和应用角色。' })}
        </p>
      </section>

      <section aria-label={t({ en: 'Form permissions', zh: '表单权限' })}>
        <div className="row">
          <h3 style={{ margin: 0 }}>{t({ en: 'Form permissions', zh: '表单权限' })}</h3>
          <span className="spacer" />
          {!appId && grantableApps.length > 0 && (
            <div className="field" style={{ margin: 0, minWidth: 240 }}>
              <label htmlFor="role-forms-app" className="sr-only">{t({ en: 'Forms of app', zh: '应用的表单' })}</label>
              <select id="role-forms-app" value={formsApp} onChange={(e) => setFormsApp(e.target.value)}>
                {grantableApps.map((a) => (
                  <option key={a.id} value={a.id}>{t(a.name)}</option>
                ))}
              </select>
            </div>
          )}
        </div>
        {formsApp ? (
          <AppForms appId={formsApp} value={forms} onChange={(formId, groups) => setForms((f) => ({ ...f, [formId]: groups }))} showProblems={showProblems} />
        ) : (
          <p className="muted">{t({ en: 'There are no apps yet.', zh: '还没有应用。' })}</p>
        )}
      </section>

      <section aria-label={t({ en: 'Members', zh: '成员' })}>
        <h3>{t({ en: 'Members', zh: '成员' })}</h3>
        <RoleMembers members={members} value={memberIds} onChange={setMemberIds} />
      </section>

      {problem && <p className="alert" role="alert">{problem}</p>}
      {save.error !== null && <ErrorBox error={save.error} />}
      {remove.error !== null && <ErrorBox error={remove.error} />}
      {notice && <p className="alert alert-success" role="status">{notice}</p>}
      <div className="row">
        {saved && !confirmDelete && (
          <button type="button" className="btn" onClick={() => setConfirmDelete(true)}>{t({ en: 'Delete role', zh: '删除角色' })}</button>
        )}
        {confirmDelete && (
          <>
            <span>{t({ en: 'Delete this role? Its members lose it at once.', zh: '删除此角色？其成员将立即失去该角色。' })}</span>
            <button type="button" className="btn btn-danger" disabled={remove.busy} onClick={() => void destroy()}>{t({ en: 'Yes, delete role', zh: '确认删除' })}</button>
            <button type="button" className="btn" onClick={() => setConfirmDelete(false)}>{t({ en: 'Keep role', zh: '保留' })}</button>
          </>
        )}
        <span className="spacer" />
        <button type="button" className="btn btn-primary" disabled={save.busy} onClick={() => void submit()}>
          {save.busy ? t({ en: 'Saving…', zh: '保存中…' }) : t({ en: 'Save role', zh: '保存角色' })}
        </button>
      </div>
    </div>
  );
}

function AppForms({ appId, value, onChange, showProblems }: { appId: string; value: Record<string, GroupDraft[]>; onChange: (formId: string, groups: GroupDraft[]) => void; showProblems: boolean }) {
  const [state, reload] = useAsync((signal) => loadForms(appId, signal), [appId]);
  return (
    <Async state={state} onRetry={reload}>
      {(forms) => <FormPermissions forms={forms} value={value} onChange={onChange} showProblems={showProblems} />}
    </Async>
  );
}
