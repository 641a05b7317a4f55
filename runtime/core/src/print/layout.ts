import type { RecordData } from '../record.js';
import type { FormDefinition } from '../schema/form.js';
import type { Label } from '../schema/label.js';
import { labelText, type Locale } from '../schema/label-text.js';
import type { Orientation, PaperSize, PrintBand, PrintBlock, PrintColumn, PrintImage, PrintMargins, PrintTemplateDefinition, PrintText } from '../schema/print-template.js';
import { formatDateTime, formatPrintValue, isNumeric, PAGE_PLACEHOLDERS, PLACEHOLDER_RE, PRINTED_AT, printField, type PrintFormat } from './print-values.js';

/** What a template prints about a record (as the reader may see it: hidden fields already taken out). */
export interface PrintRecord {
  id: string;
  data: RecordData;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
}

export interface PrintLayoutOptions {
  locale?: Locale;
  /** IANA zone for datetimes and the time of printing; UTC when unset */
  timeZone?: string;
  /** the time of printing */
  now?: Date;
}

/** A piece of a header or footer: text, or a page counter the renderer fills in per page. */
export type BandPart = { text: string } | { counter: 'page' | 'pages' };

export interface PrintBandModel {
  parts: BandPart[];
  logo: PrintImage | null;
}

export interface PrintColumnModel {
  key: string;
  label: string;
  /** relative width */
  width: number;
  align: 'left' | 'right';
}

export type PrintBlockModel =
  | { type: 'title'; text: string }
  | { type: 'fields'; columns: number; items: { key: string; label: string; value: string }[] }
  | { type: 'subtable'; key: string; title: string; columns: PrintColumnModel[]; rows: string[][]; totals: string[] | null }
  | { type: 'text'; text: string }
  | { type: 'signatures'; labels: string[] }
  | { type: 'spacer'; height: number }
  | { type: 'pageBreak' };

/** A template applied to one record: every text resolved, ready for the HTML and PDF renderers. */
export interface PrintModel {
  name: string;
  locale: Locale;
  paper: PaperSize;
  orientation: Orientation;
  /** millimetres */
  margins: PrintMargins;
  header: PrintBandModel | null;
  footer: PrintBandModel | null;
  blocks: PrintBlockModel[];
  printedAt: string;
}

/**
 * Lays out one record with a template. Fields the form does not have (or the
 * reader may not see: pass the form as they see it) are left out: a field
 * block without them, a sub-table without those columns, an empty text for
 * their placeholders. `labels` names members, departments and linked records
 * by id.
 */
export function layoutPrint(
  template: PrintTemplateDefinition,
  form: FormDefinition,
  record: PrintRecord,
  labels: Readonly<Record<string, Label>>,
  options: PrintLayoutOptions = {},
): PrintModel {
  const locale = options.locale ?? 'en';
  const fmt: PrintFormat = { locale, labels, ...(options.timeZone ? { timeZone: options.timeZone } : {}) };
  const printedAt = formatDateTime((options.now ?? new Date()).toISOString(), options.timeZone);
  const shown = (key: string): string => {
    if (key === PRINTED_AT) return printedAt;
    const f = printField(form, key);
    if (!f || f.type === 'subtable') return '';
    return formatPrintValue(f, recordValue(record, key), fmt);
  };
  const text = (t: PrintText | undefined): string => resolveText(labelText(t as Label | undefined, locale), shown);
  const band = (b: PrintBand | undefined): PrintBandModel | null => {
    if (!b || (b.text === undefined && !b.logo)) return null;
    return { parts: bandParts(labelText(b.text as Label | undefined, locale), shown), logo: b.logo ?? null };
  };
  const blocks: PrintBlockModel[] = [];
  for (const b of template.body) {
    const m = layoutBlock(b, form, record, fmt, text);
    if (m) blocks.push(m);
  }
  return {
    name: labelText(template.name, locale),
    locale,
    paper: template.paper,
    orientation: template.orientation,
    margins: template.margins,
    header: band(template.header),
    footer: band(template.footer),
    blocks,
    printedAt,
  };
}

/** A field's value, or the record's own id, times and creator (form fields cannot take those reserved keys). */
function recordValue(record: PrintRecord, key: string): unknown {
  switch (key) {
    case 'id':
    case 'createdAt':
    case 'updatedAt':
    case 'createdBy':
      return record[key];
    default:
      return record.data[key];
  }
}

