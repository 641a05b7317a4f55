// Deleting an app: the store drops the app with its forms and records, then what it leaves behind
// elsewhere goes too: its roles (and users' memberships of them), dashboards, pack install, and per
// form the workflow and its versions, print templates and share links; open tasks of its forms are
// cancelled, so nobody is left with work they cannot open. Instances, notifications and the audit
// log are history and stay. A crash between the two steps leaves only such remains, which nothing
// reads (automations stop at a missing form).
import type { Store } from '../store/port.js';
import type { AccessService } from './access/access-service.js';
import type { FormCatalog } from './form-catalog.js';

/** Deletes the app `appId` and its remains; false when there was no such app. */
export async function deleteAppWithRemains(store: Store, catalog: FormCatalog, access: AccessService, appId: string): Promise<boolean> {
  const formIds = (await store.forms.listByApp(appId)).map((f) => f.id);
  if (!(await store.apps.delete(appId))) return false;
  catalog.forgetApp(appId);
  if (await removeAppRemains(store, appId, formIds)) await access.changed();
  return true;
}

/** Removes the remains of the deleted app `appId`, whose forms were `formIds`; true when roles went (access must be reloaded). */
async function removeAppRemains(store: Store, appId: string, formIds: readonly string[]): Promise<boolean> {
  const { entities } = store;
  const now = new Date().toISOString();
  const users = await entities.list('user');
  const roles = await entities.list('role', { ref: appId });
  for (const r of roles) await entities.delete('role', r.id);
  const goneRoles = new Set(roles.map((r) => r.id));
  for (const u of users) {
    if (!u.roles.some((id) => goneRoles.has(id))) continue;
    await entities.update('user', { ...u, roles: u.roles.filter((id) => !goneRoles.has(id)), version: u.version + 1, updatedAt: now }, null);
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
  for (const u of users) {
    for (const status of ['open', 'waiting'] as const) {
      for (const t of await entities.list('task', { ref: `${u.id}:${status}` })) {
        if (forms.has(t.formId)) await entities.update('task', { ...t, status: 'cancelled', decidedAt: now }, null);
      }
    }
  }
  return roles.length > 0;
}
