import { TrellisError, type Message } from '../errors.js';
import { checkSerialPattern } from '../engine/serial.js';
import { fieldMessage } from '../engine/field-messages.js';
import { regexRisk } from '../engine/safe-regex.js';
import { FIELD_TYPES, type FieldType } from '../schema/field-type.js';
import type { Field, SubField } from '../schema/form.js';
import { fieldFacts, type FieldFacts } from './field-facts.js';

/** A JSON Schema fragment (draft 2020-12 / ajv 8 subset). */
export type JsonSchema = Record<string, unknown>;
export type AnyField = Field | SubField;
export type CsvParseResult = { ok: true; value: unknown } | { ok: false; message: Message };
export interface CsvOptions {
  /** IANA zone for datetimes written without a zone; UTC when unset */
  timeZone?: string;
}

/** What the engine knows of one field type. */
export interface FieldTypeSpec {
  type: FieldType;
  /** name shown in the designer's palette */
  label: Message;
  /** value computed by the engine (formula, lookup, serial); input for it is ignored */
  computed: boolean;
  /** default rjsf `ui:widget` */
  widget: string;
  facts(field: AnyField): FieldFacts;
  /** JSON Schema of one value of this field (without title) */
  jsonSchema(field: AnyField): JsonSchema;
  /** a stored value as one CSV cell; empty values give '' */
  toCsv(value: unknown, field: AnyField): string;
  /** one CSV cell back to a value; '' gives `{ ok: true, value: undefined }` */
  fromCsv(text: string, field: AnyField, opts?: CsvOptions): CsvParseResult;
  /** problems in the field's own configuration */
  checkDefinition?(field: AnyField): string[];
}

/** Ids of users, departments, records and files. */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
const ID_RE = new RegExp(ID_PATTERN);
const DEFAULT_PHONE_PATTERN = '^\\+?[0-9][0-9 ()-]{2,24}$';

export function optionValues(field: AnyField): string[] {
  return (field.options ?? []).map((o) => (typeof o === 'string' ? o : o.value));
}

const ok = (value: unknown): CsvParseResult => ({ ok: true, value });
const fail = (message: Message): CsvParseResult => ({ ok: false, message });

function compact(s: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
}

// ---------- CSV helpers ----------

function scalarText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

// Lists are `a;b;c` unless an item would not survive the split, then JSON.
function listToCsv(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (!Array.isArray(v)) return scalarText(v);
  const plain = v.every((x) => typeof x === 'string' && x !== '' && x === x.trim() && !/[;；]/.test(x))
    && !(typeof v[0] === 'string' && v[0].startsWith('['));
  return plain ? v.join(';') : JSON.stringify(v);
}

function listFromCsv(text: string): unknown[] | null {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(t);
      return Array.isArray(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  return t.split(/[;；]/).map((s) => s.trim()).filter((s) => s !== '');
}

function jsonFromCsv(text: string, want: 'array' | 'object'): CsvParseResult {
  try {
    const parsed: unknown = JSON.parse(text);
    const isArray = Array.isArray(parsed);
    if (want === 'array' ? isArray : parsed !== null && typeof parsed === 'object' && !isArray) return ok(parsed);
  } catch {
    // fall through to the message
  }
  return fail(fieldMessage('notJson'));
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(text: string): CsvParseResult {
  const t = text.trim().replace(/[\s,，¥￥$€£]/g, '');
  if (!NUMBER_RE.test(t)) return fail(fieldMessage('notNumber', { text }));
  const n = Number(t);
  return Number.isFinite(n) ? ok(n) : fail(fieldMessage('notNumber', { text }));
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function ymd(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1 || y > 9999 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** Normalizes common spellings of a date to "YYYY-MM-DD"; null when it is not a real date. */
export function normalizeDate(text: string): string | null {
  const t = text.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ].*)?$/.exec(t);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  // spreadsheet serial day (1900 system), as some exports write dates
  if (/^\d{5}$/.test(t)) return new Date(Date.UTC(1899, 11, 30) + Number(t) * 86_400_000).toISOString().slice(0, 10);
  return null;
}

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

function localToUtc(localMs: number, timeZone: string | undefined): number {
  if (!timeZone) return localMs;
  try {
    const guess = localMs - zoneOffsetMs(localMs, timeZone);
    return localMs - zoneOffsetMs(guess, timeZone);
  } catch {
    return localMs; // unknown zone: read as UTC
  }
}

/** Parses a datetime to UTC ISO; text without a zone is read in `timeZone` (UTC when unset). */
export function normalizeDatetime(text: string, timeZone?: string): string | null {
  const t = text.trim();
  const zoned = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|[+-]\d{2}:?\d{2})$/i.exec(t);
  if (zoned) {
    const ms = Date.parse(`${zoned[1]}T${zoned[2]}${zoned[3]!.toUpperCase()}`);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  const local = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(t);
  if (!local) return null;
  const day = normalizeDate(local[1]!);
  if (!day) return null;
  const [h, mi, s] = [local[2], local[3], local[4]].map((x) => Number(x ?? 0)) as [number, number, number];
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = local[5] ? Number(local[5].padEnd(3, '0')) : 0;
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const localMs = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  return new Date(localToUtc(localMs, timeZone)).toISOString();
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 't', 'on', '是', '对', '✓', '✔', '√']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'f', 'off', '否', '不', '✗', '✘', '×']);

