// One field: its label (required marked), the widget for its type, help and error text.
import type { ComponentType } from 'react';
import { labelText } from '@trellis/core';
import { tr } from '../lib/i18n';
import { useFormCtx, type WidgetProps } from './form-context';
import { inputId, type AnyField, type FieldState } from './form-state';
import { plainText, ReadValue } from './read-value';
import { AddressWidget } from './widgets/address';
import { BarcodeWidget } from './widgets/barcode';
import { CheckboxWidget, DatetimeWidget, DateWidget, MultiSelectWidget, NumberWidget, SelectWidget, TextareaWidget, TextWidget } from './widgets/basic';
import { FileWidget } from './widgets/files';
import { DepartmentWidget, LinkWidget, MemberWidget } from './widgets/pickers';
import { SignatureWidget } from './widgets/signature';
import { SubtableWidget } from './widgets/subtable';

type AnyWidget = ComponentType<WidgetProps<never>>;

const WIDGETS: Record<AnyField['type'], AnyWidget | null> = {
  text: TextWidget as AnyWidget,
  textarea: TextareaWidget as AnyWidget,
  number: NumberWidget as AnyWidget,
  money: NumberWidget as AnyWidget,
  date: DateWidget as AnyWidget,
  datetime: DatetimeWidget as AnyWidget,
  select: SelectWidget as AnyWidget,
  multiselect: MultiSelectWidget as AnyWidget,
  checkbox: CheckboxWidget as AnyWidget,
  member: MemberWidget as AnyWidget,
  department: DepartmentWidget as AnyWidget,
  attachment: FileWidget as AnyWidget,
  image: FileWidget as AnyWidget,
  signature: SignatureWidget as AnyWidget,
  subtable: SubtableWidget as AnyWidget,
  link: LinkWidget as AnyWidget,
  phone: TextWidget as AnyWidget,
  email: TextWidget as AnyWidget,
  address: AddressWidget as AnyWidget,
  barcode: BarcodeWidget as AnyWidget,
  // computed: shown read-only
  lookup: null,
  formula: null,
  serial: null,
};

/** types whose read-only value is not one line of text */
const RICH = new Set(['attachment', 'image', 'signature', 'subtable', 'multiselect', 'member', 'department', 'link', 'address', 'textarea', 'select']);
/** types laid out as a group of controls rather than one input */
const GROUPS = new Set(['multiselect', 'address', 'subtable']);

export interface FieldControlProps {
  field: AnyField;
  path: string;
  value: unknown;
  onChange(value: unknown): void;
  state: FieldState;
}

export function FieldControl({ field, path, value, onChange, state }: FieldControlProps) {
  const ctx = useFormCtx();
  const id = inputId(ctx.idPrefix, path);
  const labelId = `${id}-label`;
  const label = labelText(field.label, ctx.lang);
  const error = ctx.errors.get(path);
  const help = field.help !== undefined ? labelText(field.help, ctx.lang) : '';
  const describedBy = [error ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
  const Widget = WIDGETS[field.type];
  const view = ctx.mode === 'view';
  const group = GROUPS.has(field.type);

  let body;
  if (view && field.type !== 'subtable') {
    body = <div className="tf-value" id={id} aria-labelledby={labelId}><ReadValue field={field} value={value} /></div>;
  } else if (!Widget || (state.readOnly && field.type !== 'subtable' && !['attachment', 'image', 'signature'].includes(field.type))) {
    // computed and read-only fields: a read-only input keeps them labelled and focusable
    body = RICH.has(field.type)
      ? <div className="tf-value" id={id} aria-labelledby={labelId}><ReadValue field={field} value={value} /></div>
      : <input id={id} className="tf-readonly" readOnly value={plainText(field, value, ctx.lang)} aria-describedby={describedBy} />;
  } else {
    body = (
      <Widget
        field={field}
        path={path}
        id={id}
        value={value as never}
        onChange={(v: unknown) => {
          // a sub-table reports its own cells' paths
          if (field.type !== 'subtable') ctx.touch(path);
          onChange(v);
        }}
        state={state}
        describedBy={describedBy}
        invalid={!!error}
        label={label}
      />
    );
  }

  const labelClass = state.required && !view ? 'required' : undefined;
  // a group of controls is named by its heading (role=group), not by a <label> on its first input
  const labelEl = field.type === 'checkbox' && !view && !state.readOnly ? null : group && !view ? (
    <span id={labelId} className={`tf-label ${labelClass ?? ''}`}>{label}</span>
  ) : (
    <label id={labelId} htmlFor={id} className={labelClass}>{label}</label>
  );
  return (
    <div
      className={`field tf-field${error ? ' has-error' : ''}`}
      data-field={path}
      role={group && !view ? 'group' : undefined}
      aria-labelledby={group && !view ? labelId : undefined}
    >
      {labelEl ?? (
        <label className="tf-check">
          {body}
          <span id={labelId} className={state.required ? 'required' : undefined}>{label}</span>
        </label>
      )}
      {labelEl && body}
      {help && <div className="help" id={`${id}-help`}>{help}</div>}
      {error && <div className="error" id={`${id}-error`}>{tr(error.message, undefined, ctx.lang)}</div>}
    </div>
  );
}
