// Pure helpers of the dashboard viewer: drill links, key and value text, the change arrow,
// and where a widget sits on the 24-column grid. No React, no DOM: unit-tested in view.test.ts.
import type { Filter, FigureValue, GroupKey, Label, MetricOp, Widget, WidgetLayout, WidgetMetric } from '@trellis/core';

type Lang = 'en' | 'zh';
type Msg = { en: string; zh: string };

/** the record list of a form narrowed to a drill filter: `/forms/:id/records?filter=<json>` */
export function drillPath(formId: string, filter: Filter): string {
  return `/forms/${encodeURIComponent(formId)}/records?filter=${encodeURIComponent(JSON.stringify(filter))}`;
}

/**
 * The `filter` query parameter of the record list: null when absent; an error when it is not
 * a JSON object (the server checks the filter itself against the form).
 */
export function filterParam(param: string | null): { filter: Filter } | { error: Msg } | null {
  if (param === null || param === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(param);
  } catch {
    return { error: { en: 'The filter in the link is not valid JSON.', zh: '链接中的筛选不是有效的 JSON。' } };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: { en: 'The filter in the link is not a filter object.', zh: '链接中的筛选不是筛选对象。' } };
  return { filter: v as Filter };
}

const YES_NO: Record<Lang, [string, string]> = { en: ['Yes', 'No'], zh: ['是', '否'] };

/** how a group key reads: its label (options, people, departments, linked records), yes/no, or itself */
export function keyText(key: GroupKey, labels: Record<string, Label> | undefined, lang: Lang, labelText: (l: Label, lang: Lang) => string): string {
  if (key === null) return lang === 'zh' ? '（空）' : '(empty)';
  if (typeof key === 'boolean') return YES_NO[lang][key ? 0 : 1];
  const l = labels?.[String(key)];
  return l !== undefined ? labelText(l, lang) : String(key);
}

/** a figure for reading: grouped digits, at most two decimals; "–" for nothing */
export function formatFigure(v: FigureValue, lang: Lang): string {
  if (v === null) return '–';
  if (typeof v === 'number') return v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 });
  // min/max of a date field: a date or date-time string
  return /^\d{4}-\d{2}-\d{2}T/.test(v) ? v.slice(0, 16).replace('T', ' ') : v;
}

/** the comparison with the previous period: direction and "+12.5%"; null when there is none */
export function changeView(change: number | null | undefined): { dir: 'up' | 'down' | 'flat'; text: string } | null {
  if (change === null || change === undefined || !Number.isFinite(change)) return null;
  const pct = Math.round(change * 1000) / 10;
  if (pct === 0) return { dir: 'flat', text: '0%' };
  return { dir: pct > 0 ? 'up' : 'down', text: `${pct > 0 ? '+' : '−'}${Math.abs(pct)}%` };
}

const OPS: Record<MetricOp, Msg> = {
  count: { en: 'Count', zh: '数量' },
  sum: { en: 'Sum of {f}', zh: '{f}合计' },
  avg: { en: 'Average {f}', zh: '{f}平均值' },
  min: { en: 'Lowest {f}', zh: '{f}最小值' },
  max: { en: 'Highest {f}', zh: '{f}最大值' },
};

/** "Sum of Amount" for a metric, with the field's label */
export function metricName(m: WidgetMetric, fieldName: (key: string) => string, lang: Lang): string {
  const s = OPS[m.op][lang];
  return m.field ? s.replace('{f}', fieldName(m.field)) : s.replace(/\s*\{f\}\s*/, '');
}

/** CSS grid placement of a widget on the 24-column desktop grid */
export function gridPlacement(l: WidgetLayout): { gridColumn: string; gridRow: string } {
  const x = Math.min(Math.max(l.x, 0), 23);
  const w = Math.min(Math.max(l.w, 1), 24 - x);
  return { gridColumn: `${x + 1} / span ${w}`, gridRow: `${l.y + 1} / span ${Math.max(l.h, 1)}` };
}

/** reading order for the one-column phone layout: top to bottom, then left to right */
export function readingOrder<T extends Pick<Widget, 'layout'>>(widgets: readonly T[]): T[] {
  return [...widgets].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
}

const SYSTEM_LABELS: Record<string, Msg> = {
  id: { en: 'Record id', zh: '记录编号' },
  createdAt: { en: 'Created', zh: '创建时间' },
  updatedAt: { en: 'Updated', zh: '更新时间' },
  createdBy: { en: 'Created by', zh: '创建人' },
  status: { en: 'Status', zh: '状态' },
  formVersion: { en: 'Form version', zh: '表单版本' },
};

/** a field's label: a field of the form, a record's own field (created, status…), or the key itself */
export function fieldLabel(fields: readonly { key: string; label: Label }[] | undefined, key: string): Label {
  return fields?.find((f) => f.key === key)?.label ?? SYSTEM_LABELS[key] ?? key;
}
