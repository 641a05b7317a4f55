// What an app leaves behind outside its forms and records, removed once the app is deleted: its
// roles (and users' memberships of them), dashboards, pack install, and per form the workflow and
// its versions, print templates and share links; open tasks of its forms are cancelled, so nobody
// is left with work they cannot open. Instances, notifications and the audit log are history and
// stay. Run after the app itself is gone: a crash in between leaves only such remains, which the
// next deletion of the same app cannot reach but which nothing reads (automations stop at a
// missing form).
import type { Store } from '../store/port.js';

/** Removes the remains of the deleted app `appId`, whose forms were `formIds`; true when roles went (access must be reloaded). */
export async function removeAppRemains(store: Store, appId: string, formIds: readonly string[]): Promise<boolean> {
  const { entities } = store;
  const roles = await entities.list('role', { ref: appId });
  for (const r of roles) await entities.delete('role', r.id);
  if (roles.length) {
    const gone = new Set(roles.map((r) => r.id));
    const now = new Date().toISOString();
    for (const u of await entities.list('user')) {
      if (!u.roles.some((id) => gone.has(id))) continue;
      await entities.update('user', { ...u, roles: u.roles.filter((id) => !gone.has(id)), version: u.version + 1, updatedAt: now }, null);
    }
  }
  for (const d of await entities.list('dashboard', { ref: appId })) await entities.delete('dashboard', d.id);
  await entities.delete('packInstall', appId);

  const forms = new Set(formIds);
  for (const formId of formIds) {
    await entities.delete('workflow', formId);
    for (const v of await entities.list('workflowVersion', { ref: formId })) await entities.delete('workflowVersion', v.id);
    for (const t of await entities.list('printTemplate', { ref: formId })) await entities.delete('printTemplate', t.id);
    for (const l of await entities.list('shareLink', { ref: formId })) await entities.delete('shareLink', l.id);
  }
  // tasks are listed by person and status: cancel the open and waiting ones on the app's forms
  const now = new Date().toISOString();
  for (const u of await entities.list('user')) {
    for (const status of ['open', 'waiting'] as const) {
      for (const t of await entities.list('task', { ref: `${u.id}:${status}` })) {
        if (forms.has(t.formId)) await entities.update('task', { ...t, status: 'cancelled', decidedAt: now }, null);
      }
    }
  }
  return roles.length > 0;
}
