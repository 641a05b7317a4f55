import {
  fieldType, isFieldType, localisePack,
  type Assignee, type Field, type Label, type Pack, type PackManifest, type PackRecord, type PackRole, type PrintTemplateDefinition, type RekeyTable, type SubField, type WorkflowDefinition,
} from '@trellis/core';
import { notFound } from '../../http/errors.js';
import type { AppEntity, PackInstallEntity, RecordEntity, Store } from '../../store/port.js';

/** Records of one form an export carries at most. */
export const MAX_EXPORT_RECORDS = 10_000;

export interface ExportedApp {
  /** the app as a pack, in pack-local keys */
  pack: Pack;
  /** pack-local key → id of every form, role, dashboard (and record, when exported) */
  keys: { forms: Record<string, string>; roles: Record<string, string>; dashboards: Record<string, string>; records: Record<string, Record<string, string>> };
  install: PackInstallEntity | null;
}

/**
 * Reads an app as a pack: its form drafts (what its designers edit), workflow
 * drafts, roles (the app's own, and workspace roles its workflows assign to,
 * with their grants on this app only), dashboards, print templates and, on request, its records
 * without the values the engine computes. Names become pack-local keys: the
 * keys the app was installed with where it was, else keys made from names.
 */
export async function exportApp(store: Store, appId: string, options: { records?: boolean } = {}): Promise<ExportedApp> {
  const app = await store.apps.get(appId);
  if (!app) throw notFound('App', appId);
  const install = await store.entities.get('packInstall', appId);
  const known = install?.keys;

  const forms = await store.forms.listByApp(appId);
  const formIds = new Set(forms.map((f) => f.id));
  const workflows: Record<string, WorkflowDefinition> = {};
  for (const f of forms) {
    const wf = await store.entities.get('workflow', f.id);
    if (wf && (wf.draft.nodes.length > 0 || (wf.draft.automations ?? []).length > 0)) workflows[f.id] = wf.draft;
  }

  const byAge = <T extends { createdAt: string; id: string }>(list: T[]) => list.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const roles = byAge(await store.entities.list('role', { ref: appId }));
  const assigned = new Set(Object.values(workflows).flatMap(rolesNamedBy));
  for (const id of assigned) {
    if (roles.some((r) => r.id === id)) continue;
    const role = await store.entities.get('role', id);
    if (role) roles.push(role);
  }
  const dashboards = byAge(await store.entities.list('dashboard', { ref: appId }));

  const ids: Pack = {
    manifest: install?.base.manifest ?? manifestOf(app),
    forms: forms.map((f) => ({ key: f.id, definition: f.draft })),
  };
  if (Object.keys(workflows).length) ids.workflows = workflows;
  if (dashboards.length) ids.dashboards = dashboards.map((d) => ({ key: d.id, definition: d.definition }));
  if (roles.length) {
    ids.roles = roles.map((r) => {
      const role: PackRole = { key: r.id, name: r.name };
      if (r.description !== undefined) role.description = r.description;
      const app = r.apps?.[appId];
      if (app) role.app = app;
      const grants = Object.entries(r.forms ?? {}).filter(([formId]) => formIds.has(formId));
      if (grants.length) role.forms = Object.fromEntries(grants);
      return role;
    });
  }
  const printTemplates: NonNullable<Pack['printTemplates']> = {};
  for (const f of forms) {
    const list = byAge(await store.entities.list('printTemplate', { ref: f.id }));
    if (list.length) printTemplates[f.id] = list.map((t) => withoutLogos(t.definition));
  }
  if (Object.keys(printTemplates).length) ids.printTemplates = printTemplates;

  const table = {
    forms: keysFor(forms.map((f) => ({ id: f.id, name: f.draft.name })), known?.forms, 'form'),
    roles: keysFor(roles.map((r) => ({ id: r.id, name: r.name })), known?.roles, 'role'),
    dashboards: keysFor(dashboards.map((d) => ({ id: d.id, name: d.definition.name })), known?.dashboards, 'dashboard'),
    records: {} as Record<string, Record<string, string>>,
  } satisfies RekeyTable;
  if (options.records) {
    ids.records = {};
    for (const f of forms) {
      if (f.publishedVersion === 0) continue;
      const records = await allRecords(store, f.id);
      if (!records.length) continue;
      const fieldsOf = (await store.forms.getVersion(f.id, f.publishedVersion))?.definition.fields ?? f.draft.fields;
      ids.records[f.id] = records.map((r): PackRecord => {
        const out: PackRecord = { key: r.id, data: stored(r.data, fieldsOf) };
        if (r.status !== 'active') out.status = r.status;
        return out;
      });
      const knownRecords = known?.records[table.forms[f.id]!];
      table.records[f.id] = keysFor(records.map((r) => ({ id: r.id, name: '' })), knownRecords, 'r');
    }
  }

  const pack = localisePack(ids, table);
  const invert = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).map(([id, key]) => [key, id]));
  const recordKeys: Record<string, Record<string, string>> = {};
  for (const [formId, t] of Object.entries(table.records)) recordKeys[table.forms[formId]!] = invert(t);
  return { pack, keys: { forms: invert(table.forms), roles: invert(table.roles), dashboards: invert(table.dashboards), records: recordKeys }, install };
}

