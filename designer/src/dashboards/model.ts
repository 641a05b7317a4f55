// What the dashboard builder offers for a form and what a new widget starts as. Pure
// (model.test.ts): the fields a widget may group by or measure, a valid first widget of
// each type, and the simple AND filter the panel edits.
import { fieldType, type Field, type Filter, type FilterCondition, type FormDefinition, type Label, type MetricOp, type Widget, type WidgetType } from '@trellis/core';
import { freeSpot, nextId } from './layout';

export interface FieldChoice {
  key: string;
  label: Label;
  storage: string;
  groupable: boolean;
  metrics: readonly MetricOp[];
  field?: Field;
}

// a record's own fields a widget may group by (the server knows them all; these make sense to people)
const SYSTEM: FieldChoice[] = [
  { key: 'createdAt', label: { en: 'Created', zh: '创建时间' }, storage: 'datetime', groupable: true, metrics: ['count', 'min', 'max'] },
  { key: 'updatedAt', label: { en: 'Updated', zh: '更新时间' }, storage: 'datetime', groupable: true, metrics: ['count', 'min', 'max'] },
  { key: 'createdBy', label: { en: 'Created by', zh: '创建人' }, storage: 'ref', groupable: true, metrics: ['count'] },
  { key: 'status', label: { en: 'Status', zh: '状态' }, storage: 'text', groupable: true, metrics: ['count'] },
];

/** the form's fields with what a widget may do with each, then the record's own fields */
export function fieldChoices(def: FormDefinition | undefined): FieldChoice[] {
  const own = (def?.fields ?? []).map((f) => {
    const facts = fieldType(f.type).facts(f);
    return { key: f.key, label: f.label, storage: facts.storage, groupable: facts.groupable, metrics: facts.metrics, field: f };
  });
  return [...own, ...SYSTEM];
}

export const isDate = (c: FieldChoice | undefined) => c?.storage === 'date' || c?.storage === 'datetime';

/** widget types that need a group-by */
export const GROUPED: readonly WidgetType[] = ['bar', 'line', 'pie', 'funnel', 'pivot'];

const SIZES: Record<WidgetType, { w: number; h: number }> = {
  number: { w: 6, h: 3 }, bar: { w: 12, h: 6 }, line: { w: 12, h: 6 }, pie: { w: 8, h: 6 }, funnel: { w: 8, h: 6 }, table: { w: 12, h: 6 }, pivot: { w: 12, h: 6 },
};

export const TYPE_NAMES: Record<WidgetType, { en: string; zh: string }> = {
  number: { en: 'Number', zh: '数字卡' },
  bar: { en: 'Bar chart', zh: '柱状图' },
  line: { en: 'Line chart', zh: '折线图' },
  pie: { en: 'Pie chart', zh: '饼图' },
  funnel: { en: 'Funnel', zh: '漏斗图' },
  table: { en: 'Table', zh: '表格' },
  pivot: { en: 'Pivot table', zh: '透视表' },
};

/** groupable fields, the option-like ones first (a select groups better than a free text) */
function groupCandidates(def: FormDefinition | undefined): FieldChoice[] {
  const rank = (c: FieldChoice) => (c.field && ['select', 'radio', 'checkbox', 'member', 'department', 'link'].includes(c.field.type) ? 0 : c.field ? 1 : 2);
  return fieldChoices(def).filter((c) => c.groupable && !isDate(c)).sort((a, b) => rank(a) - rank(b));
}

/**
 * A new widget of `type` over `formId` that the server accepts as it is: grouped types group
 * by the first option-like field (a line over the creation date by month), placed at the first
 * free spot (or at `at` when dropped there).
 */
export function newWidget(type: WidgetType, formId: string, def: FormDefinition | undefined, widgets: readonly Widget[], at?: { x: number; y: number }): Widget {
  const size = SIZES[type];
  const layout = at ? { ...size, x: Math.min(at.x, 24 - size.w), y: at.y } : freeSpot(widgets, size.w, size.h);
  const w: Widget = { id: nextId(type, widgets.map((x) => x.id)), type, title: TYPE_NAMES[type], form: formId, metrics: [{ op: 'count' }], layout };
  const groups = groupCandidates(def);
  if (type === 'line') w.groupBy = { field: 'createdAt', bucket: 'month' };
  else if (GROUPED.includes(type) || type === 'table') w.groupBy = groups[0]?.key ?? 'createdBy';
  if (type === 'pivot') w.columns = groups.find((g) => g.key !== w.groupBy)?.key ?? { field: 'createdAt', bucket: 'month' };
  if (type === 'number') w.compare = 'previousPeriod';
  return w;
}

/** the condition rows of an AND filter; null when the filter is more than that (shown as JSON) */
export function filterRows(filter: Filter | undefined): FilterCondition[] | null {
  if (filter === undefined) return [];
  if ('field' in filter) return [filter];
  if ('and' in filter && filter.and.every((f) => 'field' in f)) return filter.and as FilterCondition[];
  return null;
}

/** rows back into a filter: none → undefined, one → itself, more → AND */
export function rowsFilter(rows: readonly FilterCondition[]): Filter | undefined {
  if (rows.length === 0) return undefined;
  return rows.length === 1 ? rows[0]! : { and: [...rows] };
}

/** problems of widget `index` (their paths start with `widgets[index]`) */
export function problemsOf<P extends { path: string }>(problems: readonly P[], index: number): P[] {
  const head = `widgets[${index}]`;
  return problems.filter((p) => p.path === head || p.path.startsWith(`${head}.`));
}