function optionFromText(text: string, field: AnyField): string | null {
  const t = text.trim();
  const options = field.options ?? [];
  for (const o of options) if ((typeof o === 'string' ? o : o.value) === t) return t;
  const lower = t.toLowerCase();
  for (const o of options) {
    if (typeof o === 'string') {
      if (o.toLowerCase() === lower) return o;
      continue;
    }
    const labels = typeof o.label === 'string' ? [o.label] : [o.label?.en, o.label?.zh];
    if (labels.some((l) => l !== undefined && l.toLowerCase() === lower)) return o.value;
  }
  return null;
}

// ---------- definition helpers ----------

function rangeChecks(field: AnyField): string[] {
  const out: string[] = [];
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) out.push('min must not be greater than max');
  if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) out.push('minLength must not be greater than maxLength');
  return out;
}

function patternChecks(field: AnyField): string[] {
  if (field.pattern === undefined) return [];
  try {
    new RegExp(field.pattern, 'u');
  } catch {
    return [`pattern is not a valid regular expression: ${field.pattern}`];
  }
  const risk = regexRisk(field.pattern);
  return risk ? [`pattern ${field.pattern} could take very long on some values: ${risk}`] : [];
}

function optionChecks(field: AnyField): string[] {
  const values = optionValues(field);
  if (values.length === 0) return [`a ${field.type} field needs options`];
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  return dup === undefined ? [] : [`option "${dup}" appears twice`];
}

// ---------- schema helpers ----------

function numberSchema(field: AnyField, defaultPrecision?: number): JsonSchema {
  const precision = field.precision ?? defaultPrecision;
  // precision > 0 is checked by the record engine: ajv's multipleOf fails on 0.1-style binary fractions
  return compact({ type: precision === 0 ? 'integer' : 'number', minimum: field.min, maximum: field.max });
}

function idSchema(field: AnyField): JsonSchema {
  const one = { type: 'string', pattern: ID_PATTERN };
  return field.multiple ? { type: 'array', items: one, uniqueItems: true, maxItems: 1000 } : one;
}

function acceptPattern(accept: readonly string[] | undefined): string | undefined {
  if (!accept || accept.length === 0) return undefined;
  const alts = accept.map((a) => a.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+'));
  return `^(${alts.join('|')})$`;
}

function fileSchema(field: AnyField, defaultAccept: string[] | undefined, single: boolean): JsonSchema {
  const ref = {
    type: 'object',
    properties: {
      id: { type: 'string', pattern: ID_PATTERN },
      // no path separators or control characters: names end up in download headers
      name: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^/\\\\\\u0000-\\u001f]+$' },
      size: compact({ type: 'integer', minimum: 0, maximum: field.maxSize }),
      type: compact({ type: 'string', maxLength: 100, pattern: acceptPattern(field.accept ?? defaultAccept) }),
      url: { type: 'string', maxLength: 2000 },
    },
    required: ['id', 'name', 'size', 'type'],
    additionalProperties: false,
  };
  return { type: 'array', items: ref, maxItems: single ? 1 : 100 };
}

