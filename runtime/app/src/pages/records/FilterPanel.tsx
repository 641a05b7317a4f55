// Pick one field, an operator and a value; "Apply" filters the list. Values are picked from
// options, people and departments where the field has them, else typed with a fitting keyboard.
import { useState, type FormEvent } from 'react';
import { fieldType, labelText, type Field, type FilterOp, type FormDefinition } from '@trellis/core';
import { useLang, useT } from '../../lib/i18n';
import { usePeople } from '../../ui/people';
import { filterFields, filterValue, needsValue, OP_LABELS, type FilterState } from './query';

function ValueInput({ field, value, onChange }: { field: Field; value: string; onChange(v: string): void }) {
  const t = useT();
  const lang = useLang();
  const people = usePeople();
  const label = t({ en: 'Value', zh: '值' });
  const storage = fieldType(field.type).facts(field).storage;
  const choices: [string, string][] | null =
    field.options?.length
      ? field.options.map((o) => (typeof o === 'string' ? [o, o] : [o.value, labelText(o.label ?? o.value, lang)]))
      : field.type === 'member'
        ? [...people.users.values()].map((u) => [u.id, u.name])
        : field.type === 'department'
          ? [...people.departments.entries()].map(([id, name]) => [id, labelText(name, lang)])
          : storage === 'boolean'
            ? [['true', t({ en: 'Yes', zh: '是' })], ['false', t({ en: 'No', zh: '否' })]]
            : null;
  if (choices) {
    return (
      <select id="filter-value" aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} required>
        <option value="">{t({ en: 'Choose…', zh: '请选择…' })}</option>
        {choices.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    );
  }
  const type = storage === 'number' ? 'number' : storage === 'date' ? 'date' : storage === 'datetime' ? 'datetime-local' : 'text';
  return <input id="filter-value" aria-label={label} type={type} inputMode={storage === 'number' ? 'decimal' : undefined} step={storage === 'number' ? 'any' : undefined} value={value} onChange={(e) => onChange(e.target.value)} required />;
}

export function FilterPanel({ def, current, onApply, onClose }: { def: FormDefinition; current: FilterState | null; onApply(f: FilterState | null): void; onClose(): void }) {
  const t = useT();
  const fields = filterFields(def);
  const [fieldKey, setFieldKey] = useState(current?.field ?? fields[0]?.field.key ?? '');
  const entry = fields.find((x) => x.field.key === fieldKey);
  const [op, setOp] = useState<FilterOp>(current?.op ?? entry?.ops[0] ?? 'eq');
  const [value, setValue] = useState(current?.value ?? '');
  const [error, setError] = useState<string | null>(null);
  if (!entry) return <p className="muted">{t({ en: 'This form has no field to filter by.', zh: '此表单没有可筛选的字段。' })}</p>;

  function pickField(key: string) {
    const next = fields.find((x) => x.field.key === key);
    setFieldKey(key);
    setOp(next?.ops.includes(op) ? op : (next?.ops[0] ?? 'eq'));
    setValue('');
    setError(null);
  }

  function apply(e: FormEvent) {
    e.preventDefault();
    if (needsValue(op)) {
      try {
        filterValue(entry!.field, value);
      } catch {
        setError(t({ en: 'Enter a number.', zh: '请输入数字。' }));
        return;
      }
    }
    onApply({ field: fieldKey, op, value: needsValue(op) ? value : '' });
  }

  return (
    <form className="panel stack" onSubmit={apply} aria-label={t({ en: 'Filter', zh: '筛选' })}>
      <div className="field">
        <label htmlFor="filter-field">{t({ en: 'Field', zh: '字段' })}</label>
        <select id="filter-field" value={fieldKey} onChange={(e) => pickField(e.target.value)}>
          {fields.map((x) => <option key={x.field.key} value={x.field.key}>{t(x.field.label)}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-op">{t({ en: 'Operator', zh: '条件' })}</label>
        <select id="filter-op" value={op} onChange={(e) => setOp(e.target.value as FilterOp)}>
          {entry.ops.map((o) => <option key={o} value={o}>{t(OP_LABELS[o])}</option>)}
        </select>
      </div>
      {needsValue(op) && (
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor="filter-value">{t({ en: 'Value', zh: '值' })}</label>
          <ValueInput field={entry.field} value={value} onChange={(v) => { setValue(v); setError(null); }} />
          {error && <div className="error-text" role="alert">{error}</div>}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary">{t({ en: 'Apply', zh: '应用' })}</button>
        {current && <button type="button" className="btn" onClick={() => onApply(null)}>{t({ en: 'Clear filter', zh: '清除筛选' })}</button>}
        <span className="spacer" />
        <button type="button" className="btn btn-link" onClick={onClose}>{t({ en: 'Cancel', zh: '取消' })}</button>
      </div>
    </form>
  );
}
