// One department: rename (en/zh), move under another parent, set the leader, delete; its members.
import { useState, type FormEvent } from 'react';
import { del, patch } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { ErrorBox } from '@trellis/app/ui/common';
import { labelParts, partsToLabel, subtreeIds, treeRows, type Department, type Member } from './org-data';
import { LabelFields, useAction } from './ui';

interface Props {
  dept: Department;
  departments: Department[];
  members: Member[];
  admin: boolean;
  onAddChild: () => void;
  onChanged: () => void;
  onDeleted: () => void;
}

export function DepartmentPanel({ dept, departments, members, admin, onAddChild, onChanged, onDeleted }: Props) {
  const t = useT();
  const [name, setName] = useState(labelParts(dept.name));
  const [parentId, setParentId] = useState(dept.parentId ?? '');
  const [leaderId, setLeaderId] = useState(dept.leaderId ?? '');
  const [below, setBelow] = useState(false);
  const [saved, setSaved] = useState(false);
  // kept here, not taken from a reload, so the panel (and its message) stays while the tree refreshes
  const [version, setVersion] = useState(dept.version);
  const save = useAction();
  const remove = useAction();
  // a department cannot move under itself or anything below it
  const blocked = subtreeIds(departments, dept.id);
  const parents = treeRows(departments).filter((r) => !blocked.has(r.dept.id));
  const internal = members.filter((m) => !m.partner && (m.status === 'active' || m.id === dept.leaderId)).sort((a, b) => a.name.localeCompare(b.name));
  const reach = below ? subtreeIds(departments, dept.id) : new Set([dept.id]);
  const inDept = members.filter((m) => m.departments.some((d) => reach.has(d))).sort((a, b) => a.name.localeCompare(b.name));
  const title = t(dept.name);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const ok = await save.run(async () => {
      const next = await patch<Department>(`/api/departments/${dept.id}`, { name: partsToLabel(name), parentId: parentId || null, leaderId: leaderId || null, version });
      setVersion(next.version);
    });
    if (ok) {
      setSaved(true);
      onChanged();
    }
  }

  async function destroy() {
    if (await remove.run(() => del(`/api/departments/${dept.id}`))) onDeleted();
  }

  return (
    <>
      <section className="card" aria-label={t({ en: 'Department {name}', zh: '部门 {name}' }, { name: title })}>
        <div className="row" style={{ marginBottom: 12 }}>
          <h2 style={{ margin: 0 }}>{title}</h2>
          <span className="spacer" />
          {admin && (
            <>
              <button type="button" className="btn btn-sm" onClick={onAddChild}>{t({ en: 'Add child department', zh: '添加子部门' })}</button>
              <button type="button" className="btn btn-sm" disabled={remove.busy} onClick={() => void destroy()}>{t({ en: 'Delete department', zh: '删除部门' })}</button>
            </>
          )}
        </div>
        {remove.error !== null && <ErrorBox error={remove.error} />}
        <form onSubmit={submit}>
          <fieldset disabled={!admin} style={{ border: 'none', padding: 0, margin: 0 }}>
            <LabelFields value={name} onChange={setName} what={{ en: 'Name', zh: '名称' }} />
            <div className="org-two">
              <div className="field">
                <label htmlFor="dept-parent">{t({ en: 'Parent department', zh: '上级部门' })}</label>
                <select id="dept-parent" value={parentId} onChange={(e) => setParentId(e.target.value)}>
                  <option value="">{t({ en: '(top level)', zh: '（顶级）' })}</option>
                  {parents.map((r) => (
                    <option key={r.dept.id} value={r.dept.id}>{'\u2003'.repeat(r.depth) + t(r.dept.name)}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="dept-leader">{t({ en: 'Leader', zh: '负责人' })}</label>
                <select id="dept-leader" value={leaderId} onChange={(e) => setLeaderId(e.target.value)}>
                  <option value="">{t({ en: '(no leader)', zh: '（无负责人）' })}</option>
                  {internal.map((m) => (
                    <option key={m.id} value={m.id}>{`${m.name} <${m.email}>`}</option>
                  ))}
                </select>
                <div className="help">{t({ en: 'Approvals addressed to “the department leader” go to this person.', zh: '发给“部门负责人”的审批将由此人处理。' })}</div>
              </div>
            </div>
            {save.error !== null && <ErrorBox error={save.error} />}
            {saved && <p className="alert alert-success" role="status">{t({ en: 'Department saved.', zh: '部门已保存。' })}</p>}
            {admin && (
              <div className="row">
                <span className="spacer" />
                <button type="submit" className="btn btn-primary" disabled={save.busy}>{t({ en: 'Save department', zh: '保存部门' })}</button>
              </div>
            )}
          </fieldset>
        </form>
      </section>
      <section className="card" aria-label={t({ en: 'Members of {name}', zh: '{name} 的成员' }, { name: title })}>
        <div className="row">
          <h3 style={{ margin: 0 }}>{t({ en: 'Members', zh: '成员' })} <span className="muted">({inDept.length})</span></h3>
          <span className="spacer" />
          <label className="org-check">
            <input type="checkbox" checked={below} onChange={(e) => setBelow(e.target.checked)} />
            {t({ en: 'Include departments below', zh: '包含下级部门' })}
          </label>
        </div>
        {inDept.length === 0 ? (
          <p className="muted">{t({ en: 'Nobody is in this department. Add people on the Members page.', zh: '该部门暂无成员，可在“成员”页添加。' })}</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t({ en: 'Name', zh: '姓名' })}</th>
                <th scope="col">{t({ en: 'Email', zh: '邮箱' })}</th>
                <th scope="col">{t({ en: 'Status', zh: '状态' })}</th>
              </tr>
            </thead>
            <tbody>
              {inDept.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.name}
                    {m.id === dept.leaderId && <span className="tag" style={{ marginLeft: 6 }}>{t({ en: 'Leader', zh: '负责人' })}</span>}
                  </td>
                  <td>{m.email}</td>
                  <td>{m.status === 'active' ? t({ en: 'Active', zh: '正常' }) : t({ en: 'Disabled', zh: '已停用' })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
