// The value for "Edit selected": a plain input fitting the field's type (empty clears the field).
import { labelText, type Field } from '@trellis/core';
import { useT, type Lang } from '../../lib/i18n';

interface Props {
  field: Field;
  text: string;
  checked: boolean;
  lang: Lang;
  onText(v: string): void;
  onChecked(v: boolean): void;
}

export function BulkValueInput({ field, text, checked, lang, onText, onChecked }: Props) {
  const t = useT();
  const label = t({ en: 'New value', zh: '新值' });
  if (field.type === 'checkbox') {
    return (
      <label className="row check-row">
        <input type="checkbox" checked={checked} onChange={(e) => onChecked(e.target.checked)} />
        <span>{label}: {t(field.label)}</span>
      </label>
    );
  }
  const input = (() => {
    if (field.type === 'select') {
      return (
        <select id="bulk-value" value={text} onChange={(e) => onText(e.target.value)}>
          <option value="">{t({ en: '(empty)', zh: '（空）' })}</option>
          {(field.options ?? []).map((o) => {
            const [v, l] = typeof o === 'string' ? [o, o] : [o.value, labelText(o.label ?? o.value, lang)];
            return <option key={v} value={v}>{l}</option>;
          })}
        </select>
      );
    }
    if (field.type === 'textarea') return <textarea id="bulk-value" rows={3} value={text} onChange={(e) => onText(e.target.value)} />;
    const numeric = field.type === 'number' || field.type === 'money';
    const type = numeric ? 'number' : field.type === 'date' ? 'date' : field.type === 'datetime' ? 'datetime-local' : 'text';
    return <input id="bulk-value" type={type} inputMode={numeric ? 'decimal' : undefined} step={numeric ? 'any' : undefined} value={text} onChange={(e) => onText(e.target.value)} />;
  })();
  return (
    <div className="field">
      <label htmlFor="bulk-value">{label}</label>
      {input}
      <span className="muted small">{t({ en: 'Leave empty to clear the field.', zh: '留空将清除该字段。' })}</span>
    </div>
  );
}
