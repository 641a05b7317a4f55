// Add or edit a member: name, e-mail, initial password (new members), departments, roles,
// administrator, and the partner record of an external user.
import { useState, type FormEvent } from 'react';
import type { Partner, UserInput } from '@trellis/core';
import { patch, post } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { ErrorBox } from '@trellis/app/ui/common';
import { treeRows, type Member } from './org-data';
import type { OrgData } from './MembersPage';
import { PartnerPicker } from './PartnerPicker';
import { CheckList, Modal, useAction } from './ui';

export function MemberForm({ data, member, onClose, onSaved }: { data: OrgData; member: Member | null; onClose: () => void; onSaved: (m: Member) => void }) {
  const t = useT();
  const [name, setName] = useState(member?.name ?? '');
  const [email, setEmail] = useState(member?.email ?? '');
  const [password, setPassword] = useState('');
  const [departments, setDepartments] = useState<string[]>(member?.departments ?? []);
  const [roles, setRoles] = useState<string[]>(member?.roles ?? []);
  const [admin, setAdmin] = useState(member?.admin ?? false);
  const [partner, setPartner] = useState<Partner | null>(member?.partner ?? null);
  const [external, setExternal] = useState(member?.partner != null);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();
  const appName = new Map(data.apps.map((a) => [a.id, t(a.name)]));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    if (external && !partner) return setProblem(t({ en: 'Pick the partner record this external user acts for, or clear “External user”.', zh: '请选择该外部用户代表的合作方记录，或取消“外部用户”。' }));
    const body: Partial<UserInput> = {
      name: name.trim(), email: email.trim(), departments, roles,
      admin: external ? false : admin,
      partner: external ? partner : null,
    };
    if (!member && password) body.password = password;
    await action.run(async () => {
      const saved = member ? await patch<Member>(`/api/users/${member.id}`, { ...body, version: member.version }) : await post<Member>('/api/users', body);
      onSaved(saved);
    });
  }

  const title = member ? t({ en: 'Edit member', zh: '编辑成员' }) : t({ en: 'Add member', zh: '添加成员' });
  return (
    <Modal title={title} onClose={onClose} wide>
      <form onSubmit={submit}>
        <div className="org-two">
          <div className="field">
            <label htmlFor="member-name" className="required">{t({ en: 'Name', zh: '姓名' })}</label>
            <input id="member-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="member-email" className="required">{t({ en: 'Email', zh: '邮箱' })}</label>
            <input id="member-email" type="email" required maxLength={254} autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
        </div>
        {!member && (
          <div className="field">
            <label htmlFor="member-password">{t({ en: 'Initial password', zh: '初始密码' })}</label>
            <input id="member-password" type="password" minLength={8} maxLength={200} autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby="member-password-help" />
            <div className="help" id="member-password-help">
              {t({ en: 'At least 8 characters. Leave empty and the member cannot sign in until you set one.', zh: '至少 8 个字符。留空则该成员在设置密码前无法登录。' })}
            </div>
          </div>
        )}
        <div className="org-two">
          <CheckList
            legend={t({ en: 'Departments', zh: '部门' })}
            options={treeRows(data.departments).map((r) => ({ value: r.dept.id, label: t(r.dept.name), depth: r.depth }))}
            value={departments}
            onChange={setDepartments}
            empty={t({ en: 'No departments yet: add them on the Departments page.', zh: '还没有部门，请在“部门”页添加。' })}
          />
          <CheckList
            legend={t({ en: 'Roles', zh: '角色' })}
            options={data.roles.map((r) => ({ value: r.id, label: t(r.name), note: r.appId ? (appName.get(r.appId) ?? r.appId) : t({ en: 'Workspace', zh: '工作区' }) }))}
            value={roles}
            onChange={setRoles}
            empty={t({ en: 'No roles yet: add them on the Roles page.', zh: '还没有角色，请在“角色”页添加。' })}
          />
        </div>
        <div className="field">
          <label className="org-check">
            <input type="checkbox" checked={admin && !external} disabled={external} onChange={(e) => setAdmin(e.target.checked)} />
            {t({ en: 'Administrator (every permission in the workspace)', zh: '管理员（拥有工作区全部权限）' })}
          </label>
        </div>
        <div className="field">
          <label className="org-check">
            <input type="checkbox" checked={external} onChange={(e) => setExternal(e.target.checked)} />
            {t({ en: 'External user (supplier or customer)', zh: '外部用户（供应商或客户）' })}
          </label>
          {external && <PartnerPicker apps={data.apps} value={partner} onChange={setPartner} />}
        </div>
        {problem && <p className="alert" role="alert">{problem}</p>}
        {action.error !== null && <ErrorBox error={action.error} />}
        <div className="row" style={{ marginTop: 12 }}>
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>{t({ en: 'Cancel', zh: '取消' })}</button>
          <button type="submit" className="btn btn-primary" disabled={action.busy}>
            {action.busy ? t({ en: 'Saving…', zh: '保存中…' }) : member ? t({ en: 'Save member', zh: '保存成员' }) : t({ en: 'Add member', zh: '添加成员' })}
          </button>
        </div>
      </form>
    </Modal>
  );
}
