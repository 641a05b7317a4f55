// Plain inputs: text, textarea, number and money, date and time, choices, checkbox, phone, e-mail.
import { useEffect, useState } from 'react';
import { useT } from '../../lib/i18n';
import { useFormCtx, type WidgetProps } from '../form-context';
import { optionItems } from '../form-state';

function aria(p: WidgetProps) {
  return {
    id: p.id,
    'aria-invalid': p.invalid || undefined,
    'aria-required': p.state.required || undefined,
    'aria-describedby': p.describedBy,
    readOnly: p.state.readOnly,
  };
}

export function TextWidget(p: WidgetProps<string>) {
  const { lang } = useFormCtx();
  const type = p.field.type === 'email' ? 'email' : p.field.type === 'phone' ? 'tel' : 'text';
  const placeholder = p.field.placeholder ? (typeof p.field.placeholder === 'string' ? p.field.placeholder : p.field.placeholder[lang] ?? p.field.placeholder.en) : undefined;
  return (
    <input
      {...aria(p)}
      type={type}
      inputMode={type === 'tel' ? 'tel' : type === 'email' ? 'email' : undefined}
      autoComplete={type === 'tel' ? 'tel' : type === 'email' ? 'email' : 'off'}
      maxLength={p.field.maxLength}
      placeholder={placeholder}
      value={p.value ?? ''}
      onChange={(e) => p.onChange(e.target.value === '' ? undefined : e.target.value)}
    />
  );
}

export function TextareaWidget(p: WidgetProps<string>) {
  return <textarea {...aria(p)} maxLength={p.field.maxLength} value={p.value ?? ''} onChange={(e) => p.onChange(e.target.value === '' ? undefined : e.target.value)} />;
}

/** Numbers are typed as text so half-typed input ("-", "1.") is not lost; a parsed number is stored as soon as there is one. */
export function NumberWidget(p: WidgetProps<number | string>) {
  const [text, setText] = useState(p.value === undefined ? '' : String(p.value));
  useEffect(() => {
    const parsed = text.trim() === '' ? undefined : Number(text.replace(/,/g, ''));
    if (p.value !== parsed && !(typeof p.value === 'string' && p.value === text)) setText(p.value === undefined ? '' : String(p.value));
  }, [p.value]);
  const currency = p.field.type === 'money' ? (p.field.currency ?? '') : '';
  const input = (
    <input
      {...aria(p)}
      type="text"
      inputMode={p.field.precision === 0 ? 'numeric' : 'decimal'}
      autoComplete="off"
      value={text}
      onChange={(e) => {
        const t = e.target.value;
        setText(t);
        const clean = t.replace(/,/g, '').trim();
        if (clean === '') return p.onChange(undefined);
        const n = Number(clean);
        // an unparsable entry is kept as text: the engine reports "must be a number" for it
        p.onChange(Number.isFinite(n) && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(clean) ? n : t);
      }}
    />
  );
  if (!currency) return input;
  return (
    <div className="tf-affix">
      <span className="tf-affix-text" aria-hidden="true">{currency}</span>
      {input}
    </div>
  );
}

export function DateWidget(p: WidgetProps<string>) {
  return <input {...aria(p)} type="date" value={p.value ?? ''} onChange={(e) => p.onChange(e.target.value || undefined)} />;
}

function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function DatetimeWidget(p: WidgetProps<string>) {
  return (
    <input
      {...aria(p)}
      type="datetime-local"
      value={toLocalInput(p.value)}
      onChange={(e) => {
        const d = e.target.value ? new Date(e.target.value) : null;
        p.onChange(d && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);
      }}
    />
  );
}

export function SelectWidget(p: WidgetProps<string>) {
  const t = useT();
  const { lang } = useFormCtx();
  const items = optionItems(p.field, lang, p.state.options);
  return (
    <select {...aria(p)} disabled={p.state.readOnly} value={p.value ?? ''} onChange={(e) => p.onChange(e.target.value || undefined)}>
      <option value="">{t({ en: 'Choose…', zh: '请选择…' })}</option>
      {items.map((o) => (
        <option key={o.value} value={o.value}>{o.label}</option>
      ))}
      {p.value !== undefined && !items.some((o) => o.value === p.value) && <option value={p.value}>{p.value}</option>}
    </select>
  );
}

export function MultiSelectWidget(p: WidgetProps<string[]>) {
  const { lang } = useFormCtx();
  const items = optionItems(p.field, lang, p.state.options);
  const chosen = new Set(p.value ?? []);
  return (
    <div className="tf-choices" id={p.id} aria-describedby={p.describedBy}>
      {items.map((o, i) => (
        <label key={o.value} className="tf-choice">
          <input
            type="checkbox"
            id={i === 0 ? `${p.id}-0` : undefined}
            disabled={p.state.readOnly}
            checked={chosen.has(o.value)}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.target.checked) next.add(o.value);
              else next.delete(o.value);
              const list = items.map((x) => x.value).filter((v) => next.has(v));
              p.onChange(list.length ? list : undefined);
            }}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

export function CheckboxWidget(p: WidgetProps<boolean>) {
  return (
    <input
      id={p.id}
      type="checkbox"
      aria-describedby={p.describedBy}
      aria-invalid={p.invalid || undefined}
      disabled={p.state.readOnly}
      checked={p.value === true}
      onChange={(e) => p.onChange(e.target.checked)}
    />
  );
}
