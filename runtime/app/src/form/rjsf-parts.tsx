// The pieces @rjsf/core renders the form with: every field is a Trellis field (ui:field), laid out
// by an object template with sections and widths. Validation is not rjsf's: the core engine's
// evaluateRecord checks the data (the same code the server runs), so the validator reports nothing.
import type { FieldProps, FieldTemplateProps, ObjectFieldTemplateProps, ValidatorType } from '@rjsf/utils';
import type { ReactNode } from 'react';
import { useFormCtx } from './form-context';
import { FieldControl } from './FieldControl';

export const engineValidator: ValidatorType = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: () => true,
  rawValidation: () => ({ errors: [] }),
};

/** One top-level field, rendered by the Trellis widgets from the FormView's state. */
export function TrellisField({ name }: FieldProps) {
  const ctx = useFormCtx();
  const field = ctx.fields.get(name);
  const state = ctx.states.get(name);
  if (!field || !state) return null;
  const computed = ['formula', 'lookup', 'serial'].includes(field.type);
  return (
    <FieldControl
      field={field}
      path={name}
      value={computed ? ctx.computed[name] : ctx.value[name]}
      state={state}
      onChange={(v) => ctx.setField(name, v)}
    />
  );
}

export function PassFieldTemplate({ children }: FieldTemplateProps) {
  return children;
}

/** Fields in rows of full, half or third width (one column on a phone), grouped under their section headings. */
export function LayoutTemplate({ properties }: ObjectFieldTemplateProps) {
  const ctx = useFormCtx();
  const groups: { section: string; items: ReactNode[] }[] = [];
  for (const p of properties) {
    if (p.hidden) continue;
    const f = ctx.fields.get(p.name);
    const section = f?.section ?? '';
    if (groups.length === 0 || groups.at(-1)!.section !== section) groups.push({ section, items: [] });
    groups.at(-1)!.items.push(
      <div key={p.name} className={`tf-col tf-w-${f?.width ?? 'full'}`}>{p.content}</div>,
    );
  }
  return (
    <>
      {groups.map((g, i) =>
        g.section ? (
          <section key={i} className="tf-section" aria-labelledby={`${ctx.idPrefix}-section-${i}`}>
            <h2 id={`${ctx.idPrefix}-section-${i}`}>{g.section}</h2>
            <div className="tf-grid">{g.items}</div>
          </section>
        ) : (
          <div key={i} className="tf-grid">{g.items}</div>
        ),
      )}
    </>
  );
}

export function NoButton() {
  return null;
}
