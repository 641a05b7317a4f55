// The department tree: expand and collapse, add top-level and child departments; the selected
// department is renamed, moved, given a leader or deleted in the panel beside the tree.
import { useState, type FormEvent } from 'react';
import { post } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { useSession } from '@trellis/app/lib/session';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async, ErrorBox } from '@trellis/app/ui/common';
import { DepartmentPanel } from './DepartmentPanel';
import { loadDepartments, loadMembers, partsToLabel, treeRows, type Department, type Member } from './org-data';
import { LabelFields, Modal, useAction } from './ui';
import './org.css';

export default function DepartmentsPage() {
  const t = useT();
  const session = useSession();
  const admin = session.status === 'signedIn' && session.user.admin;
  const [state, reload] = useAsync(async (signal) => {
    const [departments, members] = await Promise.all([loadDepartments(signal), loadMembers(signal)]);
    return { departments, members };
  }, []);
  return (
    <div className="org-page">
      <h1>{t({ en: 'Departments', zh: '部门' })}</h1>
      {!admin && (
        <p className="alert alert-info" role="status">
          {t({ en: 'Only administrators can change departments; you can look at the tree.', zh: '只有管理员可以修改部门；你可以查看部门结构。' })}
        </p>
      )}
      <Async state={state} onRetry={reload}>
        {(d) => <Departments departments={d.departments} members={d.members} admin={admin} reload={reload} />}
      </Async>
    </div>
  );
}

function Departments({ departments, members, admin, reload }: { departments: Department[]; members: Member[]; admin: boolean; reload: () => void }) {
  const t = useT();
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(departments[0]?.id ?? null);
  const [adding, setAdding] = useState<{ parentId: string | null } | null>(null);
  const rows = treeRows(departments, collapsed);
  const current = departments.find((d) => d.id === selected) ?? null;
  const toggle = (id: string) =>
    setCollapsed((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="org-split">
      <section className="card" aria-label={t({ en: 'Department tree', zh: '部门树' })}>
        <div className="row">
          <h2 style={{ margin: 0 }}>{t({ en: 'Tree', zh: '结构' })}</h2>
          <span className="spacer" />
          {admin && (
            <button type="button" className="btn btn-sm btn-primary" onClick={() => setAdding({ parentId: null })}>
              {t({ en: 'Add department', zh: '添加部门' })}
            </button>
          )}
        </div>
        {departments.length === 0 && <p className="muted">{t({ en: 'No departments yet.', zh: '还没有部门。' })}</p>}
        <ul className="org-tree">
          {rows.map(({ dept, depth, hasChildren }) => {
            const name = t(dept.name);
            const open = !collapsed.has(dept.id);
            return (
              <li key={dept.id} style={{ paddingLeft: depth * 20 }}>
                {hasChildren ? (
                  <button
                    type="button"
                    className="org-tree-toggle"
                    aria-expanded={open}
                    aria-label={open ? t({ en: 'Collapse {name}', zh: '收起 {name}' }, { name }) : t({ en: 'Expand {name}', zh: '展开 {name}' }, { name })}
                    onClick={() => toggle(dept.id)}
                  >
                    {open ? '▾' : '▸'}
                  </button>
                ) : (
                  <span className="org-tree-spacer" aria-hidden="true" />
                )}
                <button type="button" className="org-tree-name" aria-current={dept.id === selected ? 'true' : undefined} onClick={() => setSelected(dept.id)}>
                  {name}
                  <span className="muted"> · {members.filter((m) => m.departments.includes(dept.id)).length}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      <div className="stack">
        {current ? (
          <DepartmentPanel
            key={current.id}
            dept={current}
            departments={departments}
            members={members}
            admin={admin}
            onAddChild={() => setAdding({ parentId: current.id })}
            onChanged={reload}
            onDeleted={() => {
              setSelected(current.parentId);
              reload();
            }}
          />
        ) : (
          departments.length > 0 && <p className="muted">{t({ en: 'Pick a department in the tree.', zh: '请在左侧选择一个部门。' })}</p>
        )}
      </div>
      {adding && (
        <AddDepartment
          parent={departments.find((d) => d.id === adding.parentId) ?? null}
          onClose={() => setAdding(null)}
          onSaved={(d) => {
            setAdding(null);
            if (d.parentId) setCollapsed((s) => new Set([...s].filter((x) => x !== d.parentId)));
            setSelected(d.id);
            reload();
          }}
        />
      )}
    </div>
  );
}

function AddDepartment({ parent, onClose, onSaved }: { parent: Department | null; onClose: () => void; onSaved: (d: Department) => void }) {
  const t = useT();
  const [name, setName] = useState({ en: '', zh: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    if (!name.en.trim() && !name.zh.trim()) return setProblem(t({ en: 'Give the department a name.', zh: '请填写部门名称。' }));
    await action.run(async () => onSaved(await post<Department>('/api/departments', { name: partsToLabel(name), parentId: parent?.id ?? null })));
  }
  const title = parent ? t({ en: 'Add a department under {name}', zh: '在 {name} 下添加部门' }, { name: t(parent.name) }) : t({ en: 'Add department', zh: '添加部门' });
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={submit}>
        <LabelFields value={name} onChange={setName} what={{ en: 'Name', zh: '名称' }} />
        {problem && <p className="alert" role="alert">{problem}</p>}
        {action.error !== null && <ErrorBox error={action.error} />}
        <div className="row">
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>{t({ en: 'Cancel', zh: '取消' })}</button>
          <button type="submit" className="btn btn-primary" disabled={action.busy}>{t({ en: 'Create department', zh: '创建部门' })}</button>
        </div>
      </form>
    </Modal>
  );
}
