import { TrellisError } from '../errors.js';
import type { NormFilter } from '../query/normalized.js';
import { andFilters, MATCH_ALL, MATCH_NONE, normalizeFilter, orFilters } from '../query/normalize.js';
import type { Filter } from '../query/query.js';
import type { Scope } from '../schema/access.js';
import type { FormDefinition } from '../schema/form.js';
import type { Principal } from './principal.js';

/**
 * Data scopes compiled into store filters, so counts, pages, cursors and
 * aggregates only ever see the records a person may reach.
 *
 * A condition scope is a small json-logic subset that maps onto the query
 * language: `and`, `or`, `!`; `==`, `!=` (and `===`, `!==`), `<`, `<=`, `>`,
 * `>=` between a record field (`{"var": "amount"}`, system fields such as
 * `createdBy` included) and a constant or a user value; `in` with a field and
 * a list (`{"in": [{"var": "region"}, ["east", "west"]]}`), or with a value
 * and a multi-value field (`{"in": [{"var": "user.id"}, {"var": "members"}]}`).
 * User values: `user.id`, `user.departments`, `user.departmentTree`,
 * `user.partner` (the partner record's id). A comparison whose user value is
 * empty (an internal user's `user.partner`) matches nothing, never everything.
 */

const USER_VARS = ['user.id', 'user.departments', 'user.departmentTree', 'user.partner'] as const;
type UserVar = (typeof USER_VARS)[number];

const CMP: Record<string, 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'> = {
  '==': 'eq', '===': 'eq', '!=': 'ne', '!==': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte',
};
const FLIP = { eq: 'eq', ne: 'ne', gt: 'lt', gte: 'lte', lt: 'gt', lte: 'gte' } as const;
const MAX_DEPTH = 8;

