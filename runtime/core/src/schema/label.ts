import { Type, type Static } from '@sinclair/typebox';

/** A user-facing text: a plain string or one text per language. */
export const LabelSchema = Type.Union([
  Type.String({ maxLength: 200 }),
  Type.Object(
    { en: Type.Optional(Type.String({ maxLength: 200 })), zh: Type.Optional(Type.String({ maxLength: 200 })) },
    { additionalProperties: false },
  ),
]);
export type Label = Static<typeof LabelSchema>;

export type Locale = 'en' | 'zh';

/** Picks the text for a locale, falling back to the other language. */
export function labelText(label: Label | undefined, locale: Locale = 'en'): string {
  if (label === undefined) return '';
  if (typeof label === 'string') return label;
  return label[locale] ?? label.en ?? label.zh ?? '';
}
