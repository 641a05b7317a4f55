import type { FilterOp, MetricOp } from '../query/query.js';
import type { StorageType } from '../query/normalized.js';
import type { FieldType } from '../schema/field-type.js';
import type { Field, SubField } from '../schema/form.js';

/**
 * What the query layer needs to know of a field: how it is stored, which
 * filter operators apply, whether it sorts and groups, which metrics it takes.
 * The full registry (fields/registry.ts) adds JSON Schema, widget and CSV.
 */
export interface FieldFacts {
  storage: StorageType;
  ops: readonly FilterOp[];
  sortable: boolean;
  groupable: boolean;
  metrics: readonly MetricOp[];
  /** computed by the engine; never taken from user input */
  computed: boolean;
}

const EMPTY_OPS = ['empty', 'notEmpty'] as const;
const TEXT_OPS = ['eq', 'ne', 'in', 'nin', 'contains', 'startsWith', ...EMPTY_OPS] as const;
const ORDERED_OPS = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'between', ...EMPTY_OPS] as const;
const REF_OPS = ['eq', 'ne', 'in', 'nin', ...EMPTY_OPS] as const;
/** on arrays: eq/in = contains any of, nin/ne = contains none of, contains = contains all of */
const ARRAY_OPS = ['eq', 'ne', 'in', 'nin', 'contains', ...EMPTY_OPS] as const;
const NUMBER_METRICS = ['count', 'sum', 'avg', 'min', 'max'] as const;
const ORDERED_METRICS = ['count', 'min', 'max'] as const;
const COUNT_ONLY = ['count'] as const;

const text: FieldFacts = { storage: 'text', ops: TEXT_OPS, sortable: true, groupable: true, metrics: COUNT_ONLY, computed: false };
const number: FieldFacts = { storage: 'number', ops: ORDERED_OPS, sortable: true, groupable: true, metrics: NUMBER_METRICS, computed: false };
const date: FieldFacts = { storage: 'date', ops: ORDERED_OPS, sortable: true, groupable: true, metrics: ORDERED_METRICS, computed: false };
const datetime: FieldFacts = { storage: 'datetime', ops: ORDERED_OPS, sortable: true, groupable: true, metrics: ORDERED_METRICS, computed: false };
const boolean: FieldFacts = { storage: 'boolean', ops: ['eq', 'ne', ...EMPTY_OPS], sortable: true, groupable: true, metrics: COUNT_ONLY, computed: false };
const ref: FieldFacts = { storage: 'ref', ops: REF_OPS, sortable: false, groupable: true, metrics: COUNT_ONLY, computed: false };
const array: FieldFacts = { storage: 'array', ops: ARRAY_OPS, sortable: false, groupable: false, metrics: COUNT_ONLY, computed: false };
const json: FieldFacts = { storage: 'json', ops: EMPTY_OPS, sortable: false, groupable: false, metrics: COUNT_ONLY, computed: false };

/** Facts of a plain (non-derived) type. Lookup and formula take theirs from the value they hold. */
const BASE: Record<Exclude<FieldType, 'lookup' | 'formula'>, FieldFacts> = {
  text, textarea: text, phone: text, email: text, barcode: text,
  serial: { ...text, computed: true },
  number, money: number,
  date, datetime,
  checkbox: boolean,
  select: ref,
  multiselect: array,
  member: ref, department: ref, link: ref,
  attachment: json, image: json, signature: json, address: json, subtable: json,
};

const FORMULA_RESULT: Record<NonNullable<Field['resultType']>, FieldFacts> = { number, text, date, boolean };

/** Facts of one field of a form, taking `multiple`, formula `resultType` and lookup `valueType` into account. */
export function fieldFacts(field: Field | SubField): FieldFacts {
  switch (field.type) {
    case 'formula':
      return { ...FORMULA_RESULT[field.resultType ?? 'number'], computed: true };
    case 'lookup': {
      const inner = field.valueType && field.valueType !== 'lookup' ? fieldFacts({ ...field, type: field.valueType }) : text;
      return { ...inner, computed: true };
    }
    case 'member':
    case 'department':
    case 'link':
      return field.multiple ? array : ref;
    default:
      return BASE[field.type];
  }
}