/** Thrown (as INVALID_DEFINITION) for a condition outside the subset; the message says what. */
function unsupported(message: string): TrellisError {
  return new TrellisError('INVALID_DEFINITION', `Scope condition: ${message}`, { problems: [{ path: 'scope.condition', code: 'scope', message }] });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function varName(v: unknown): string | null {
  if (!isObject(v) || Object.keys(v).length !== 1 || !Object.hasOwn(v, 'var')) return null;
  const name = Array.isArray(v.var) ? v.var[0] : v.var;
  return typeof name === 'string' ? name : null;
}

function userValue(p: Principal | null, name: UserVar): unknown {
  // checking a condition without a user: a non-empty value of the same shape (departments are lists)
  if (!p) return name === 'user.departments' || name === 'user.departmentTree' ? ['user.placeholder'] : 'user.placeholder';
  switch (name) {
    case 'user.id': return p.id;
    case 'user.departments': return p.departments;
    case 'user.departmentTree': return p.departmentTree;
    case 'user.partner': return p.partner?.recordId ?? null;
  }
}

type Operand = { field: string } | { value: unknown };

/** A side of a comparison: a record field, a user value, or a constant (scalar or list of scalars). */
function operand(v: unknown, p: Principal | null): Operand {
  const name = varName(v);
  if (name !== null) {
    if (name.startsWith('user.')) {
      if (!(USER_VARS as readonly string[]).includes(name)) throw unsupported(`unknown user value "${name}" (use ${USER_VARS.join(', ')})`);
      return { value: userValue(p, name as UserVar) };
    }
    if (name.includes('.')) throw unsupported(`"${name}" is not a top-level field`);
    return { field: name };
  }
  const scalar = (x: unknown) => x === null || ['string', 'number', 'boolean'].includes(typeof x);
  if (scalar(v) || (Array.isArray(v) && v.length <= 500 && v.every(scalar))) return { value: v };
  throw unsupported('a comparison takes a field, a user value or a constant');
}

const isEmptyValue = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * json-logic condition → query filter over the record, with user values filled in; `null` means "matches nothing".
 * `negated`: under an odd number of `!`, where a part that matches nothing would widen an `or` once negated.
 */
function toFilter(logic: unknown, p: Principal | null, depth: number, negated: boolean): Filter | null {
  if (depth > MAX_DEPTH) throw unsupported(`nested deeper than ${MAX_DEPTH} levels`);
  if (!isObject(logic) || Object.keys(logic).length !== 1) throw unsupported('each part is one operation, e.g. {"==": [{"var": "supplier"}, {"var": "user.partner"}]}');
  const [op, raw] = Object.entries(logic)[0] as [string, unknown];
  const args = Array.isArray(raw) ? raw : [raw];
  if (op === 'and' || op === 'or') {
    if (args.length === 0 || args.length > 50) throw unsupported(`"${op}" takes 1 to 50 parts`);
    const parts = args.map((a) => toFilter(a, p, depth + 1, negated));
    // under a negation, !(a or nothing) would become "not a", which widens: a part that matches nothing refuses the whole
    if (parts.includes(null) && (op === 'and' || negated)) return null;
    const live = parts.filter((x): x is Filter => x !== null);
    if (op === 'and') return { and: live };
    return live.length === 0 ? null : { or: live };
  }
  if (op === '!') {
    if (args.length !== 1) throw unsupported('"!" takes one part');
    const inner = toFilter(args[0], p, depth + 1, !negated);
    // "not (matches nothing)" would match everything: refuse rather than widen
    if (inner === null) return null;
    return { not: inner };
  }
  if (Object.hasOwn(CMP, op)) {
    if (args.length !== 2) throw unsupported(`"${op}" compares exactly two values`);
    const [a, b] = [operand(args[0], p), operand(args[1], p)];
    const [fieldSide, valueSide, flipped] = 'field' in a ? [a, b, false] : [b, a, true];
    if (!('field' in fieldSide) || 'field' in valueSide) throw unsupported(`"${op}" compares a field with a value`);
    let cmp = CMP[op]!;
    if (flipped) cmp = FLIP[cmp];
    const fromUser = [args[0], args[1]].some((x) => varName(x)?.startsWith('user.'));
    if (fromUser && isEmptyValue(valueSide.value)) return null;
    if (Array.isArray(valueSide.value)) throw unsupported(`"${op}" compares with one value; use "in" for a list`);
    if (valueSide.value === null) return { field: fieldSide.field, op: cmp === 'eq' ? 'empty' : cmp === 'ne' ? 'notEmpty' : 'eq' };
    return { field: fieldSide.field, op: cmp, value: valueSide.value };
  }
  if (op === 'in') {
    if (args.length !== 2) throw unsupported('"in" takes [value, list]');
    const [a, b] = [operand(args[0], p), operand(args[1], p)];
    const fromUser = [args[0], args[1]].some((x) => varName(x)?.startsWith('user.'));
    if ('field' in a && 'value' in b) {
      if (!Array.isArray(b.value)) throw unsupported('"in" with a field first takes a list second');
      if (fromUser && b.value.length === 0) return null;
      return { field: a.field, op: 'in', value: b.value };
    }
    if ('value' in a && 'field' in b) {
      if (fromUser && isEmptyValue(a.value)) return null;
      return { field: b.field, op: 'in', value: Array.isArray(a.value) ? a.value : [a.value] };
    }
    throw unsupported('"in" takes a field and a value');
  }
  throw unsupported(`operator "${op}" is not available in scopes (use and, or, !, ==, !=, <, <=, >, >=, in)`);
}

/** Checks a condition against a form when a role is saved: fields exist and take the comparison. */
export function checkScopeCondition(logic: unknown, definition: FormDefinition): void {
  const filter = toFilter(logic, null, 1, false);
  try {
    normalizeFilter(filter, definition, { now: new Date() });
  } catch (e) {
    if (e instanceof TrellisError) throw unsupported(e.message);
    throw e;
  }
}

/** Records an external user reaches at most: their own, their partner record, and records linking to it. */
export function partnerFilter(p: Principal, formId: string, definition: FormDefinition): NormFilter {
  const own: NormFilter = { kind: 'cmp', path: { source: 'system', column: 'createdBy', storage: 'ref' }, op: 'eq', value: p.id };
  if (!p.partner) return own;
  const { formId: partnerForm, recordId } = p.partner;
  const parts: NormFilter[] = [own];
  if (formId === partnerForm) parts.push({ kind: 'cmp', path: { source: 'system', column: 'id', storage: 'ref' }, op: 'eq', value: recordId });
  for (const f of definition.fields) {
    if (f.type !== 'link' || f.form !== partnerForm) continue;
    parts.push(f.multiple
      ? { kind: 'has', path: { source: 'data', key: f.key, storage: 'array' }, mode: 'any', values: [recordId] }
      : { kind: 'cmp', path: { source: 'data', key: f.key, storage: 'ref' }, op: 'eq', value: recordId });
  }
  return orFilters(parts);
}

/**
 * The records a grant's scope reaches for this person, as a store filter.
 * A condition that no longer fits the form (a field was removed) matches
 * nothing: a broken rule must never widen access.
 */
export function scopeFilter(scope: Scope | undefined, p: Principal, formId: string, definition: FormDefinition): NormFilter {
  const createdBy = { source: 'system', column: 'createdBy', storage: 'ref' } as const;
  let base: NormFilter;
  if (scope === undefined || scope === 'all') base = MATCH_ALL;
  else if (scope === 'own') base = { kind: 'cmp', path: createdBy, op: 'eq', value: p.id };
  else if (scope === 'department' || scope === 'departmentTree') {
    const peers = scope === 'department' ? p.departmentPeers : p.departmentTreePeers;
    const ids = [...new Set([p.id, ...peers])];
    base = { kind: 'in', path: createdBy, values: ids, negate: false };
  } else {
    try {
      const filter = toFilter(scope.condition, p, 1, false);
      base = filter === null ? MATCH_NONE : normalizeFilter(filter, definition, { now: new Date() });
    } catch {
      base = MATCH_NONE;
    }
  }
  return p.partner ? andFilters([base, partnerFilter(p, formId, definition)]) : base;
}
