// The one form renderer of Trellis, used by the runtime's fill/detail pages, the share-link page
// and the designer's live preview. It compiles the definition with @trellis/core (the same code
// the server runs), evaluates rules, formulas and checks with core's evaluateRecord as the user
// types, and renders with @rjsf/core and Trellis widgets for every field type.
import Form from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useExternal } from './use-external';
import { compileForm, evaluateRecord, type CompiledForm, type EvalContext, type FieldError, type FormDefinition, type RecordData } from '@trellis/core';
import { useLang, useT } from '../lib/i18n';
import { useSession } from '../lib/session';
import { ErrorBox } from '../ui/common';
import { FormContext, type FormCtx } from './form-context';
import { cleanForSubmit, errorsByPath, fieldStates, isComputed, withDefaults } from './form-state';
import { engineValidator, LayoutTemplate, NoButton, PassFieldTemplate, TrellisField } from './rjsf-parts';
import './form.css';

export interface FormViewProps {
  /** the published (or, in the designer preview, draft) definition */
  definition: FormDefinition;
  /** form id: link pickers, uploads; absent in a designer preview of an unsaved form */
  formId?: string;
  value: RecordData;
  onChange(value: RecordData): void;
  /** 'fill' = create or edit; 'view' = read only; 'preview' = designer preview (no uploads, no server calls) */
  mode: 'fill' | 'view' | 'preview';
  /** 'create' or 'update' (rules such as defaults differ) */
  action?: 'create' | 'update';
  /** the stored data of the record being edited */
  previous?: RecordData;
  /** errors from the server (422 details.fields) shown on their fields; cleared per field as it changes */
  serverErrors?: FieldError[];
  /** keys the caller may not set (permissions), shown read-only */
  locked?: ReadonlySet<string>;
  /** on a share-link page: uploads go through the link */
  shareToken?: string;
  /** called with the data when the user submits and the browser-side checks pass */
  onSubmit?(value: RecordData): void;
  submitLabel?: string;
  busy?: boolean;
  /** the record shown or edited: its files are downloaded through it (GET /api/files/:id?record=&form=) */
  recordId?: string;
  /** the approver's task the record is shown for (GET /api/files/:id?task=) */
  taskId?: string;
}

const FIELDS = { trellis: TrellisField };
const TEMPLATES = { FieldTemplate: PassFieldTemplate, ObjectFieldTemplate: LayoutTemplate, ButtonTemplates: { SubmitButton: NoButton } };

export function FormView(props: FormViewProps) {
  const compiled = useMemo((): { ok: CompiledForm } | { error: unknown } => {
    try {
      // a published definition was checked by the server; a designer preview (a draft) is checked here
      return { ok: compileForm(props.definition, undefined, { trusted: props.mode !== 'preview' }) };
    } catch (error) {
      return { error };
    }
  }, [props.definition, props.mode]);
  if ('error' in compiled) return <ErrorBox error={compiled.error} />;
  return <CompiledFormView {...props} compiled={compiled.ok} />;
}