function textSchema(field: AnyField, defaultMax: number, defaultPattern?: string): JsonSchema {
  return compact({
    type: 'string',
    minLength: field.minLength,
    maxLength: field.maxLength ?? defaultMax,
    pattern: field.pattern ?? defaultPattern,
  });
}

const addressSchema: JsonSchema = {
  type: 'object',
  properties: {
    province: { type: 'string', maxLength: 100 },
    city: { type: 'string', maxLength: 100 },
    district: { type: 'string', maxLength: 100 },
    detail: { type: 'string', maxLength: 500 },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lng: { type: 'number', minimum: -180, maximum: 180 },
  },
  additionalProperties: false,
};

// ---------- the specs ----------

const textCsv = {
  toCsv: (v: unknown) => scalarText(v),
  fromCsv: (text: string): CsvParseResult => ok(text === '' ? undefined : text),
};

function textSpec(type: FieldType, label: Message, widget: string, defaultMax: number, defaultPattern?: string): FieldTypeSpec {
  return {
    type, label, widget, computed: false, facts: fieldFacts,
    jsonSchema: (f) => textSchema(f, defaultMax, defaultPattern),
    ...textCsv,
    checkDefinition: (f) => [...rangeChecks(f), ...patternChecks(f)],
  };
}

function numberSpec(type: FieldType, label: Message, defaultPrecision?: number): FieldTypeSpec {
  return {
    type, label, widget: 'updown', computed: false, facts: fieldFacts,
    jsonSchema: (f) => numberSchema(f, defaultPrecision),
    toCsv: scalarText,
    fromCsv: (text) => (text.trim() === '' ? ok(undefined) : parseNumber(text)),
    checkDefinition: rangeChecks,
  };
}

function idSpec(type: FieldType, label: Message, widget: string, extra?: (f: AnyField) => string[]): FieldTypeSpec {
  return {
    type, label, widget, computed: false, facts: fieldFacts,
    jsonSchema: idSchema,
    toCsv: listToCsv,
    fromCsv: (text, f) => {
      if (text.trim() === '') return ok(undefined);
      const items = listFromCsv(text);
      if (!items) return fail(fieldMessage('notJson'));
      const bad = items.find((x) => typeof x !== 'string' || !ID_RE.test(x));
      if (bad !== undefined) return fail(fieldMessage('notId', { text: scalarText(bad) }));
      if (f.multiple) return ok(items);
      return items.length === 1 ? ok(items[0]) : fail(fieldMessage('notId', { text }));
    },
    ...(extra ? { checkDefinition: extra } : {}),
  };
}

function fileSpec(type: FieldType, label: Message, widget: string, defaultAccept?: string[], alwaysSingle = false): FieldTypeSpec {
  return {
    type, label, widget, computed: false, facts: fieldFacts,
    jsonSchema: (f) => fileSchema(f, defaultAccept, alwaysSingle || !f.multiple),
    toCsv: (v) => (Array.isArray(v) && v.length === 0 ? '' : scalarText(v)),
    fromCsv: (text) => (text.trim() === '' ? ok(undefined) : jsonFromCsv(text, 'array')),
  };
}

const dateCsv = {
  toCsv: scalarText,
  fromCsv: (text: string): CsvParseResult => {
    if (text.trim() === '') return ok(undefined);
    const d = normalizeDate(text);
    return d ? ok(d) : fail(fieldMessage('notDate', { text }));
  },
};

const checkboxCsv = {
  toCsv: scalarText,
  fromCsv: (text: string): CsvParseResult => {
    const t = text.trim().toLowerCase();
    if (t === '') return ok(undefined);
    if (TRUE_WORDS.has(t)) return ok(true);
    if (FALSE_WORDS.has(t)) return ok(false);
    return fail(fieldMessage('notBoolean', { text }));
  },
};

