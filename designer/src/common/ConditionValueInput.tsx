// The value input of one condition row, by field type: options as a dropdown (a multi-select
// for "in list"), numbers as numbers, dates as dates, everything else as text.
import { optionValues, type ConditionOp, type ConditionValue, type Field } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';

function optionLabel(field: Field, value: string, t: ReturnType<typeof useT>): string {
  const o = (field.options ?? []).find((x) => (typeof x === 'string' ? x : x.value) === value);
  return o === undefined || typeof o === 'string' ? value : t(o.label ?? o.value);
}

export function ConditionValueInput({ field, op, value, onChange }: { field: Field; op: ConditionOp; value: ConditionValue | undefined; onChange(v: ConditionValue | undefined): void }) {
  const t = useT();
  const label = t({ en: 'Value', zh: '值' });
  const numeric = field.type === 'number' || field.type === 'money' || field.type === 'formula';
  if (field.type === 'select' || field.type === 'multiselect') {
    const values = optionValues(field);
    if (op === 'in') {
      const chosen = Array.isArray(value) ? value.map(String) : [];
      return (
        <select multiple aria-label={label} value={chosen} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))} className="cb-multi">
          {values.map((v) => <option key={v} value={v}>{optionLabel(field, v, t)}</option>)}
        </select>
      );
    }
    return (
      <select aria-label={label} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{t({ en: 'Choose…', zh: '请选择…' })}</option>
        {values.map((v) => <option key={v} value={v}>{optionLabel(field, v, t)}</option>)}
      </select>
    );
  }
  if (op === 'in') {
    const text = Array.isArray(value) ? value.join(', ') : '';
    return (
      <input
        aria-label={label}
        placeholder={t({ en: 'a, b, c', zh: '甲, 乙, 丙' })}
        defaultValue={text}
        onChange={(e) => {
          const items = e.target.value.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
          onChange(items.length ? items.map((s) => (numeric && Number.isFinite(Number(s)) ? Number(s) : s)) : undefined);
        }}
      />
    );
  }
  if (numeric) {
    return (
      <input
        type="number"
        aria-label={label}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' || !Number.isFinite(e.target.valueAsNumber) ? undefined : e.target.valueAsNumber)}
      />
    );
  }
  if (field.type === 'date' || field.type === 'datetime') {
    return <input type="date" aria-label={label} value={typeof value === 'string' ? value.slice(0, 10) : ''} onChange={(e) => onChange(e.target.value || undefined)} />;
  }
  return <input aria-label={label} value={typeof value === 'string' || typeof value === 'number' ? String(value) : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />;
}