function CompiledFormView(props: FormViewProps & { compiled: CompiledForm }) {
  const { compiled, value, onChange, mode, previous, locked, serverErrors } = props;
  const action = props.action ?? 'create';
  const t = useT();
  const lang = useLang();
  const session = useSession();
  const idPrefix = `tf${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const formRef = useRef<HTMLDivElement>(null);
  const [submitted, setSubmitted] = useState(false);
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const [uploads, setUploads] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [scrollTick, setScrollTick] = useState(0);

  const user = session.status === 'signedIn' ? session.user : null;
  const ctx: EvalContext = useMemo(
    () => ({ user: user ? { id: user.id, name: user.name, departments: user.departments, roles: user.roles } : null, now: new Date(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
    [user],
  );

  // what the engine sees: known, non-computed fields only (a restored draft may hold stale keys)
  const input = useMemo(() => {
    const out: RecordData = {};
    for (const [k, v] of Object.entries(value)) {
      const f = compiled.fields.get(k);
      if (f && !isComputed(f)) out[k] = v;
    }
    return out;
  }, [compiled, value]);
  // lookups and value linkage read other forms: fetched as the user types, except in a preview or on a public link
  const external = useExternal(compiled, input, ctx, { enabled: mode === 'fill' && !props.shareToken, ...(previous ? { previous } : {}), ...(locked ? { locked } : {}) });
  const evaluated = useMemo(
    () => (mode === 'view' ? { data: value, errors: [] } : evaluateRecord(compiled, input, ctx, external, { mode: action, ...(previous ? { previous } : {}), ...(locked ? { locked } : {}) })),
    [compiled, input, ctx, external, action, previous, locked, mode, value],
  );
  const computed = evaluated.data;
  // a value found by value linkage lands in its field, as the server will put it there on submit
  useEffect(() => {
    let next = value;
    for (const [key, found] of Object.entries(external.fills)) {
      if (found === undefined || !compiled.fields.has(key) || JSON.stringify(value[key]) === JSON.stringify(found)) continue;
      next = { ...next, [key]: found };
    }
    if (next !== value) onChange(next);
  }, [external]);
  const states = useMemo(() => {
    const withComputed: RecordData = { ...input };
    for (const f of compiled.fields.values()) if (isComputed(f) && computed[f.key] !== undefined) withComputed[f.key] = computed[f.key];
    return fieldStates(compiled, withComputed, ctx, locked);
  }, [compiled, input, computed, ctx, locked]);

  // a new record starts with its defaults (and the least number of sub-table rows) in view
  const initialised = useRef(false);
  useEffect(() => {
    if (initialised.current || mode === 'view' || action !== 'create') return;
    initialised.current = true;
    let next = withDefaults(compiled, value, computed);
    for (const f of compiled.fields.values()) {
      if (f.type === 'subtable' && (f.minRows ?? 0) > 0 && !Array.isArray(next[f.key])) next = { ...next, [f.key]: Array.from({ length: f.minRows! }, () => ({})) };
    }
    if (next !== value) onChange(next);
  }, []);

  // new server errors: all shown again, and the first one brought into view
  useEffect(() => {
    setDismissed(new Set());
    if (serverErrors?.length) setScrollTick((n) => n + 1);
  }, [serverErrors]);

  const errors = useMemo(() => {
    const list: FieldError[] = [];
    for (const e of serverErrors ?? []) if (!dismissed.has(e.field)) list.push(e);
    if (submitted) list.push(...evaluated.errors);
    return errorsByPath(list);
  }, [serverErrors, dismissed, submitted, evaluated.errors]);

  useEffect(() => {
    if (scrollTick === 0) return;
    const el = formRef.current?.querySelector<HTMLElement>('.tf-field.has-error');
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea, button')?.focus({ preventScroll: true });
  }, [scrollTick]);

  const touch = useCallback((path: string) => {
    setNotice(null);
    setDismissed((d) => {
      if (d.has(path)) return d;
      const next = new Set(d);
      next.add(path);
      return next;
    });
  }, []);
  const setField = useCallback(
    (key: string, v: unknown) => {
      const next = { ...value };
      if (v === undefined) delete next[key];
      else next[key] = v;
      onChange(next);
    },
    [value, onChange],
  );
  const uploading = useCallback((delta: number) => setUploads((n) => n + delta), []);

  const formCtx: FormCtx = {
    mode, lang, idPrefix, formId: props.formId, recordId: props.recordId, taskId: props.taskId, shareToken: props.shareToken,
    errors, computed, touch, uploading, value, states, fields: compiled.fields, setField,
  };

  // rjsf walks the visible fields in order; each one is a Trellis field
  const visibleKeys = compiled.definition.fields.map((f) => f.key).filter((k) => states.get(k)?.visible);
  const schema = useMemo(() => {
    const all = (compiled.jsonSchema.properties ?? {}) as Record<string, RJSFSchema>;
    return { type: 'object', properties: Object.fromEntries(visibleKeys.map((k) => [k, all[k] ?? {}])) } as RJSFSchema;
  }, [compiled, visibleKeys.join(',')]);
  const uiSchema = useMemo(() => {
    const ui: UiSchema = { 'ui:order': visibleKeys };
    for (const k of visibleKeys) ui[k] = { 'ui:field': 'trellis' };
    return ui;
  }, [visibleKeys.join(',')]);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (mode !== 'fill' && mode !== 'preview') return;
    setSubmitted(true);
    if (uploads > 0) {
      setNotice(t({ en: 'Wait until the uploads have finished.', zh: '请等待文件上传完成。' }));
      return;
    }
    if (evaluated.errors.length > 0) {
      setNotice(t({ en: 'Some fields need your attention.', zh: '部分字段需要修改。' }));
      setScrollTick((n) => n + 1);
      return;
    }
    setNotice(null);
    if (mode === 'fill') props.onSubmit?.(cleanForSubmit(compiled, value, states));
  }

  return (
    <FormContext.Provider value={formCtx}>
      <div ref={formRef} className={`tf-form tf-mode-${mode}`}>
        <Form
          schema={schema}
          uiSchema={uiSchema}
          formData={value}
          validator={engineValidator}
          fields={FIELDS}
          templates={TEMPLATES}
          noValidate
          noHtml5Validate
          showErrorList={false}
          readonly={mode === 'view'}
          experimental_defaultFormStateBehavior={{ emptyObjectFields: 'skipDefaults', arrayMinItems: { populate: 'never' } }}
          onSubmit={() => submit()}
          idPrefix={idPrefix}
        >
          {mode !== 'view' && props.onSubmit && (
            <div className="tf-actions">
              {notice && <div className="alert" role="alert">{notice}</div>}
              <button type="submit" className="btn btn-primary btn-block" disabled={props.busy || mode === 'preview'}>
                {props.busy ? t({ en: 'Submitting…', zh: '提交中…' }) : (props.submitLabel ?? t({ en: 'Submit', zh: '提交' }))}
              </button>
            </div>
          )}
        </Form>
      </div>
    </FormContext.Provider>
  );
}
