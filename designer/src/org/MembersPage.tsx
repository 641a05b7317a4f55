// Members of the workspace (administrators only): search, add, edit, disable or enable, reset a password.
import { useState } from 'react';
import { patch } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { useSession } from '@trellis/app/lib/session';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async, ErrorBox } from '@trellis/app/ui/common';
import { loadApps, loadDepartments, loadMembers, loadRoles, type AppInfo, type Department, type Member, type Role } from './org-data';
import { MemberForm } from './MemberForm';
import { PasswordDialog } from './PasswordDialog';
import { memberCount, useAction } from './ui';
import './org.css';

export interface OrgData {
  members: Member[];
  departments: Department[];
  roles: Role[];
  apps: AppInfo[];
}

export default function MembersPage() {
  const t = useT();
  const session = useSession();
  const admin = session.status === 'signedIn' && session.user.admin;
  const [state, reload] = useAsync<OrgData>(
    async (signal) => {
      if (!admin) return { members: [], departments: [], roles: [], apps: [] };
      const [members, departments, roles, apps] = await Promise.all([loadMembers(signal), loadDepartments(signal), loadRoles(signal), loadApps(signal)]);
      return { members, departments, roles, apps };
    },
    [admin],
  );
  if (!admin) {
    return (
      <div className="org-page">
        <h1>{t({ en: 'Members', zh: '成员' })}</h1>
        <p className="alert alert-info" role="status">
          {t({ en: 'Only administrators can manage members. Ask an administrator of the workspace.', zh: '只有管理员可以管理成员，请联系工作区管理员。' })}
        </p>
      </div>
    );
  }
  return (
    <div className="org-page">
      <Async state={state} onRetry={reload}>
        {(data) => <MembersTable data={data} reload={reload} selfId={session.status === 'signedIn' ? session.user.id : ''} />}
      </Async>
    </div>
  );
}

type Dialog = { kind: 'add' } | { kind: 'edit'; member: Member } | { kind: 'password'; member: Member } | null;

