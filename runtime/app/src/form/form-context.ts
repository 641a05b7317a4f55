import { createContext, useContext } from 'react';
import type { Field, FieldError, RecordData } from '@trellis/core';
import type { Lang } from '../lib/i18n';
import type { AnyField, FieldState } from './form-state';

export type FormMode = 'fill' | 'view' | 'preview';

/** What every field of one FormView shares. */
export interface FormCtx {
  mode: FormMode;
  lang: Lang;
  idPrefix: string;
  formId?: string;
  recordId?: string;
  /** an approver's task on that record: files are downloaded through it */
  taskId?: string;
  shareToken?: string;
  /** errors shown now, by path */
  errors: Map<string, FieldError>;
  /** the data as the core engine computed it (formulas, lookups) */
  computed: RecordData;
  /** a field at `path` was changed by the user (its server error goes) */
  touch(path: string): void;
  /** a file widget started or finished an upload (submit waits for none) */
  uploading(delta: number): void;
  /** the record data being edited, rule states of its top-level fields and how to set one */
  value: RecordData;
  states: Map<string, FieldState>;
  fields: Map<string, Field>;
  setField(key: string, value: unknown): void;
}

export const FormContext = createContext<FormCtx | null>(null);

export function useFormCtx(): FormCtx {
  const c = useContext(FormContext);
  if (!c) throw new Error('useFormCtx outside a FormView');
  return c;
}

/** The props of every Trellis field widget. */
export interface WidgetProps<V = unknown> {
  field: AnyField;
  /** `amount` or `lines[1].qty` */
  path: string;
  /** DOM id of the (main) input; the label points at it */
  id: string;
  value: V | undefined;
  onChange(value: V | undefined): void;
  state: FieldState;
  /** id of the error/help text for aria-describedby */
  describedBy?: string;
  invalid: boolean;
  /** the field label in the current language (for aria-labels of inner controls) */
  label: string;
}
