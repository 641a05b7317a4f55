import { Type, type Static } from '@sinclair/typebox';

export const FILTER_OPS = [
  'eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'between', 'contains', 'startsWith', 'empty', 'notEmpty',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const RELATIVE_DATES = [
  'today', 'yesterday', 'tomorrow', 'thisWeek', 'lastWeek', 'nextWeek', 'thisMonth', 'lastMonth', 'nextMonth',
  'thisQuarter', 'lastQuarter', 'thisYear', 'lastYear', 'last7Days', 'last30Days', 'last90Days',
] as const;
export type RelativeDate = (typeof RELATIVE_DATES)[number];

/** Fields every record has besides its data; filters and sorts may name them. */
export const SYSTEM_FIELDS = ['id', 'createdAt', 'updatedAt', 'createdBy', 'status', 'formVersion'] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];

const FILTER_DESCRIPTION =
  'Filter tree: {"and": [f, …]}, {"or": [f, …]}, {"not": f} or {"field", "op", "value"}; ops: ' +
  `${FILTER_OPS.join(', ')}; a date value may be {"relative": "thisMonth"} or {"relative": "last45Days"}. At most 8 levels and 200 conditions.`;

export const FilterConditionSchema = Type.Object(
  {
    field: Type.String({ minLength: 1, maxLength: 64 }),
    op: Type.Union(FILTER_OPS.map((o) => Type.Literal(o))),
    value: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type FilterCondition = Static<typeof FilterConditionSchema>;

/** `{and:[…]}`, `{or:[…]}`, `{not:f}` or a condition. Depth and size are bounded by `normalizeFilter`. */
export const FilterSchema = Type.Recursive((Self) =>
  Type.Union([
    Type.Object({ and: Type.Array(Self, { maxItems: 100 }) }, { additionalProperties: false }),
    Type.Object({ or: Type.Array(Self, { maxItems: 100 }) }, { additionalProperties: false }),
    Type.Object({ not: Self }, { additionalProperties: false }),
    FilterConditionSchema,
  ]),
  { $id: 'Filter' },
);
export type Filter = { and: Filter[] } | { or: Filter[] } | { not: Filter } | FilterCondition;

export const SortSchema = Type.Array(
  Type.Object(
    { field: Type.String({ minLength: 1, maxLength: 64 }), dir: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])) },
    { additionalProperties: false },
  ),
  { maxItems: 5 },
);
export type Sort = Static<typeof SortSchema>;

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

export const ListQuerySchema = Type.Object(
  {
    filter: Type.Optional(Type.Unknown({ description: FILTER_DESCRIPTION })),
    sort: Type.Optional(SortSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
    cursor: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
    count: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ListQuery = { filter?: Filter; sort?: Sort; limit?: number; cursor?: string | null; count?: boolean };

export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const METRIC_OPS = ['count', 'sum', 'avg', 'min', 'max'] as const;
export type MetricOp = (typeof METRIC_OPS)[number];

export const AggregateQuerySchema = Type.Object(
  {
    filter: Type.Optional(Type.Unknown({ description: FILTER_DESCRIPTION })),
    groupBy: Type.Optional(
      Type.Array(
        Type.Object(
          { field: Type.String({ minLength: 1, maxLength: 64 }), bucket: Type.Optional(Type.Union(BUCKETS.map((b) => Type.Literal(b)))) },
          { additionalProperties: false },
        ),
        { maxItems: 3 },
      ),
    ),
    metrics: Type.Array(
      Type.Object(
        {
          op: Type.Union(METRIC_OPS.map((m) => Type.Literal(m))),
          field: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          as: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10 },
    ),
  },
  { additionalProperties: false },
);
export type AggregateQuery = {
  filter?: Filter;
  groupBy?: { field: string; bucket?: Bucket }[];
  metrics: { op: MetricOp; field?: string; as?: string }[];
};

export interface AggregateRow {
  group: Record<string, string | number | boolean | null>;
  /** numbers; min and max of date and datetime fields are their strings */
  values: Record<string, number | string | null>;
}
export interface AggregateResult {
  rows: AggregateRow[];
}
