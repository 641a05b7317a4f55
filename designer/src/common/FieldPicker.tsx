// A labelled select of fields (by label, with the key), used wherever the designer asks for a field.
import { useId } from 'react';
import { fieldType, type Field, type SubField } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';

export interface FieldPickerProps {
  label: string;
  fields: readonly (Field | SubField)[];
  value: string;
  onChange(key: string): void;
  /** text of the empty choice; without it the select has no empty choice */
  empty?: string;
  /** show the field type beside each name */
  showType?: boolean;
}

export function FieldPicker({ label, fields, value, onChange, empty, showType }: FieldPickerProps) {
  const t = useT();
  const id = useId();
  const known = fields.some((f) => f.key === value);
  return (
    <div className="field fd-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {empty !== undefined && <option value="">{empty}</option>}
        {!known && value !== '' && <option value={value}>{value}</option>}
        {fields.map((f) => (
          <option key={f.key} value={f.key}>
            {(t(f.label) || f.key) + (showType ? ` · ${t(fieldType(f.type).label)}` : '')}
          </option>
        ))}
      </select>
    </div>
  );
}
