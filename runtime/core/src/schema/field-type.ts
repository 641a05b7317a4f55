import { Type, type Static } from '@sinclair/typebox';

/** Every field type a form may use (DESIGN.md "Metadata in brief"). */
export const FIELD_TYPES = [
  'text', 'textarea', 'number', 'money', 'date', 'datetime', 'select', 'multiselect', 'checkbox',
  'member', 'department', 'attachment', 'image', 'signature', 'subtable', 'link', 'lookup',
  'formula', 'serial', 'phone', 'email', 'address', 'barcode',
] as const;

export const FieldTypeSchema = Type.Union(FIELD_TYPES.map((t) => Type.Literal(t)));
export type FieldType = Static<typeof FieldTypeSchema>;
