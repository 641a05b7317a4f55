// Kept apart from label.ts (which builds the TypeBox schema) so a page that only shows text
// does not load TypeBox.
import type { Label } from './label.js';

export type Locale = 'en' | 'zh';

/** Picks the text for a locale, falling back to the other language. */
export function labelText(label: Label | undefined, locale: Locale = 'en'): string {
  if (label === undefined) return '';
  if (typeof label === 'string') return label;
  return label[locale] ?? label.en ?? label.zh ?? '';
}
