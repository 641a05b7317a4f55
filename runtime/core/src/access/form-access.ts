import type { NormFilter } from '../query/normalized.js';
import { MATCH_ALL, MATCH_NONE, orFilters } from '../query/normalize.js';
import type { RecordData } from '../record.js';
import type { FormAction, FormGrant } from '../schema/access.js';
import { logicVars } from '../engine/logic.js';
import type { Field, FormDefinition, Rule, SubField } from '../schema/form.js';
import { appAccess, grantList, rolesFor, type Principal } from './principal.js';
import { scopeFilter } from './scope.js';

/** Actions that reach existing records, each with its own scope. */
export const RECORD_ACTIONS = ['view', 'edit', 'delete', 'export'] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];

/**
 * What one person may do with one form, resolved from every role that
 * applies. Grant groups add up: an action is allowed when any group allows
 * it, over the union of those groups' scopes; a field is hidden only when
 * every group that shows records hides it, and locked only when every group
 * that writes locks it (as permission groups combine in Jiandaoyun).
 */
export interface FormAccess {
  can: Record<FormAction, boolean>;
  /** records each action reaches (MATCH_NONE when not allowed); edit, delete and export imply view over their scope */
  scope: Record<RecordAction, NormFilter>;
  /** top-level fields absent from every reply to this person */
  hidden: ReadonlySet<string>;
  /** top-level fields this person may not set (hidden or read-only to them) */
  locked: ReadonlySet<string>;
}

const ALL_ACTIONS = (on: boolean): Record<FormAction, boolean> =>
  ({ submit: on, view: on, edit: on, delete: on, export: on, manage: on });

/** Full access: admins, the app's designers, and `manage` grants of internal users. */
export const FULL_ACCESS: FormAccess = Object.freeze({
  can: ALL_ACTIONS(true),
  scope: { view: MATCH_ALL, edit: MATCH_ALL, delete: MATCH_ALL, export: MATCH_ALL },
  hidden: new Set<string>(),
  locked: new Set<string>(),
});

export const NO_ACCESS: FormAccess = Object.freeze({
  can: ALL_ACTIONS(false),
  scope: { view: MATCH_NONE, edit: MATCH_NONE, delete: MATCH_NONE, export: MATCH_NONE },
  hidden: new Set<string>(),
  locked: new Set<string>(),
});

/** Access to submit a form through a public share link: submit only, never read. */
export function submitOnlyAccess(definition: FormDefinition): FormAccess {
  return { ...NO_ACCESS, can: { ...NO_ACCESS.can, submit: true }, hidden: new Set(definition.fields.map((f) => f.key)) };
}

function fieldsWith(grant: FormGrant, kinds: readonly string[]): Set<string> {
  return new Set(Object.entries(grant.fields ?? {}).filter(([, a]) => kinds.includes(a)).map(([k]) => k));
}

function intersect(sets: Set<string>[]): Set<string> {
  if (sets.length === 0) return new Set();
  const [first, ...rest] = sets as [Set<string>, ...Set<string>[]];
  return new Set([...first].filter((k) => rest.every((s) => s.has(k))));
}

/** `grant` with `manage` spelled out, for people who may not manage (external users). */
function expand(grant: FormGrant): FormAction[] {
  return grant.actions.includes('manage') ? ['submit', 'view', 'edit', 'delete', 'export'] : grant.actions;
}

/**
 * Resolves a person's access to a form of app `appId`. Admins and the app's
 * designers get everything; so does a `manage` grant, except for external
 * users, whose every scope is narrowed to their partner's records.
 */
export function resolveFormAccess(p: Principal, form: { id: string; appId: string }, definition: FormDefinition): FormAccess {
  if (p.admin) return FULL_ACCESS;
  const roles = rolesFor(p, form.appId);
  if (!p.partner && appAccess(p, form.appId, []).design) return FULL_ACCESS;
  const grants = roles.flatMap((r) => grantList(r.forms[form.id]));
  if (!p.partner && grants.some((g) => g.actions.includes('manage'))) return FULL_ACCESS;
  if (grants.length === 0) return NO_ACCESS;

  const can = ALL_ACTIONS(false);
  for (const g of grants) for (const a of expand(g)) can[a] = true;
  can.manage = false;

  const scopeOf = (action: RecordAction): NormFilter => {
    const reaching = grants.filter((g) => {
      const actions = expand(g);
      return action === 'view' ? actions.some((a) => a !== 'submit') : actions.includes(action);
    });
    return orFilters(reaching.map((g) => scopeFilter(g.scope, p, form.id, definition)));
  };
  const scope = { view: scopeOf('view'), edit: scopeOf('edit'), delete: scopeOf('delete'), export: scopeOf('export') };
  if (can.edit || can.delete || can.export) can.view = true;

  const readers = grants.filter((g) => expand(g).some((a) => a !== 'submit'));
  const writers = grants.filter((g) => expand(g).some((a) => a === 'submit' || a === 'edit'));
  const hidden = intersect((readers.length ? readers : grants).map((g) => fieldsWith(g, ['hidden'])));
  const locked = writers.length ? intersect(writers.map((g) => fieldsWith(g, ['hidden', 'readOnly']))) : new Set(definition.fields.map((f) => f.key));
  for (const k of hidden) locked.add(k);
  return { can, scope, hidden, locked };
}

