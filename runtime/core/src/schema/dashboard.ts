import { Type, type Static } from '@sinclair/typebox';
import { BUCKETS, METRIC_OPS, RELATIVE_DATES, type Bucket, type Filter, type MetricOp, type RelativeDate } from '../query/query.js';
import { LabelSchema, type Label } from './label.js';

/**
 * A dashboard: widgets over the forms of one app, each an aggregate (filter,
 * group-by, metrics) the server computes as the viewer, and dashboard-level
 * filters (date range, department) AND-ed into every widget.
 */

export const WIDGET_TYPES = ['number', 'bar', 'line', 'pie', 'funnel', 'table', 'pivot'] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number];

const FieldName = Type.String({ minLength: 1, maxLength: 64 });
const Buckets = Type.Union(BUCKETS.map((b) => Type.Literal(b)));

/** A field name, or a date field with a time bucket. */
export const WidgetGroupSchema = Type.Union([FieldName, Type.Object({ field: FieldName, bucket: Type.Optional(Buckets) }, { additionalProperties: false })]);
export type WidgetGroup = string | { field: string; bucket?: Bucket };

export const WidgetMetricSchema = Type.Object(
  { op: Type.Union(METRIC_OPS.map((m) => Type.Literal(m))), field: Type.Optional(FieldName) },
  { additionalProperties: false },
);
export type WidgetMetric = { op: MetricOp; field?: string };

export const WidgetLayoutSchema = Type.Object(
  {
    x: Type.Integer({ minimum: 0, maximum: 23 }),
    y: Type.Integer({ minimum: 0, maximum: 1000 }),
    w: Type.Integer({ minimum: 1, maximum: 24 }),
    h: Type.Integer({ minimum: 1, maximum: 50 }),
  },
  { additionalProperties: false },
);
export type WidgetLayout = Static<typeof WidgetLayoutSchema>;

export const WidgetSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,39}$' }),
    type: Type.Union(WIDGET_TYPES.map((t) => Type.Literal(t))),
    title: LabelSchema,
    form: Type.String({ minLength: 1, maxLength: 64 }),
    filter: Type.Optional(Type.Unknown({ description: 'a record filter (see the records list query) AND-ed into the widget' })),
    groupBy: Type.Optional(WidgetGroupSchema),
    columns: Type.Optional(WidgetGroupSchema),
    metrics: Type.Array(WidgetMetricSchema, { minItems: 1, maxItems: 5 }),
    compare: Type.Optional(Type.Literal('previousPeriod')),
    /** the date field the dashboard's date range applies to; else the dashboard's, else createdAt */
    dateField: Type.Optional(FieldName),
    sort: Type.Optional(
      Type.Object(
        { by: Type.Union([Type.Literal('key'), Type.Literal('value')]), dir: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])) },
        { additionalProperties: false },
      ),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    layout: WidgetLayoutSchema,
  },
  { additionalProperties: false },
);
export interface Widget {
  id: string;
  type: WidgetType;
  title: Label;
  form: string;
  filter?: Filter;
  groupBy?: WidgetGroup;
  columns?: WidgetGroup;
  metrics: WidgetMetric[];
  compare?: 'previousPeriod';
  dateField?: string;
  sort?: { by: 'key' | 'value'; dir?: 'asc' | 'desc' };
  limit?: number;
  layout: WidgetLayout;
}

export const DashboardFiltersSchema = Type.Object(
  {
    dateRange: Type.Optional(
      Type.Object(
        { field: Type.Optional(FieldName), default: Type.Optional(Type.Union(RELATIVE_DATES.map((r) => Type.Literal(r)))) },
        { additionalProperties: false },
      ),
    ),
    department: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DashboardFilters = { dateRange?: { field?: string; default?: RelativeDate }; department?: boolean };

export const DashboardDefinitionSchema = Type.Object(
  {
    name: LabelSchema,
    filters: Type.Optional(DashboardFiltersSchema),
    widgets: Type.Array(WidgetSchema, { maxItems: 40 }),
  },
  { additionalProperties: false, $id: 'DashboardDefinition' },
);
export interface DashboardDefinition {
  name: Label;
  filters?: DashboardFilters;
  widgets: Widget[];
}

/** The field and bucket of a group-by however it was written. */
export function groupOf(g: WidgetGroup): { field: string; bucket?: Bucket } {
  return typeof g === 'string' ? { field: g } : g;
}
