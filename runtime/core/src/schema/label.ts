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

