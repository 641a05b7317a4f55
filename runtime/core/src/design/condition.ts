import type { FieldType } from '../schema/field-type.js';
import type { Logic } from '../schema/logic.js';

/**
 * The model of the designer's condition builder: rows of "field · operator · value"
 * joined by all/any, with at most one level of nested groups. It compiles to json-logic
 * (`conditionToLogic`) and reads back what it wrote (`logicToCondition`).
 */
export const CONDITION_OPS = ['eq', 'ne', 'contains', 'empty', 'notEmpty', 'gt', 'gte', 'lt', 'lte', 'in', 'checked', 'notChecked'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export type ConditionValue = string | number | boolean | (string | number)[] | null;

export interface ConditionRow {
  field: string;
  op: ConditionOp;
  /** absent for empty/notEmpty/checked/notChecked; an array for `in` */
  value?: ConditionValue;
}

export interface ConditionGroup<Item = ConditionRow> {
  join: 'all' | 'any';
  items: Item[];
}

/** The top level: rows and (one level of) groups of rows. */
export type ConditionModel = ConditionGroup<ConditionRow | ConditionGroup>;

export function isConditionGroup(item: ConditionRow | ConditionGroup): item is ConditionGroup {
  return 'join' in item;
}

/** Operators that take no value. */
export const VALUELESS_OPS: readonly ConditionOp[] = ['empty', 'notEmpty', 'checked', 'notChecked'];

const NUMERIC: readonly FieldType[] = ['number', 'money', 'formula'];
const DATED: readonly FieldType[] = ['date', 'datetime'];
const TEXTUAL: readonly FieldType[] = ['text', 'textarea', 'phone', 'email', 'barcode', 'serial', 'lookup'];
const IDS: readonly FieldType[] = ['member', 'department', 'link'];

/** The field types a condition may test (files, signatures, addresses and sub-tables have no comparable value). */
export const CONDITION_FIELD_TYPES: readonly FieldType[] = [...NUMERIC, ...DATED, ...TEXTUAL, ...IDS, 'select', 'multiselect', 'checkbox'];

/** Operators offered for a field type, most useful first. */
export function operatorsFor(type: FieldType): ConditionOp[] {
  if (type === 'checkbox') return ['checked', 'notChecked'];
  if (NUMERIC.includes(type) || DATED.includes(type)) return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'];
  if (type === 'select') return ['eq', 'ne', 'in', 'empty', 'notEmpty'];
  if (type === 'multiselect') return ['contains', 'empty', 'notEmpty'];
  if (IDS.includes(type)) return ['eq', 'ne', 'empty', 'notEmpty'];
  return ['eq', 'ne', 'contains', 'empty', 'notEmpty', 'in'];
}

function v(field: string): Logic {
  return { var: field };
}

function isBlank(x: ConditionValue | undefined): boolean {
  return x === undefined || x === null || x === '' || (Array.isArray(x) && x.length === 0);
}

/** Whether a row is complete enough to compile (a field, and a value when the operator needs one). */
export function isCompleteRow(row: ConditionRow): boolean {
  if (!row.field) return false;
  if (VALUELESS_OPS.includes(row.op)) return true;
  return !isBlank(row.value);
}

function rowToLogic(row: ConditionRow): Logic {
  const f = v(row.field);
  const value = row.value ?? null;
  switch (row.op) {
    case 'eq': return { '==': [f, value] } as Logic;
    case 'ne': return { '!=': [f, value] } as Logic;
    // `in` over a string is a substring test, over an array membership; "" stands in for a missing value
    case 'contains': return { in: [value, { var: [row.field, ''] }] } as Logic;
    case 'empty': return { '!': f } as Logic;
    case 'notEmpty': return { '!!': f } as Logic;
    case 'gt': return { '>': [f, value] } as Logic;
    case 'gte': return { '>=': [f, value] } as Logic;
    case 'lt': return { '<': [f, value] } as Logic;
    case 'lte': return { '<=': [f, value] } as Logic;
    case 'in': return { in: [f, Array.isArray(value) ? value : [value]] } as Logic;
    case 'checked': return { '==': [f, true] } as Logic;
    case 'notChecked': return { '!=': [f, true] } as Logic;
  }
}

function groupToLogic(join: 'all' | 'any', parts: Logic[]): Logic | undefined {
  if (parts.length === 0) return undefined;
  return (join === 'all' ? { and: parts } : { or: parts }) as Logic;
}

/**
 * json-logic for a builder model; incomplete rows are left out. An empty model gives
 * undefined (no condition); a single row under "all" gives the bare comparison.
 */
export function conditionToLogic(model: ConditionModel): Logic | undefined {
  const parts: Logic[] = [];
  for (const item of model.items) {
    if (isConditionGroup(item)) {
      const inner = groupToLogic(item.join, item.items.filter(isCompleteRow).map(rowToLogic));
      if (inner !== undefined) parts.push(inner);
    } else if (isCompleteRow(item)) {
      parts.push(rowToLogic(item));
    }
  }
  if (parts.length === 1 && model.join === 'all') return parts[0];
  return groupToLogic(model.join, parts);
}

// ---------- reading json-logic back ----------

const KEY_RE = /^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
type Obj = Record<string, unknown>;

function opOf(x: unknown): [string, unknown[]] | null {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return null;
  const keys = Object.keys(x);
  if (keys.length !== 1) return null;
  const op = keys[0] as string;
  const raw = (x as Obj)[op];
  return [op, Array.isArray(raw) ? raw : [raw]];
}

/** The field a `{"var": "x"}` (or `{"var": ["x", default]}`) reads; null for anything else. */
function varName(x: unknown, allowDefault = false): string | null {
  const o = opOf(x);
  if (!o || o[0] !== 'var') return null;
  const [path, dflt] = o[1];
  if (typeof path !== 'string' || !KEY_RE.test(path)) return null;
  if (o[1].length > 2 || (o[1].length === 2 && !(allowDefault && (dflt === '' || dflt === null)))) return null;
  return path;
}

function scalar(x: unknown): x is string | number | boolean | null {
  return x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
}

const COMPARE: Record<string, ConditionOp> = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };

function logicToRow(logic: unknown): ConditionRow | null {
  const o = opOf(logic);
  if (!o) return null;
  const [op, args] = o;
  if (op === '!' || op === '!!') {
    const field = args.length === 1 ? varName(args[0]) : null;
    return field ? { field, op: op === '!' ? 'empty' : 'notEmpty' } : null;
  }
  if (args.length !== 2) return null;
  const [a, b] = args;
  if (op === '==' || op === '!=' || op === '===' || op === '!==') {
    const field = varName(a);
    if (!field || !scalar(b)) return null;
    const eq = op === '==' || op === '===';
    if (b === true) return { field, op: eq ? 'checked' : 'notChecked' };
    if (b === null) return { field, op: eq ? 'empty' : 'notEmpty' };
    return { field, op: eq ? 'eq' : 'ne', value: b };
  }
  if (op in COMPARE) {
    const field = varName(a);
    if (!field || !scalar(b) || typeof b === 'boolean') return null;
    return { field, op: COMPARE[op]!, value: b };
  }
  if (op === 'in') {
    const field = varName(a);
    if (field && Array.isArray(b) && b.every((x) => typeof x === 'string' || typeof x === 'number')) {
      return { field, op: 'in', value: b as (string | number)[] };
    }
    const container = varName(b, true);
    if (container && (typeof a === 'string' || typeof a === 'number')) return { field: container, op: 'contains', value: a };
  }
  return null;
}

function joinOf(logic: unknown): ['all' | 'any', unknown[]] | null {
  const o = opOf(logic);
  if (!o || (o[0] !== 'and' && o[0] !== 'or')) return null;
  return [o[0] === 'and' ? 'all' : 'any', o[1]];
}

/**
 * The builder model of a json-logic expression, or null when the expression is
 * more than the builder can show (other operators, deeper nesting, computed values).
 * `undefined` (no condition) gives an empty "all" group.
 */
export function logicToCondition(logic: Logic | undefined): ConditionModel | null {
  if (logic === undefined) return { join: 'all', items: [] };
  const top = joinOf(logic);
  if (!top) {
    const row = logicToRow(logic);
    return row ? { join: 'all', items: [row] } : null;
  }
  const items: (ConditionRow | ConditionGroup)[] = [];
  for (const part of top[1]) {
    const inner = joinOf(part);
    if (inner) {
      const rows: ConditionRow[] = [];
      for (const p of inner[1]) {
        const row = logicToRow(p);
        if (!row) return null;
        rows.push(row);
      }
      items.push({ join: inner[0], items: rows });
      continue;
    }
    const row = logicToRow(part);
    if (!row) return null;
    items.push(row);
  }
  return { join: top[0], items };
}