/** Uploaded files do not travel in a pack: a print template's logos stay behind. */
function withoutLogos(def: PrintTemplateDefinition): PrintTemplateDefinition {
  const out = { ...def };
  if (out.header?.logo) out.header = { ...out.header, logo: undefined };
  if (out.footer?.logo) out.footer = { ...out.footer, logo: undefined };
  return JSON.parse(JSON.stringify(out)) as PrintTemplateDefinition;
}

/** The roles a workflow assigns tasks, copies or notifications to. */
function rolesNamedBy(wf: WorkflowDefinition): string[] {
  const actions = [...wf.nodes.flatMap((n) => (n.type === 'action' ? [n.action] : [])), ...(wf.automations ?? []).flatMap((a) => a.actions)];
  const list: Assignee[] = [
    ...wf.nodes.flatMap((n) => (n.type === 'approval' ? [...n.assignees, ...(n.timeout?.escalateTo ?? [])] : n.type === 'cc' ? n.assignees : [])),
    ...actions.flatMap((a) => ('to' in a && Array.isArray(a.to) ? (a.to as Assignee[]) : [])),
  ];
  return list.flatMap((a) => (a.type === 'role' ? [a.role] : []));
}

/** A manifest for an app that came from no pack. */
function manifestOf(app: AppEntity): PackManifest {
  const both = (l: Label) => (typeof l === 'string' ? { en: l || '-', zh: l || '-' } : { en: l.en || l.zh || '-', zh: l.zh || l.en || '-' });
  const name = both(app.name);
  return { id: slug(name.en, 'app').toLowerCase().replace(/_/g, '-'), name, version: '1.0.0', category: 'other', description: app.description ? both(app.description) : name };
}

/** id → key: the known key of each id (install's key → id, turned around), else one made from its name, never used twice. */
function keysFor(items: { id: string; name: Label }[], known: Record<string, string> | undefined, fallback: string): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Set<string>();
  const byId = new Map(Object.entries(known ?? {}).map(([key, id]) => [id, key]));
  for (const it of items) {
    const key = byId.get(it.id);
    if (key !== undefined && !used.has(key)) {
      out[it.id] = key;
      used.add(key);
    }
  }
  let n = 0;
  for (const it of items) {
    if (out[it.id] !== undefined) continue;
    const text = typeof it.name === 'string' ? it.name : (it.name.en ?? it.name.zh ?? '');
    let key = fallback === 'r' ? `r${++n}` : slug(text, fallback);
    for (let i = 2; used.has(key); i++) key = fallback === 'r' ? `r${++n}` : `${slug(text, fallback).slice(0, 56)}-${i}`;
    out[it.id] = key;
    used.add(key);
  }
  return out;
}

/** A key from a name: lower-case letters, digits and dashes, starting with a letter. */
function slug(text: string, fallback: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return /^[a-z]/.test(s) ? s : s ? `${fallback}-${s}`.slice(0, 60) : fallback;
}

async function allRecords(store: Store, formId: string): Promise<RecordEntity[]> {
  const out: RecordEntity[] = [];
  let after: { values: []; id: string } | null = null;
  while (out.length < MAX_EXPORT_RECORDS) {
    const page = await store.records.find(formId, { filter: { kind: 'true' }, sort: [], limit: Math.min(1000, MAX_EXPORT_RECORDS - out.length), after, count: false });
    out.push(...page.items);
    const last = page.items.at(-1);
    if (!page.hasMore || !last) break;
    after = { values: [], id: last.id };
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** The values someone entered: formulas, lookups and serial numbers are computed again on import. */
function stored(data: Record<string, unknown>, fields: readonly (Field | SubField)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!Object.hasOwn(data, f.key) || !isFieldType(f.type)) continue;
    if (fieldType(f.type).computed || f.type === 'serial') continue;
    const v = data[f.key];
    if (f.type === 'subtable' && 'fields' in f && Array.isArray(f.fields) && Array.isArray(v)) {
      const sub = f.fields;
      out[f.key] = v.map((row) => (row && typeof row === 'object' ? stored(row as Record<string, unknown>, sub) : row));
    } else out[f.key] = v;
  }
  return out;
}
