// How record values, times and people read in lists and timelines (the form itself is FormView's).
import { labelText, type Field, type FormDefinition } from '@trellis/core';
import type { Lang } from '../lib/i18n';
import { departmentName, personName, type People } from './people';

export function formatTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = d.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en', sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** the field shown as a record's title: the form's titleField, else its first text field */
export function titleField(def: FormDefinition): Field | undefined {
  return (def.titleField ? def.fields.find((f) => f.key === def.titleField) : undefined) ?? def.fields.find((f) => f.type === 'text');
}

function optionLabel(field: Field, value: string, lang: Lang): string {
  for (const o of field.options ?? []) {
    if (typeof o === 'string' ? o === value : o.value === value) return typeof o === 'string' ? o : labelText(o.label ?? o.value, lang);
  }
  return value;
}

/** one value of a field as short text for a list row or a timeline change; '' when empty */
export function displayValue(field: Field | undefined, value: unknown, lang: Lang, people: People): string {
  if (value === undefined || value === null || value === '') return '';
  const many = Array.isArray(value) ? value : [value];
  switch (field?.type) {
    case 'select':
    case 'multiselect':
      return many.map((v) => optionLabel(field, String(v), lang)).join(', ');
    case 'member':
      return many.map((v) => personName(people, String(v))).join(', ');
    case 'department':
      return many.map((v) => departmentName(people, String(v), lang)).join(', ');
    case 'checkbox':
      return value === true ? (lang === 'zh' ? '是' : 'Yes') : lang === 'zh' ? '否' : 'No';
    case 'money':
    case 'number':
      return typeof value === 'number'
        ? new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', field.precision === undefined ? {} : { minimumFractionDigits: field.precision, maximumFractionDigits: field.precision }).format(value) + (field.currency ? ` ${field.currency}` : '')
        : String(value);
    case 'datetime':
      return typeof value === 'string' ? formatTime(value, lang) : String(value);
    case 'subtable':
      return Array.isArray(value) ? (lang === 'zh' ? `${value.length} 行` : `${value.length} row${value.length === 1 ? '' : 's'}`) : '';
    case 'attachment':
    case 'image':
      return Array.isArray(value) ? (lang === 'zh' ? `${value.length} 个文件` : `${value.length} file${value.length === 1 ? '' : 's'}`) : lang === 'zh' ? '1 个文件' : '1 file';
    case 'signature':
      return lang === 'zh' ? '已签名' : 'Signed';
    case 'address': {
      const a = value as Record<string, unknown>;
      return ['province', 'city', 'district', 'detail'].map((k) => a[k]).filter((x) => typeof x === 'string' && x).join(' ');
    }
    default:
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value);
  }
}
