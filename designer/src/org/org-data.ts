// Shapes of the organisation as the API answers them (server/src/http/schemas.ts), and the
// loaders the members, departments, roles and app settings screens share.
import type { Field, FormDefinition, Label, Partner, RoleInput } from '@trellis/core';
import { get } from '@trellis/app/lib/api';

export interface Member {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
  admin: boolean;
  departments: string[];
  roles: string[];
  partner: Partner | null;
  hasPassword: boolean;
  version: number;
}

export interface Department {
  id: string;
  name: Label;
  parentId: string | null;
  leaderId: string | null;
  order: number;
  version: number;
}

export type Role = RoleInput & { id: string; appId: string | null; version: number };

export interface AppInfo {
  id: string;
  name: Label;
  description?: Label;
  icon?: string;
  color?: string;
  version: number;
}

/** A form as GET /api/apps/:appId/forms answers it (designers get the draft). */
export interface FormInfo {
  id: string;
  appId: string;
  draft: FormDefinition | null;
  published?: { version: number; definition: FormDefinition } | null;
  permissions?: { design: boolean; actions: string[] };
}

/** The form's name and top-level fields: the draft's, plus fields only the published version still has. */
export function formShape(f: FormInfo): { name: Label; fields: Field[]; titleField?: string } {
  const draft = f.draft ?? f.published?.definition;
  const fields = [...(draft?.fields ?? [])];
  for (const pf of f.published?.definition.fields ?? []) if (!fields.some((x) => x.key === pf.key)) fields.push(pf);
  return { name: draft?.name ?? f.id, fields, titleField: draft?.titleField };
}

export const loadForms = (appId: string, signal?: AbortSignal) =>
  get<{ items: FormInfo[] }>(`/api/apps/${encodeURIComponent(appId)}/forms`, { signal }).then((r) => r.items);

export const loadMembers = (signal?: AbortSignal) => get<{ items: Member[] }>('/api/users', { signal }).then((r) => r.items);
export const loadDepartments = (signal?: AbortSignal) => get<{ items: Department[] }>('/api/departments', { signal }).then((r) => r.items);
export const loadRoles = (signal?: AbortSignal, appId?: string) =>
  get<{ items: Role[] }>(`/api/roles${appId ? `?appId=${encodeURIComponent(appId)}` : ''}`, { signal }).then((r) => r.items);
export const loadApps = (signal?: AbortSignal) => get<{ items: AppInfo[] }>('/api/apps', { signal }).then((r) => r.items);

/** A department and its depth, in tree order (parents before children, siblings by `order`). */
export interface TreeRow {
  dept: Department;
  depth: number;
  hasChildren: boolean;
}

export function childrenByParent(depts: readonly Department[]): Map<string | null, Department[]> {
  const ids = new Set(depts.map((d) => d.id));
  const map = new Map<string | null, Department[]>();
  for (const d of depts) {
    // a parent that no longer exists: show the department at the top rather than lose it
    const parent = d.parentId && ids.has(d.parentId) ? d.parentId : null;
    map.set(parent, [...(map.get(parent) ?? []), d]);
  }
  for (const list of map.values()) list.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return map;
}

/** The tree flattened in display order; children of a collapsed department are left out. */
export function treeRows(depts: readonly Department[], collapsed: ReadonlySet<string> = new Set()): TreeRow[] {
  const children = childrenByParent(depts);
  const out: TreeRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const d of children.get(parent) ?? []) {
      if (seen.has(d.id)) continue; // a cycle in stored data must not hang the screen
      seen.add(d.id);
      const kids = children.get(d.id) ?? [];
      out.push({ dept: d, depth, hasChildren: kids.length > 0 });
      if (!collapsed.has(d.id)) walk(d.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The department and every department below it. */
export function subtreeIds(depts: readonly Department[], id: string): Set<string> {
  const children = childrenByParent(depts);
  const out = new Set<string>([id]);
  const stack = [id];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (!out.has(c.id)) {
        out.add(c.id);
        stack.push(c.id);
      }
    }
  }
  return out;
}

/** A label as editable en/zh texts, and back (empty texts dropped; English alone stays a plain string). */
export function labelParts(label: Label | undefined): { en: string; zh: string } {
  if (label === undefined) return { en: '', zh: '' };
  if (typeof label === 'string') return { en: label, zh: '' };
  return { en: label.en ?? '', zh: label.zh ?? '' };
}

export function partsToLabel(p: { en: string; zh: string }): Label {
  const en = p.en.trim();
  const zh = p.zh.trim();
  if (en && zh) return { en, zh };
  if (zh) return { zh };
  return en;
}
