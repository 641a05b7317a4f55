import { Type, type Static } from '@sinclair/typebox';
import { LabelSchema } from './label.js';
import { LogicSchema } from './logic.js';
import { FieldTypeSchema } from './field-type.js';

/** Field keys: letters, digits and underscores, starting with a letter. */
export const FIELD_KEY_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,63}$';

export const OptionSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: 200 }),
  Type.Object(
    { value: Type.String({ minLength: 1, maxLength: 200 }), label: Type.Optional(LabelSchema), color: Type.Optional(Type.String({ maxLength: 32 })) },
    { additionalProperties: false },
  ),
]);
export type Option = Static<typeof OptionSchema>;

const fieldProperties = {
  key: Type.String({ pattern: FIELD_KEY_PATTERN }),
  type: FieldTypeSchema,
  label: LabelSchema,
  help: Type.Optional(LabelSchema),
  placeholder: Type.Optional(LabelSchema),
  required: Type.Optional(Type.Boolean()),
  unique: Type.Optional(Type.Boolean()),
  indexed: Type.Optional(Type.Boolean()),
  readOnly: Type.Optional(Type.Boolean()),
  hidden: Type.Optional(Type.Boolean()),
  default: Type.Optional(Type.Unknown()),
  options: Type.Optional(Type.Array(OptionSchema, { maxItems: 1000 })),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  minLength: Type.Optional(Type.Integer({ minimum: 0 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  /** text/phone/barcode: a regular expression the value must match; serial: the number pattern, e.g. `PR-{YYYYMMDD}-{0000}`. */
  pattern: Type.Optional(Type.String({ maxLength: 200 })),
  /** number/money: digits after the decimal point. */
  precision: Type.Optional(Type.Integer({ minimum: 0, maximum: 8 })),
  /** money: ISO currency code shown beside the amount. */
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  /** link/member/department/attachment/image: more than one value. */
  multiple: Type.Optional(Type.Boolean()),
  /** link: the form the field points at (form id, or a pack-local key inside a pack). */
  form: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  /** link: the field of the linked form shown as the record's title. */
  displayField: Type.Optional(Type.String({ pattern: FIELD_KEY_PATTERN })),
  /** lookup: the link field of this form to read through. */
  link: Type.Optional(Type.String({ pattern: FIELD_KEY_PATTERN })),
  /** lookup: the field of the linked form to copy. */
  field: Type.Optional(Type.String({ pattern: FIELD_KEY_PATTERN })),
  /** lookup: the type of the copied field; the server fills it in on publish from the linked form. */
  valueType: Type.Optional(FieldTypeSchema),
  /** formula: a json-logic expression over the record (see engine/formula.ts for the extra operators). */
  formula: Type.Optional(LogicSchema),
  /** formula: the type of the computed value. */
  resultType: Type.Optional(Type.Union([Type.Literal('number'), Type.Literal('text'), Type.Literal('date'), Type.Literal('boolean')])),
  /** attachment/image: accepted MIME types and maximum size in bytes of each file. */
  accept: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
  maxSize: Type.Optional(Type.Integer({ minimum: 1 })),
  /** layout hints for the designer and runtime. */
  width: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('half'), Type.Literal('third')])),
  section: Type.Optional(Type.String({ maxLength: 100 })),
};

/** A field inside a sub-table: every field type except sub-table itself. */
export const SubFieldSchema = Type.Object(fieldProperties, { additionalProperties: false });
export type SubField = Static<typeof SubFieldSchema>;

export const FieldSchema = Type.Object(
  {
    ...fieldProperties,
    /** subtable: the fields of each row. */
    fields: Type.Optional(Type.Array(SubFieldSchema, { maxItems: 100 })),
    /** subtable: bounds on the number of rows. */
    minRows: Type.Optional(Type.Integer({ minimum: 0 })),
    maxRows: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false },
);
export type Field = Static<typeof FieldSchema>;

/**
 * A rule attaches json-logic to one field. Each expression sees
 * `{ ...record data, $user, $now, $today }` (see engine/rules.ts).
 */
export const RuleSchema = Type.Object(
  {
    field: Type.String({ pattern: FIELD_KEY_PATTERN }),
    visible: Type.Optional(LogicSchema),
    required: Type.Optional(LogicSchema),
    readOnly: Type.Optional(LogicSchema),
    /** value used when the field is empty on create */
    default: Type.Optional(LogicSchema),
    /** must evaluate to the array of allowed option values */
    options: Type.Optional(LogicSchema),
    /** a check of the value (e.g. not more than is on hand): valid when this holds, read after formulas and lookups; an empty value is not checked */
    check: Type.Optional(LogicSchema),
    /** what a failed check tells the user */
    message: Type.Optional(LabelSchema),
    /** value linkage: fill the field from a record found in another form */
    fill: Type.Optional(
      Type.Object(
        {
          form: Type.String({ minLength: 1, maxLength: 100 }),
          /** other form's field → expression over this record giving the value to match */
          match: Type.Record(Type.String({ pattern: FIELD_KEY_PATTERN }), LogicSchema),
          take: Type.String({ pattern: FIELD_KEY_PATTERN }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Rule = Static<typeof RuleSchema>;

/** A form definition: what packs contain and `PUT /api/forms/:formId` takes. */
export const FormDefinitionSchema = Type.Object(
  {
    name: LabelSchema,
    description: Type.Optional(LabelSchema),
    fields: Type.Array(FieldSchema, { maxItems: 500 }),
    rules: Type.Optional(Type.Array(RuleSchema, { maxItems: 500 })),
    /** field shown as the title of a record (lists, link pickers) */
    titleField: Type.Optional(Type.String({ pattern: FIELD_KEY_PATTERN })),
  },
  { additionalProperties: false },
);
export type FormDefinition = Static<typeof FormDefinitionSchema>;

/** Keys a field may not take: they name record properties or context variables. */
export const RESERVED_FIELD_KEYS = [
  'id', 'formId', 'formVersion', 'version', 'data', 'createdBy', 'createdAt', 'updatedAt', 'status',
  'constructor', 'prototype', '__proto__', 'toString', 'valueOf', 'hasOwnProperty',
] as const;