function MembersTable({ data, reload, selfId }: { data: OrgData; reload: () => void; selfId: string }) {
  const t = useT();
  const [q, setQ] = useState('');
  const [showDisabled, setShowDisabled] = useState(true);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const deptName = new Map(data.departments.map((d) => [d.id, t(d.name)]));
  const roleName = new Map(data.roles.map((r) => [r.id, t(r.name)]));
  const needle = q.trim().toLowerCase();
  const shown = data.members
    .filter((m) => showDisabled || m.status === 'active')
    .filter((m) => !needle || m.name.toLowerCase().includes(needle) || m.email.includes(needle) || m.departments.some((d) => deptName.get(d)?.toLowerCase().includes(needle)))
    .sort((a, b) => a.name.localeCompare(b.name));

  async function setStatus(m: Member, status: 'active' | 'disabled') {
    setNotice(null);
    const ok = await action.run(() => patch(`/api/users/${m.id}`, { status, version: m.version }));
    if (ok) {
      setNotice(status === 'disabled' ? t({ en: '{name} is disabled and signed out everywhere.', zh: '{name} 已停用，并已在所有设备退出登录。' }, { name: m.name }) : t({ en: '{name} is active again.', zh: '{name} 已重新启用。' }, { name: m.name }));
      reload();
    }
  }

  return (
    <>
      <div className="row">
        <h1>{t({ en: 'Members', zh: '成员' })}</h1>
        <span className="muted">{memberCount(t, data.members.length)}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'add' })}>
          {t({ en: 'Add member', zh: '添加成员' })}
        </button>
      </div>
      <div className="org-toolbar">
        <div className="field">
          <label htmlFor="member-search">{t({ en: 'Search members', zh: '搜索成员' })}</label>
          <input id="member-search" type="search" placeholder={t({ en: 'Name, email or department', zh: '姓名、邮箱或部门' })} value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <label className="org-check">
          <input type="checkbox" checked={showDisabled} onChange={(e) => setShowDisabled(e.target.checked)} />
          {t({ en: 'Show disabled members', zh: '显示已停用成员' })}
        </label>
      </div>
      {action.error !== null && <ErrorBox error={action.error} />}
      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t({ en: 'Name', zh: '姓名' })}</th>
            <th scope="col">{t({ en: 'Email', zh: '邮箱' })}</th>
            <th scope="col">{t({ en: 'Departments', zh: '部门' })}</th>
            <th scope="col">{t({ en: 'Roles', zh: '角色' })}</th>
            <th scope="col">{t({ en: 'Status', zh: '状态' })}</th>
            <th scope="col">{t({ en: 'Actions', zh: '操作' })}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((m) => (
            <tr key={m.id} className={m.status === 'disabled' ? 'org-disabled' : undefined}>
              <td>
                {m.name}
                {m.id === selfId && <span className="muted"> {t({ en: '(you)', zh: '（你）' })}</span>}
              </td>
              <td>{m.email}</td>
              <td>{m.departments.map((d) => deptName.get(d) ?? d).join(', ')}</td>
              <td>{m.roles.map((r) => roleName.get(r) ?? r).join(', ')}</td>
              <td>
                <div className="org-tags">
                  {m.status === 'active' ? <span className="tag tag-success">{t({ en: 'Active', zh: '正常' })}</span> : <span className="tag tag-danger">{t({ en: 'Disabled', zh: '已停用' })}</span>}
                  {m.admin && <span className="tag">{t({ en: 'Admin', zh: '管理员' })}</span>}
                  {m.partner && <span className="tag tag-warning">{t({ en: 'External', zh: '外部' })}</span>}
                  {!m.hasPassword && <span className="tag">{t({ en: 'No password', zh: '未设密码' })}</span>}
                </div>
              </td>
              <td>
                <div className="org-actions">
                  <button type="button" className="btn btn-sm" aria-label={t({ en: 'Edit {name}', zh: '编辑 {name}' }, { name: m.name })} onClick={() => setDialog({ kind: 'edit', member: m })}>
                    {t({ en: 'Edit', zh: '编辑' })}
                  </button>
                  <button type="button" className="btn btn-sm" aria-label={t({ en: 'Reset password of {name}', zh: '重置 {name} 的密码' }, { name: m.name })} onClick={() => setDialog({ kind: 'password', member: m })}>
                    {t({ en: 'Reset password', zh: '重置密码' })}
                  </button>
                  {m.status === 'active' ? (
                    <button type="button" className="btn btn-sm" disabled={action.busy} aria-label={t({ en: 'Disable {name}', zh: '停用 {name}' }, { name: m.name })} onClick={() => void setStatus(m, 'disabled')}>
                      {t({ en: 'Disable', zh: '停用' })}
                    </button>
                  ) : (
                    <button type="button" className="btn btn-sm" disabled={action.busy} aria-label={t({ en: 'Enable {name}', zh: '启用 {name}' }, { name: m.name })} onClick={() => void setStatus(m, 'active')}>
                      {t({ en: 'Enable', zh: '启用' })}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
          {shown.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                {needle ? t({ en: 'No member matches “{q}”.', zh: '没有匹配“{q}”的成员。' }, { q }) : t({ en: 'No members yet.', zh: '还没有成员。' })}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {dialog?.kind === 'add' && (
        <MemberForm data={data} member={null} onClose={() => setDialog(null)} onSaved={(m) => { setDialog(null); setNotice(t({ en: '{name} was added.', zh: '已添加 {name}。' }, { name: m.name })); reload(); }} />
      )}
      {dialog?.kind === 'edit' && (
        <MemberForm data={data} member={dialog.member} onClose={() => setDialog(null)} onSaved={(m) => { setDialog(null); setNotice(t({ en: '{name} was saved.', zh: '已保存 {name}。' }, { name: m.name })); reload(); }} />
      )}
      {dialog?.kind === 'password' && (
        <PasswordDialog member={dialog.member} onClose={() => setDialog(null)} onSaved={() => { setDialog(null); setNotice(t({ en: 'The password of {name} was changed; their sessions were ended.', zh: '{name} 的密码已修改，其登录会话已结束。' }, { name: dialog.member.name })); reload(); }} />
      )}
    </>
  );
}