function resolveText(s: string, shown: (key: string) => string): string {
  return s.replace(PLACEHOLDER_RE, (_m, key: string) => shown(key));
}

/** A header or footer text in parts, `{page}` and `{pages}` kept as counters. */
function bandParts(s: string, shown: (key: string) => string): BandPart[] {
  const parts: BandPart[] = [];
  let last = 0;
  const push = (t: string) => {
    if (t === '') return;
    const prev = parts.at(-1);
    if (prev && 'text' in prev) prev.text += t;
    else parts.push({ text: t });
  };
  for (const m of s.matchAll(PLACEHOLDER_RE)) {
    push(s.slice(last, m.index));
    const key = m[1]!;
    if ((PAGE_PLACEHOLDERS as readonly string[]).includes(key)) parts.push({ counter: key as 'page' | 'pages' });
    else push(shown(key));
    last = m.index + m[0].length;
  }
  push(s.slice(last));
  return parts;
}

/** A header or footer as text for one page. */
export function bandText(parts: readonly BandPart[], page: number, pages: number): string {
  return parts.map((p) => ('text' in p ? p.text : String(p.counter === 'page' ? page : pages))).join('');
}

function layoutBlock(b: PrintBlock, form: FormDefinition, record: PrintRecord, fmt: PrintFormat, text: (t: PrintText | undefined) => string): PrintBlockModel | null {
  const label = (l: Label | undefined, fallback: Label) => labelText(l ?? fallback, fmt.locale);
  switch (b.type) {
    case 'title':
      return { type: 'title', text: text(b.text) };
    case 'text':
      return { type: 'text', text: text(b.text) };
    case 'fields': {
      const items: { key: string; label: string; value: string }[] = [];
      for (const item of b.fields) {
        const f = printField(form, item.field);
        if (!f || f.type === 'subtable') continue;
        items.push({ key: item.field, label: label(item.label, f.label), value: formatPrintValue(f, recordValue(record, item.field), fmt) });
      }
      return items.length ? { type: 'fields', columns: b.columns, items } : null;
    }
    case 'subtable': {
      const f = form.fields.find((x) => x.key === b.field);
      if (!f || f.type !== 'subtable') return null;
      const sub = new Map((f.fields ?? []).map((s) => [s.key, s]));
      const chosen: PrintColumn[] = b.columns ?? (f.fields ?? []).map((s) => ({ field: s.key }));
      const columns = chosen.flatMap((c) => {
        const s = sub.get(c.field);
        return s ? [{ field: s, column: { key: s.key, label: label(c.label, s.label), width: c.width ?? 1, align: isNumeric(s) ? ('right' as const) : ('left' as const) } }] : [];
      });
      if (columns.length === 0) return null;
      const raw = record.data[b.field];
      const data = Array.isArray(raw) ? raw.filter((r): r is RecordData => !!r && typeof r === 'object') : [];
      const rows = data.map((r) => columns.map(({ field }) => formatPrintValue(field, r[field.key], fmt)));
      const summed = new Set((b.totals ?? []).filter((k) => sub.has(k) && isNumeric(sub.get(k)!)));
      let totals: string[] | null = null;
      if (columns.some(({ field }) => summed.has(field.key))) {
        totals = columns.map(({ field }) => {
          if (!summed.has(field.key)) return '';
          let sum = 0;
          for (const r of data) if (typeof r[field.key] === 'number' && Number.isFinite(r[field.key])) sum += r[field.key] as number;
          // cents added up as binary fractions drift: round to the column's precision (or 8 digits)
          const digits = field.type === 'money' ? (field.precision ?? 2) : (field.precision ?? 8);
          return formatPrintValue(field, Number(sum.toFixed(digits)), fmt);
        });
        // the first column says what the row is, unless it holds a total itself
        if (totals[0] === '') totals[0] = fmt.locale === 'zh' ? '合计' : 'Total';
      }
      const title = b.title !== undefined ? text(b.title) : labelText(f.label, fmt.locale);
      return { type: 'subtable', key: b.field, title, columns: columns.map((c) => c.column), rows, totals };
    }
    case 'signatures':
      return { type: 'signatures', labels: b.labels.map((l) => labelText(l, fmt.locale)) };
    case 'spacer':
      return { type: 'spacer', height: b.height };
    case 'pageBreak':
      return { type: 'pageBreak' };
    default: {
      const never: never = b;
      throw new Error(`unknown print block ${JSON.stringify(never)}`);
    }
  }
}
