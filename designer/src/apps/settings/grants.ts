// A role's grants as the editor holds them (every form → a list of groups) and back to the
// shape the roles API takes (one group as an object, several as an array, none left out).
import { FORM_ACTIONS, type AppGrant, type FormAction, type FormGrant, type Logic, type RoleInput, type Scope } from '@trellis/core';
import type { Msg } from '@trellis/app/lib/i18n';

export type ScopeKind = 'own' | 'department' | 'departmentTree' | 'all' | 'custom';

/** One permission group while it is edited: a custom scope may still lack its condition. */
export interface GroupDraft {
  actions: FormAction[];
  scope: ScopeKind;
  condition: Logic | undefined;
  fields: Record<string, 'hidden' | 'readOnly'>;
}

export const ACTION_LABELS: Record<FormAction, Msg> = {
  submit: { en: 'Submit', zh: '提交' },
  view: { en: 'View', zh: '查看' },
  edit: { en: 'Edit', zh: '编辑' },
  delete: { en: 'Delete', zh: '删除' },
  export: { en: 'Export', zh: '导出' },
  manage: { en: 'Manage', zh: '管理' },
};

export const ACTION_HELP: Record<FormAction, Msg> = {
  submit: { en: 'fill in and send new records', zh: '填写并提交新记录' },
  view: { en: 'see records in the scope', zh: '查看范围内的记录' },
  edit: { en: 'change records in the scope', zh: '修改范围内的记录' },
  delete: { en: 'delete records in the scope', zh: '删除范围内的记录' },
  export: { en: 'download records in the scope', zh: '导出范围内的记录' },
  manage: { en: 'everything on every record, and changing the form', zh: '对所有记录的全部操作，并可修改表单' },
};

export const SCOPE_LABELS: Record<ScopeKind, Msg> = {
  own: { en: 'Own records', zh: '本人提交的' },
  department: { en: 'My department', zh: '本部门' },
  departmentTree: { en: 'My department and below', zh: '本部门及下级部门' },
  all: { en: 'All records', zh: '全部记录' },
  custom: { en: 'Custom condition', zh: '自定义条件' },
};

export const ACTIONS: readonly FormAction[] = FORM_ACTIONS;

export function toDraft(g: FormGrant): GroupDraft {
  const s: Scope = g.scope ?? 'all';
  return {
    actions: [...g.actions],
    scope: typeof s === 'object' ? 'custom' : s,
    condition: typeof s === 'object' ? s.condition : undefined,
    fields: { ...(g.fields ?? {}) },
  };
}

export const emptyGroup = (): GroupDraft => ({ actions: [], scope: 'all', condition: undefined, fields: {} });

export function draftForms(forms: RoleInput['forms']): Record<string, GroupDraft[]> {
  const out: Record<string, GroupDraft[]> = {};
  for (const [formId, g] of Object.entries(forms ?? {})) out[formId] = (Array.isArray(g) ? g : [g]).map(toDraft);
  return out;
}

/** A problem a group has before it can be saved, as a message for the user. */
export function groupProblem(g: GroupDraft): Msg | null {
  if (g.actions.length === 0) return { en: 'Tick at least one action, or remove the group.', zh: '请至少勾选一项操作，或删除此权限组。' };
  if (g.scope === 'custom' && (g.condition === undefined || g.condition === null)) return { en: 'Build the custom condition, or pick another data scope.', zh: '请设置自定义条件，或选择其他数据范围。' };
  return null;
}

function toGrant(g: GroupDraft): FormGrant {
  const grant: FormGrant = { actions: ACTIONS.filter((a) => g.actions.includes(a)) };
  grant.scope = g.scope === 'custom' ? { condition: g.condition ?? null } : g.scope;
  const fields = Object.fromEntries(Object.entries(g.fields).filter(([, v]) => v === 'hidden' || v === 'readOnly'));
  if (Object.keys(fields).length > 0) grant.fields = fields;
  return grant;
}

export function grantForms(forms: Record<string, GroupDraft[]>): NonNullable<RoleInput['forms']> {
  const out: NonNullable<RoleInput['forms']> = {};
  for (const [formId, groups] of Object.entries(forms)) {
    if (groups.length === 0) continue;
    out[formId] = groups.length === 1 ? toGrant(groups[0]!) : groups.map(toGrant);
  }
  return out;
}

/** apps map without empty grants */
export function grantApps(apps: Record<string, AppGrant>): Record<string, AppGrant> {
  const out: Record<string, AppGrant> = {};
  for (const [appId, g] of Object.entries(apps)) {
    const next: AppGrant = {};
    if (g.open) next.open = true;
    if (g.design) next.design = true;
    if (next.open || next.design) out[appId] = next;
  }
  return out;
}
