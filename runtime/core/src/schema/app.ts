import { Type, type Static } from '@sinclair/typebox';
import { LabelSchema } from './label.js';

export const AppInputSchema = Type.Object(
  {
    name: LabelSchema,
    description: Type.Optional(LabelSchema),
    icon: Type.Optional(Type.String({ maxLength: 100 })),
    color: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);
export type AppInput = Static<typeof AppInputSchema>;

export const AppPatchSchema = Type.Partial(AppInputSchema, { additionalProperties: false });
export type AppPatch = Static<typeof AppPatchSchema>;
