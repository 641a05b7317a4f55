import { Type } from '@sinclair/typebox';
import { LabelSchema, type Label } from './label.js';
import { FIELD_KEY_PATTERN } from './form.js';

/**
 * A print template: how one record of a form is laid out on paper (the
 * printable HTML page and the server's PDF). Plain JSON metadata that names
 * fields by key, so a pack can carry it beside its forms. Texts may hold
 * placeholders: `{fieldKey}` (the field's shown value), `{printedAt}`, and in
 * the header and footer `{page}` and `{pages}`.
 */

export const PAPER_SIZES = ['A4', 'A5', 'Letter'] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];
export const ORIENTATIONS = ['portrait', 'landscape'] as const;
export type Orientation = (typeof ORIENTATIONS)[number];

const Key = Type.String({ pattern: FIELD_KEY_PATTERN });

/** A text with placeholders: a plain string or one text per language. */
export const PrintTextSchema = Type.Union([
  Type.String({ maxLength: 4000 }),
  Type.Object(
    { en: Type.Optional(Type.String({ maxLength: 4000 })), zh: Type.Optional(Type.String({ maxLength: 4000 })) },
    { additionalProperties: false },
  ),
]);
export type PrintText = string | { en?: string; zh?: string };

/** An uploaded image (the upload route's file reference); PNG or JPEG. */
export const PrintImageSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$' }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    size: Type.Optional(Type.Integer({ minimum: 0 })),
    type: Type.Optional(Type.String({ maxLength: 100 })),
    url: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export interface PrintImage {
  id: string;
  name: string;
  size?: number;
  type?: string;
  url?: string;
}

export const PrintMarginsSchema = Type.Object(
  {
    top: Type.Number({ minimum: 5, maximum: 60 }),
    right: Type.Number({ minimum: 5, maximum: 60 }),
    bottom: Type.Number({ minimum: 5, maximum: 60 }),
    left: Type.Number({ minimum: 5, maximum: 60 }),
  },
  { additionalProperties: false, description: 'millimetres' },
);
export type PrintMargins = { top: number; right: number; bottom: number; left: number };

export const PrintBandSchema = Type.Object(
  { text: Type.Optional(PrintTextSchema), logo: Type.Optional(PrintImageSchema) },
  { additionalProperties: false },
);
/** The header or footer printed on every page. */
export interface PrintBand {
  text?: PrintText;
  logo?: PrintImage;
}

const FieldItem = Type.Object({ field: Key, label: Type.Optional(LabelSchema) }, { additionalProperties: false });
const ColumnItem = Type.Object(
  { field: Key, label: Type.Optional(LabelSchema), width: Type.Optional(Type.Number({ minimum: 1, maximum: 10 })) },
  { additionalProperties: false },
);

export const PrintBlockSchema = Type.Union([
  Type.Object({ type: Type.Literal('title'), text: PrintTextSchema }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('fields'), columns: Type.Integer({ minimum: 1, maximum: 4 }), fields: Type.Array(FieldItem, { minItems: 1, maxItems: 200 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('subtable'),
      field: Key,
      title: Type.Optional(PrintTextSchema),
      /** the columns printed, in order; every column of the sub-table when absent */
      columns: Type.Optional(Type.Array(ColumnItem, { minItems: 1, maxItems: 30 })),
      /** number or money columns summed in a totals row */
      totals: Type.Optional(Type.Array(Key, { maxItems: 30 })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('text'), text: PrintTextSchema }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('signatures'), labels: Type.Array(LabelSchema, { minItems: 1, maxItems: 6 }) },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('spacer'), height: Type.Number({ minimum: 1, maximum: 200, description: 'millimetres' }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('pageBreak') }, { additionalProperties: false }),
]);
export interface PrintFieldItem {
  field: string;
  label?: Label;
}
export interface PrintColumn {
  field: string;
  label?: Label;
  /** relative width (1–10) */
  width?: number;
}
export type PrintBlock =
  | { type: 'title'; text: PrintText }
  | { type: 'fields'; columns: number; fields: PrintFieldItem[] }
  | { type: 'subtable'; field: string; title?: PrintText; columns?: PrintColumn[]; totals?: string[] }
  | { type: 'text'; text: PrintText }
  | { type: 'signatures'; labels: Label[] }
  | { type: 'spacer'; height: number }
  | { type: 'pageBreak' };
export type PrintBlockType = PrintBlock['type'];
export const PRINT_BLOCK_TYPES = ['title', 'fields', 'subtable', 'text', 'signatures', 'spacer', 'pageBreak'] as const satisfies readonly PrintBlockType[];

export const PrintTemplateDefinitionSchema = Type.Object(
  {
    name: LabelSchema,
    paper: Type.Union(PAPER_SIZES.map((p) => Type.Literal(p))),
    orientation: Type.Union(ORIENTATIONS.map((o) => Type.Literal(o))),
    margins: PrintMarginsSchema,
    header: Type.Optional(PrintBandSchema),
    footer: Type.Optional(PrintBandSchema),
    body: Type.Array(PrintBlockSchema, { maxItems: 100 }),
  },
  { additionalProperties: false, $id: 'PrintTemplateDefinition' },
);
export interface PrintTemplateDefinition {
  name: Label;
  paper: PaperSize;
  orientation: Orientation;
  margins: PrintMargins;
  header?: PrintBand;
  footer?: PrintBand;
  body: PrintBlock[];
}

/** Paper sizes in millimetres, portrait. */
export const PAPER_MM: Record<PaperSize, { width: number; height: number }> = {
  A4: { width: 210, height: 297 },
  A5: { width: 148, height: 210 },
  Letter: { width: 215.9, height: 279.4 },
};