/**
 * Hides lookups whose source the person may not read: a lookup copies a field
 * of the linked form, so it is hidden when that form is closed to them, that
 * field is hidden from them there, or the link itself is hidden here.
 * Lookups inside a sub-table are hidden as `table.lookup` (see stripHidden).
 * `readable(formId, fieldKey)` answers with the person's access to the other form.
 */
export function limitLookups(access: FormAccess, definition: FormDefinition, readable: (formId: string, fieldKey: string) => boolean): FormAccess {
  const extra: string[] = [];
  const check = (fields: readonly (Field | SubField)[], prefix: string) => {
    const links = new Map(fields.filter((f) => f.type === 'link').map((f) => [f.key, f.form]));
    for (const f of fields) {
      if (f.type !== 'lookup' || !f.link || !f.field || access.hidden.has(`${prefix}${f.key}`)) continue;
      const target = links.get(f.link);
      // a lookup through a hidden link would show what the link points at
      if (access.hidden.has(`${prefix}${f.link}`) || (target !== undefined && !readable(target, f.field))) extra.push(`${prefix}${f.key}`);
    }
  };
  check(definition.fields, '');
  for (const f of definition.fields) if (f.type === 'subtable' && !access.hidden.has(f.key)) check(f.fields ?? [], `${f.key}.`);
  if (extra.length === 0) return access;
  const hidden = new Set(access.hidden);
  const locked = new Set(access.locked);
  for (const key of extra) {
    hidden.add(key);
    if (!key.includes('.')) locked.add(key);
  }
  return { ...access, hidden, locked };
}

/** The form as this person may query it: hidden fields are gone, so filters, sorts and groupings on them are unknown fields. */
export function visibleDefinition(definition: FormDefinition, hidden: ReadonlySet<string>): FormDefinition {
  if (hidden.size === 0) return definition;
  const fields = definition.fields
    .filter((f) => !hidden.has(f.key))
    .map((f) => (f.type === 'subtable' && f.fields?.some((s) => hidden.has(`${f.key}.${s.key}`))
      ? { ...f, fields: f.fields.filter((s) => !hidden.has(`${f.key}.${s.key}`)) }
      : f));
  // rules about hidden fields, or reading them, would tell their names and thresholds
  const rules = definition.rules?.filter((r) => !hidden.has(r.field) && !ruleLogic(r).some((l) => logicVars(l).some((v) => hidden.has(v))));
  return { ...definition, fields, ...(rules ? { rules } : {}) };
}

function ruleLogic(rule: Rule): unknown[] {
  const parts: unknown[] = [rule.visible, rule.required, rule.readOnly, rule.default, rule.options, rule.check];
  if (rule.fill) parts.push(...Object.values(rule.fill.match));
  return parts.filter((p) => p !== undefined);
}

/** `data` without hidden fields, `table.column` entries removed from every row (a copy only when something is removed). */
export function stripHidden(data: RecordData, hidden: ReadonlySet<string>): RecordData {
  if (hidden.size === 0) return data;
  let out: RecordData | null = null;
  for (const k of hidden) {
    const dot = k.indexOf('.');
    if (dot < 0) {
      if (!Object.hasOwn(data, k)) continue;
      out ??= { ...data };
      delete out[k];
      continue;
    }
    const table = k.slice(0, dot);
    const column = k.slice(dot + 1);
    const rows = (out ?? data)[table];
    if (!Array.isArray(rows) || !rows.some((r) => r !== null && typeof r === 'object' && Object.hasOwn(r, column))) continue;
    out ??= { ...data };
    out[table] = rows.map((r: unknown) => {
      if (r === null || typeof r !== 'object' || !Object.hasOwn(r, column)) return r;
      const { [column]: _gone, ...rest } = r as Record<string, unknown>;
      return rest;
    });
  }
  return out ?? data;
}
