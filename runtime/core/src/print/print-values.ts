import type { FieldType } from '../schema/field-type.js';
import type { Field, FormDefinition, SubField } from '../schema/form.js';
import type { Label } from '../schema/label.js';
import { labelText, type Locale } from '../schema/label-text.js';

type AnyField = Field | SubField;

/** `{key}` in a print text. */
export const PLACEHOLDER_RE = /\{([A-Za-z][A-Za-z0-9_]{0,63})\}/g;
/** Placeholders that are not fields: the page counters (header and footer only) and the time of printing. */
export const PAGE_PLACEHOLDERS = ['page', 'pages'] as const;
export const PRINTED_AT = 'printedAt';

/** Record properties a template may print like fields. */
export const SYSTEM_PRINT_FIELDS: readonly AnyField[] = [
  { key: 'id', type: 'text', label: { en: 'Record id', zh: '记录编号' } },
  { key: 'createdAt', type: 'datetime', label: { en: 'Created', zh: '创建时间' } },
  { key: 'updatedAt', type: 'datetime', label: { en: 'Updated', zh: '更新时间' } },
  { key: 'createdBy', type: 'member', label: { en: 'Created by', zh: '创建人' } },
];

/** The form's field with this key (or a record property such as createdAt), or null. */
export function printField(form: FormDefinition, key: string): AnyField | null {
  return form.fields.find((f) => f.key === key) ?? SYSTEM_PRINT_FIELDS.find((f) => f.key === key) ?? null;
}

/** The keys of the placeholders in a text, in order. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1]!);
}

/** What a value is shown as: lookups and formulas take the type of the value they hold. */
export function shownType(field: AnyField): FieldType {
  if (field.type === 'lookup') return field.valueType && field.valueType !== 'lookup' ? field.valueType : 'text';
  if (field.type === 'formula') {
    switch (field.resultType ?? 'number') {
      case 'number':
        return 'number';
      case 'date':
        return 'date';
      case 'boolean':
        return 'checkbox';
      default:
        return 'text';
    }
  }
  return field.type;
}

/** True for fields whose values add up (number, money, numeric formulas and lookups). */
export function isNumeric(field: AnyField): boolean {
  const t = shownType(field);
  return t === 'number' || t === 'money';
}

export interface PrintFormat {
  locale: Locale;
  /** IANA zone datetimes are shown in; UTC when unset */
  timeZone?: string;
  /** names of members, departments and linked records by id */
  labels: Readonly<Record<string, Label>>;
}

const YES = { en: 'Yes', zh: '是' };
const NO = { en: 'No', zh: '否' };

export function formatNumber(n: number, field: AnyField, locale: Locale): string {
  const precision = field.type === 'money' ? (field.precision ?? 2) : field.precision;
  const digits = precision === undefined ? { maximumFractionDigits: 8 } : { minimumFractionDigits: precision, maximumFractionDigits: precision };
  const tag = locale === 'zh' ? 'zh-CN' : 'en-US';
  if (shownType(field) === 'money' && field.currency) {
    try {
      return new Intl.NumberFormat(tag, { style: 'currency', currency: field.currency, ...digits }).format(n);
    } catch {
      // an unknown currency code: the number and the code
    }
    return `${new Intl.NumberFormat(tag, digits).format(n)} ${field.currency}`;
  }
  return new Intl.NumberFormat(tag, digits).format(n);
}

/** `YYYY-MM-DD HH:mm` in the zone (the same in both languages: it is what is written on paper). */
export function formatDateTime(iso: string, timeZone: string | undefined): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: timeZone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(d);
  } catch {
    return formatDateTime(iso, 'UTC');
  }
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
}

function optionLabel(field: AnyField, value: unknown, locale: Locale): string {
  const v = String(value);
  for (const o of field.options ?? []) {
    if (typeof o === 'string' ? o === v : o.value === v) return typeof o === 'string' ? o : labelText(o.label ?? o.value, locale) || o.value;
  }
  return v;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** A value as printed text: option labels, names of members, departments and linked records, formatted numbers and dates. */
export function formatPrintValue(field: AnyField, value: unknown, fmt: PrintFormat): string {
  if (isEmpty(value)) return '';
  const list = (xs: unknown[], one: (x: unknown) => string) => xs.map(one).filter((s) => s !== '').join(fmt.locale === 'zh' ? '、' : ', ');
  const name = (x: unknown) => {
    const label = fmt.labels[String(x)];
    return label === undefined ? String(x) : labelText(label, fmt.locale);
  };
  const type = shownType(field);
  switch (type) {
    case 'number':
    case 'money':
      return typeof value === 'number' ? formatNumber(value, field, fmt.locale) : String(value);
    case 'datetime':
      return typeof value === 'string' ? formatDateTime(value, fmt.timeZone) : String(value);
    case 'checkbox':
      return labelText(value === true ? YES : NO, fmt.locale);
    case 'select':
      return optionLabel(field, value, fmt.locale);
    case 'multiselect':
      return list(Array.isArray(value) ? value : [value], (x) => optionLabel(field, x, fmt.locale));
    case 'member':
    case 'department':
    case 'link':
      return list(Array.isArray(value) ? value : [value], name);
    case 'attachment':
    case 'image':
    case 'signature':
      return list(Array.isArray(value) ? value : [], (x) => (x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string' ? (x as { name: string }).name : ''));
    case 'address': {
      if (typeof value !== 'object') return String(value);
      const a = value as Record<string, unknown>;
      return [a.province, a.city, a.district, a.detail].filter((x) => typeof x === 'string' && x !== '').join(' ');
    }
    case 'subtable': {
      const n = Array.isArray(value) ? value.length : 0;
      return fmt.locale === 'zh' ? `${n} 行` : `${n} row${n === 1 ? '' : 's'}`;
    }
    default:
      if (Array.isArray(value)) return list(value, (x) => (typeof x === 'object' ? JSON.stringify(x) : String(x)));
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value);
  }
}
