import type { Label } from '../schema/label.js';

/**
 * Messages of `notify` actions: text with `{field}` placeholders that name
 * fields of the record, filled in when the action runs.
 */

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]{0,63})\}/g;

/** The field keys a message names as `{key}`, in order (repeats kept). */
export function messageFieldKeys(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** How a value reads inside a message: arrays joined, objects and nothing as empty. */
function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(asText).filter(Boolean).join(', ');
  if (typeof v === 'object') return '';
  return String(v);
}

/** The message with each `{key}` replaced by the record's value (unknown keys stay as written). */
export function fillMessage(message: Label, data: Readonly<Record<string, unknown>>): Label {
  const fill = (text: string) => text.replace(PLACEHOLDER, (whole, key: string) => (key in data ? asText(data[key]) : whole));
  if (typeof message === 'string') return fill(message);
  return Object.fromEntries(Object.entries(message).map(([lang, text]) => [lang, fill(text)])) as Label;
}
