// Small labelled inputs of the property panel: every one has a <label>.
import { useId, type ReactNode } from 'react';

export function TextInput({ label, value, onChange, placeholder, help, list, error, mono }: {
  label: string; value: string; onChange(v: string): void; placeholder?: string; help?: string; list?: string; error?: string | null; mono?: boolean;
}) {
  const id = useId();
  return (
    <div className={`field fd-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} placeholder={placeholder} list={list} className={mono ? 'mono' : undefined} aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.target.value)} />
      {help && <div className="help">{help}</div>}
      {error && <div className="error" role="alert">{error}</div>}
    </div>
  );
}

export function NumInput({ label, value, onChange, min, max, step, help }: {
  label: string; value: number | undefined; onChange(v: number | undefined): void; min?: number; max?: number; step?: number | 'any'; help?: string;
}) {
  const id = useId();
  return (
    <div className="field fd-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={value ?? ''}
        min={min}
        max={max}
        step={step ?? 'any'}
        onChange={(e) => onChange(e.target.value === '' || !Number.isFinite(e.target.valueAsNumber) ? undefined : e.target.valueAsNumber)}
      />
      {help && <div className="help">{help}</div>}
    </div>
  );
}

export function CheckInput({ label, checked, onChange, help }: { label: string; checked: boolean; onChange(v: boolean): void; help?: string }) {
  const id = useId();
  return (
    <div className="fd-check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {help && <span className="help muted">{help}</span>}
    </div>
  );
}

export function SelectInput({ label, value, onChange, children, help }: { label: string; value: string; onChange(v: string): void; children: ReactNode; help?: string }) {
  const id = useId();
  return (
    <div className="field fd-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
      {help && <div className="help">{help}</div>}
    </div>
  );
}

/** A collapsible part of the panel. */
export function PanelSection({ title, children, open = true }: { title: string; children: ReactNode; open?: boolean }) {
  return (
    <details className="fd-section-box" open={open}>
      <summary>{title}</summary>
      <div className="fd-section-body">{children}</div>
    </details>
  );
}
