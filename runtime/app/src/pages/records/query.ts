// The record list's search, filter and sort as the list query of POST /api/forms/:formId/records/query
// (runtime/core/src/query/query.ts): search is `contains` over the text fields, the filter one condition.
import { fieldType, QUERY_LIMITS, type Field, type Filter, type FilterOp, type FormDefinition, type ListQuery } from '@trellis/core';
import type { Msg } from '../../lib/i18n';

export interface FilterState {
  field: string;
  op: FilterOp;
  /** as typed or picked; converted for the field when the query is built */
  value: string;
}

export interface SortState {
  field: string;
  dir: 'asc' | 'desc';
}

export interface ListState {
  search: string;
  filter: FilterState | null;
  sort: SortState;
}

export const DEFAULT_SORT: SortState = { field: 'createdAt', dir: 'desc' };
export const PAGE_SIZE = 20;

/** operators offered in the filter panel (list operators need several values: not offered) */
const OFFERED: readonly FilterOp[] = ['eq', 'ne', 'contains', 'startsWith', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'];

export const OP_LABELS: Record<FilterOp, Msg> = {
  eq: { en: 'is', zh: '等于' },
  ne: { en: 'is not', zh: '不等于' },
  in: { en: 'is any of', zh: '属于' },
  nin: { en: 'is none of', zh: '不属于' },
  gt: { en: 'greater than', zh: '大于' },
  gte: { en: 'at least', zh: '大于等于' },
  lt: { en: 'less than', zh: '小于' },
  lte: { en: 'at most', zh: '小于等于' },
  between: { en: 'between', zh: '介于' },
  contains: { en: 'contains', zh: '包含' },
  startsWith: { en: 'starts with', zh: '开头是' },
  empty: { en: 'is empty', zh: '为空' },
  notEmpty: { en: 'is not empty', zh: '不为空' },
};

const facts = (f: Field) => fieldType(f.type).facts(f);

/** fields the search box looks in: those stored as text that take `contains` */
export function searchFields(def: FormDefinition): Field[] {
  return def.fields.filter((f) => facts(f).storage === 'text' && facts(f).ops.includes('contains')).slice(0, QUERY_LIMITS.filterConditions / 2);
}

/** fields one may filter on, with the operators offered for each */
export function filterFields(def: FormDefinition): { field: Field; ops: FilterOp[] }[] {
  return def.fields
    .filter((f) => f.type !== 'link' && !(f.type === 'lookup'))
    .map((field) => ({ field, ops: facts(field).ops.filter((o) => OFFERED.includes(o)) }))
    .filter((x) => x.ops.length > 0);
}

export function sortFields(def: FormDefinition): Field[] {
  return def.fields.filter((f) => facts(f).sortable);
}

export const needsValue = (op: FilterOp) => op !== 'empty' && op !== 'notEmpty';

/** the typed value as the field stores it; throws a message for the person when it cannot be */
export function filterValue(field: Field, text: string): string | number | boolean {
  const { storage } = facts(field);
  if (storage === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new Error('number');
    return n;
  }
  if (storage === 'boolean') return text === 'true';
  if (storage === 'datetime' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return new Date(text).toISOString();
  return text;
}

export function buildQuery(def: FormDefinition, state: ListState, cursor: string | null): ListQuery {
  const parts: Filter[] = [];
  const q = state.search.trim().slice(0, QUERY_LIMITS.textSearchLength);
  if (q) {
    const fields = searchFields(def);
    // no text field to look in: match by record id instead, so a search never shows everything
    parts.push(fields.length ? { or: fields.map((f) => ({ field: f.key, op: 'contains' as const, value: q })) } : { field: 'id', op: 'eq', value: q });
  }
  if (state.filter) {
    const field = def.fields.find((f) => f.key === state.filter!.field);
    if (field) {
      const { op, value } = state.filter;
      parts.push(needsValue(op) ? { field: field.key, op, value: filterValue(field, value) } : { field: field.key, op });
    }
  }
  const query: ListQuery = { sort: [{ field: state.sort.field, dir: state.sort.dir }], limit: PAGE_SIZE, cursor };
  if (parts.length === 1) query.filter = parts[0]!;
  else if (parts.length > 1) query.filter = { and: parts };
  return query;
}
