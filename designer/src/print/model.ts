// The print template editor's pure part: a template to start from, block moves, the fields a
// block may name, and the server's problems sorted by the block they point at.
import { isNumeric, SYSTEM_PRINT_FIELDS, type DefinitionProblem, type FormDefinition, type Label, type PrintBlock, type PrintBlockType, type PrintTemplateDefinition } from '@trellis/core';

export interface FieldChoice {
  key: string;
  label: Label;
}

/** Fields a field block or a placeholder may name: the form's, other than sub-tables, then the record's own. */
export function scalarFields(form: FormDefinition): FieldChoice[] {
  return [
    ...form.fields.filter((f) => f.type !== 'subtable').map((f) => ({ key: f.key, label: f.label })),
    ...SYSTEM_PRINT_FIELDS.map((f) => ({ key: f.key, label: f.label })),
  ];
}

export function subtables(form: FormDefinition): FieldChoice[] {
  return form.fields.filter((f) => f.type === 'subtable').map((f) => ({ key: f.key, label: f.label }));
}

/** The columns of a sub-table field, with whether they can be summed. */
export function columnsOf(form: FormDefinition, key: string): (FieldChoice & { numeric: boolean })[] {
  const f = form.fields.find((x) => x.key === key);
  return (f?.fields ?? []).map((s) => ({ key: s.key, label: s.label, numeric: isNumeric(s) }));
}

/** A new block of a type, filled from the form where it needs fields. */
export function newBlock(type: PrintBlockType, form: FormDefinition): PrintBlock {
  switch (type) {
    case 'title':
      return { type, text: form.titleField ? `{${form.titleField}}` : 'Title' };
    case 'fields': {
      const first = scalarFields(form).slice(0, 4);
      return { type, columns: 2, fields: first.length ? first.map((f) => ({ field: f.key })) : [{ field: 'createdAt' }] };
    }
    case 'subtable': {
      const table = subtables(form)[0];
      return { type, field: table?.key ?? '' };
    }
    case 'text':
      return { type, text: '' };
    case 'signatures':
      return { type, labels: [{ en: 'Signature', zh: '签字' }] };
    case 'spacer':
      return { type, height: 10 };
    case 'pageBreak':
      return { type };
  }
}

/** A template to start from: a title, the form's fields in two columns, each sub-table, page numbers below. */
export function starterTemplate(form: FormDefinition): PrintTemplateDefinition {
  const fields = scalarFields(form).filter((f) => !SYSTEM_PRINT_FIELDS.some((s) => s.key === f.key));
  const body: PrintBlock[] = [{ type: 'title', text: form.name }];
  if (fields.length) body.push({ type: 'fields', columns: 2, fields: fields.map((f) => ({ field: f.key })) });
  for (const t of subtables(form)) {
    const numeric = columnsOf(form, t.key).filter((c) => c.numeric).map((c) => c.key);
    body.push({ type: 'subtable', field: t.key, ...(numeric.length ? { totals: numeric } : {}) });
  }
  return {
    name: form.name,
    paper: 'A4',
    orientation: 'portrait',
    margins: { top: 20, right: 15, bottom: 20, left: 15 },
    footer: { text: { en: 'Page {page} of {pages}', zh: '第 {page} 页，共 {pages} 页' } },
    body,
  };
}

/** The list with item `i` moved by `by` places (unchanged at the ends). */
export function move<T>(list: readonly T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const next = [...list];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** Problems by where they point: `body[2]…` under the block's index, anything else under -1. */
export function problemsByBlock(problems: readonly DefinitionProblem[]): Map<number, DefinitionProblem[]> {
  const out = new Map<number, DefinitionProblem[]>();
  for (const p of problems) {
    const m = /^body\[(\d+)\]/.exec(p.path);
    const at = m ? Number(m[1]) : -1;
    out.set(at, [...(out.get(at) ?? []), p]);
  }
  return out;
}