// Computed values without a declared type: strings stay raw, everything else is JSON.
function looseFromCsv(text: string): CsvParseResult {
  const t = text.trim();
  if (t === '') return ok(undefined);
  if (/^[[{]/.test(t) || NUMBER_RE.test(t) || t === 'true' || t === 'false') {
    try {
      return ok(JSON.parse(t));
    } catch {
      // not JSON: keep the text
    }
  }
  return ok(text);
}

const numberRead = numberSpec('number', { en: 'Number', zh: '数字' });
const textRead = textSpec('text', { en: 'Single line text', zh: '单行文本' }, 'text', 200);

/** The field-type registry: one entry per FieldType (a missing one fails to compile). */
export const fieldTypes = {
  text: textRead,
  textarea: textSpec('textarea', { en: 'Multi-line text', zh: '多行文本' }, 'textarea', 10000),
  number: numberRead,
  money: numberSpec('money', { en: 'Money', zh: '金额' }, 2),
  date: {
    type: 'date', label: { en: 'Date', zh: '日期' }, widget: 'date', computed: false, facts: fieldFacts,
    jsonSchema: () => ({ type: 'string', format: 'date' }),
    ...dateCsv,
  },
  datetime: {
    type: 'datetime', label: { en: 'Date and time', zh: '日期时间' }, widget: 'datetime', computed: false, facts: fieldFacts,
    jsonSchema: () => ({ type: 'string', format: 'date-time' }),
    toCsv: scalarText,
    fromCsv: (text, _f, opts) => {
      if (text.trim() === '') return ok(undefined);
      const d = normalizeDatetime(text, opts?.timeZone);
      return d ? ok(d) : fail(fieldMessage('notDatetime', { text }));
    },
  },
  select: {
    type: 'select', label: { en: 'Single choice', zh: '单选' }, widget: 'select', computed: false, facts: fieldFacts,
    jsonSchema: (f) => ({ type: 'string', enum: optionValues(f) }),
    toCsv: scalarText,
    fromCsv: (text, f) => {
      if (text.trim() === '') return ok(undefined);
      const v = optionFromText(text, f);
      return v === null ? fail(fieldMessage('notOption', { text })) : ok(v);
    },
    checkDefinition: optionChecks,
  },
  multiselect: {
    type: 'multiselect', label: { en: 'Multiple choice', zh: '多选' }, widget: 'checkboxes', computed: false, facts: fieldFacts,
    jsonSchema: (f) => ({ type: 'array', items: { type: 'string', enum: optionValues(f) }, uniqueItems: true }),
    toCsv: listToCsv,
    fromCsv: (text, f) => {
      if (text.trim() === '') return ok(undefined);
      const items = listFromCsv(text);
      if (!items) return fail(fieldMessage('notJson'));
      const out: string[] = [];
      for (const item of items) {
        const v = typeof item === 'string' ? optionFromText(item, f) : null;
        if (v === null) return fail(fieldMessage('notOption', { text: scalarText(item) }));
        if (!out.includes(v)) out.push(v);
      }
      return ok(out);
    },
    checkDefinition: optionChecks,
  },
  checkbox: {
    type: 'checkbox', label: { en: 'Checkbox', zh: '复选框' }, widget: 'checkbox', computed: false, facts: fieldFacts,
    jsonSchema: () => ({ type: 'boolean' }),
    ...checkboxCsv,
  },
  member: idSpec('member', { en: 'Member', zh: '成员' }, 'member'),
  department: idSpec('department', { en: 'Department', zh: '部门' }, 'department'),
  attachment: fileSpec('attachment', { en: 'Attachment', zh: '附件' }, 'file'),
  image: fileSpec('image', { en: 'Image', zh: '图片' }, 'image', ['image/*']),
  signature: fileSpec('signature', { en: 'Signature', zh: '手写签名' }, 'signature', ['image/*'], true),
  subtable: {
    type: 'subtable', label: { en: 'Sub-table', zh: '子表单' }, widget: 'subtable', computed: false, facts: fieldFacts,
    jsonSchema: (f) => {
      const sub = 'fields' in f ? (f.fields ?? []) : [];
      const properties: Record<string, JsonSchema> = {};
      for (const s of sub) {
        const spec = fieldType(s.type);
        properties[s.key] = spec.computed ? { ...spec.jsonSchema(s), readOnly: true } : spec.jsonSchema(s);
      }
      const required = sub.filter((s) => s.required && !fieldType(s.type).computed).map((s) => s.key);
      const row = compact({ type: 'object', properties, required: required.length ? required : undefined, additionalProperties: false });
      const rows = 'minRows' in f || 'maxRows' in f ? (f as Field) : undefined;
      return compact({ type: 'array', items: row, minItems: rows?.minRows, maxItems: rows?.maxRows ?? 10000 });
    },
    toCsv: (v) => (Array.isArray(v) && v.length === 0 ? '' : scalarText(v)),
    fromCsv: (text) => (text.trim() === '' ? ok(undefined) : jsonFromCsv(text, 'array')),
    checkDefinition: (f) => {
      const out: string[] = [];
      if (!('fields' in f) || !f.fields || f.fields.length === 0) out.push('a subtable field needs fields');
      const rows = f as Field;
      if (rows.minRows !== undefined && rows.maxRows !== undefined && rows.minRows > rows.maxRows) out.push('minRows must not be greater than maxRows');
      return out;
    },
  },
  link: idSpec('link', { en: 'Link to records', zh: '关联记录' }, 'link', (f) => (f.form ? [] : ['a link field needs form'])),
  lookup: {
    type: 'lookup', label: { en: 'Lookup', zh: '关联查询' }, widget: 'lookup', computed: true, facts: fieldFacts,
    jsonSchema: () => ({ readOnly: true }),
    toCsv: (v) => (typeof v === 'string' ? v : Array.isArray(v) && v.length === 0 ? '' : scalarText(v)),
    fromCsv: (text, f, opts) => {
      const inner = f.valueType ? fieldType(f.valueType) : undefined;
      if (inner && !inner.computed && !text.trim().startsWith('[')) return inner.fromCsv(text, { ...f, type: f.valueType! }, opts);
      return looseFromCsv(text);
    },
    checkDefinition: (f) => [...(f.link ? [] : ['a lookup field needs link']), ...(f.field ? [] : ['a lookup field needs field'])],
  },
  formula: {
    type: 'formula', label: { en: 'Formula', zh: '公式' }, widget: 'formula', computed: true, facts: fieldFacts,
    jsonSchema: (f) => {
      const t = { number: 'number', text: 'string', date: 'string', boolean: 'boolean' }[f.resultType ?? 'number'];
      return compact({ type: [t, 'null'], format: f.resultType === 'date' ? 'date' : undefined, readOnly: true });
    },
    toCsv: scalarText,
    fromCsv: (text, f) => {
      switch (f.resultType ?? 'number') {
        case 'number': return text.trim() === '' ? ok(undefined) : parseNumber(text);
        case 'date': return dateCsv.fromCsv(text);
        case 'boolean': return checkboxCsv.fromCsv(text);
        default: return textCsv.fromCsv(text);
      }
    },
    checkDefinition: (f) => (f.formula === undefined ? ['a formula field needs formula'] : []),
  },
  serial: {
    type: 'serial', label: { en: 'Serial number', zh: '流水号' }, widget: 'text', computed: true, facts: fieldFacts,
    jsonSchema: () => ({ type: 'string', maxLength: 200, readOnly: true }),
    ...textCsv,
    checkDefinition: (f) => (f.pattern ? checkSerialPattern(f.pattern) : ['a serial field needs pattern']),
  },
  phone: textSpec('phone', { en: 'Phone', zh: '手机号' }, 'text', 32, DEFAULT_PHONE_PATTERN),
  email: {
    ...textSpec('email', { en: 'Email', zh: '邮箱' }, 'email', 254),
    jsonSchema: (f) => compact({ type: 'string', format: 'email', maxLength: f.maxLength ?? 254 }),
  },
  address: {
    type: 'address', label: { en: 'Address', zh: '地址' }, widget: 'address', computed: false, facts: fieldFacts,
    jsonSchema: () => addressSchema,
    toCsv: scalarText,
    fromCsv: (text) => {
      const t = text.trim();
      if (t === '') return ok(undefined);
      // a plain line of text is taken as the street detail
      return t.startsWith('{') ? jsonFromCsv(t, 'object') : ok({ detail: t });
    },
  },
  barcode: textSpec('barcode', { en: 'Barcode / QR code', zh: '扫码' }, 'barcode', 500),
} satisfies Record<FieldType, FieldTypeSpec>;

const KNOWN = new Set<string>(FIELD_TYPES);

export function isFieldType(type: string): type is FieldType {
  return KNOWN.has(type);
}

/** The spec of a field type; an unknown type is a definition error. */
export function fieldType(type: string): FieldTypeSpec {
  if (!isFieldType(type)) throw new TrellisError('INVALID_DEFINITION', `Unknown field type "${type}"`, { type });
  return fieldTypes[type];
}
