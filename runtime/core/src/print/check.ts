import type { DefinitionProblem } from '../errors.js';
import type { FormDefinition } from '../schema/form.js';
import type { PrintBand, PrintBlock, PrintTemplateDefinition, PrintText } from '../schema/print-template.js';
import { isNumeric, PAGE_PLACEHOLDERS, placeholders, PRINTED_AT, printField } from './print-values.js';

type Add = (path: string, code: string, message: string) => void;

const IMAGE_TYPES = ['image/png', 'image/jpeg'];

/**
 * Checks a print template against its form: fields that exist, sub-table
 * blocks over sub-table fields with columns of that sub-table, totals over
 * number or money columns, placeholders that name fields. Problems point into
 * the template, e.g. `body[2].columns[1].field`.
 */
export function checkPrintTemplate(def: PrintTemplateDefinition, form: FormDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add: Add = (path, code, message) => problems.push({ path, code, message });
  checkBand(def.header, 'header', form, add);
  checkBand(def.footer, 'footer', form, add);
  def.body.forEach((b, i) => checkBlock(b, `body[${i}]`, form, add));
  return problems;
}

function checkBand(band: PrintBand | undefined, at: string, form: FormDefinition, add: Add): void {
  if (!band) return;
  if (band.text !== undefined) checkText(band.text, `${at}.text`, form, true, add);
  if (band.logo?.type !== undefined && !IMAGE_TYPES.includes(band.logo.type)) {
    add(`${at}.logo`, 'imageType', `The logo must be a PNG or JPEG image, not ${band.logo.type}`);
  }
}

function checkText(text: PrintText, path: string, form: FormDefinition, inBand: boolean, add: Add): void {
  const parts: [string, string][] = typeof text === 'string' ? [[path, text]] : Object.entries(text).map(([lang, s]) => [`${path}.${lang}`, s ?? '']);
  for (const [p, s] of parts) {
    for (const key of placeholders(s)) {
      if (key === PRINTED_AT) continue;
      if ((PAGE_PLACEHOLDERS as readonly string[]).includes(key)) {
        if (!inBand) add(p, 'pageOutsideBand', `{${key}} is only known in the header and footer`);
        continue;
      }
      const f = printField(form, key);
      if (!f) add(p, 'unknownField', `{${key}} is not a field of the form`);
      else if (f.type === 'subtable') add(p, 'subtableInText', `{${key}} is a sub-table: print it with a sub-table block`);
    }
  }
}

function checkBlock(b: PrintBlock, at: string, form: FormDefinition, add: Add): void {
  switch (b.type) {
    case 'title':
    case 'text':
      checkText(b.text, `${at}.text`, form, false, add);
      return;
    case 'fields':
      b.fields.forEach((item, j) => {
        const f = printField(form, item.field);
        if (!f) add(`${at}.fields[${j}].field`, 'unknownField', `Field "${item.field}" is not a field of the form`);
        else if (f.type === 'subtable') add(`${at}.fields[${j}].field`, 'notScalar', `Field "${item.field}" is a sub-table: print it with a sub-table block`);
      });
      return;
    case 'subtable': {
      if (b.title !== undefined) checkText(b.title, `${at}.title`, form, false, add);
      const f = form.fields.find((x) => x.key === b.field);
      if (!f) return add(`${at}.field`, 'unknownField', `Field "${b.field}" is not a field of the form`);
      if (f.type !== 'subtable') return add(`${at}.field`, 'notSubtable', `Field "${b.field}" is not a sub-table`);
      const sub = new Map((f.fields ?? []).map((s) => [s.key, s]));
      const printed = new Set<string>();
      (b.columns ?? []).forEach((c, j) => {
        if (!sub.has(c.field)) add(`${at}.columns[${j}].field`, 'unknownColumn', `"${c.field}" is not a column of sub-table "${b.field}"`);
        printed.add(c.field);
      });
      if (!b.columns) for (const k of sub.keys()) printed.add(k);
      (b.totals ?? []).forEach((k, j) => {
        const s = sub.get(k);
        if (!s) add(`${at}.totals[${j}]`, 'unknownColumn', `"${k}" is not a column of sub-table "${b.field}"`);
        else if (!printed.has(k)) add(`${at}.totals[${j}]`, 'notPrinted', `Column "${k}" is not printed, so it has no total`);
        else if (!isNumeric(s)) add(`${at}.totals[${j}]`, 'notNumber', `Column "${k}" is not a number or money column`);
      });
      return;
    }
    case 'signatures':
    case 'spacer':
    case 'pageBreak':
      return;
    default: {
      const never: never = b;
      throw new Error(`unknown print block ${JSON.stringify(never)}`);
    }
  }
}
