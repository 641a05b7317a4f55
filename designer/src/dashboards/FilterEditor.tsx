// A widget's record filter as rows of "field · operator · value", all of which must hold
// (the record filter of the list query, AND-ed). The operators and the value conversion are
// the runtime record list's, so a filter means the same in both places.
import { useId } from 'react';
import { optionValues, type Filter, type FilterCondition, type FilterOp, type FormDefinition } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { filterFields, filterValue, needsValue, OP_LABELS } from '@trellis/app/pages/records/query';
import { filterRows, rowsFilter } from './model';

export function FilterEditor({ def, value, onChange }: { def: FormDefinition | undefined; value: Filter | undefined; onChange(next: Filter | undefined): void }) {
  const t = useT();
  const id = useId();
  const choices = def ? filterFields(def) : [];
  const rows = filterRows(value);
  if (rows === null) {
    return (
      <div role="group" aria-label={t({ en: 'Filter', zh: '筛选' })} className="db-filter">
        <pre className="mono small">{JSON.stringify(value)}</pre>
        <button type="button" className="btn btn-sm" onClick={() => onChange(undefined)}>{t({ en: 'Clear filter', zh: '清除筛选' })}</button>
      </div>
    );
  }
  const set = (i: number, next: FilterCondition | null) => {
    const all = rows.flatMap((r, j) => (j === i ? (next ? [next] : []) : [r]));
    onChange(rowsFilter(all));
  };
  return (
    <div role="group" aria-label={t({ en: 'Filter', zh: '筛选' })} className="db-filter stack">
      {rows.length === 0 && <p className="muted small">{t({ en: 'Every record of the form.', zh: '表单的全部记录。' })}</p>}
      {rows.map((r, i) => {
        const choice = choices.find((c) => c.field.key === r.field);
        const ops = choice?.ops ?? [r.op];
        const n = i + 1;
        const options = choice ? optionValues(choice.field) : [];
        return (
          <div key={i} className="db-filter-row">
            <select aria-label={t({ en: 'Filter {n} field', zh: '筛选{n}字段' }, { n })} value={r.field} onChange={(e) => {
              const c = choices.find((x) => x.field.key === e.target.value);
              if (c) set(i, { field: c.field.key, op: c.ops[0]!, ...(needsValue(c.ops[0]!) ? { value: '' } : {}) });
            }}>
              {!choice && <option value={r.field}>{r.field}</option>}
              {choices.map((c) => <option key={c.field.key} value={c.field.key}>{t(c.field.label)}</option>)}
            </select>
            <select aria-label={t({ en: 'Filter {n} operator', zh: '筛选{n}运算符' }, { n })} value={r.op} onChange={(e) => {
              const op = e.target.value as FilterOp;
              set(i, needsValue(op) ? { field: r.field, op, value: r.value ?? '' } : { field: r.field, op });
            }}>
              {ops.map((op) => <option key={op} value={op}>{t(OP_LABELS[op])}</option>)}
            </select>
            {needsValue(r.op) && (
              <>
                <input
                  key={`${r.field}:${r.op}`}
                  aria-label={t({ en: 'Filter {n} value', zh: '筛选{n}值' }, { n })}
                  list={options.length ? `${id}-o${i}` : undefined}
                  defaultValue={r.value === undefined || r.value === null ? '' : String(r.value)}
                  onBlur={(e) => {
                    if (!choice) return;
                    try {
                      set(i, { field: r.field, op: r.op, value: filterValue(choice.field, e.target.value) });
                    } catch {
                      e.target.setCustomValidity(t({ en: 'Not a number', zh: '不是数字' }));
                      e.target.reportValidity();
                      return;
                    }
                    e.target.setCustomValidity('');
                  }}
                />
                {options.length > 0 && <datalist id={`${id}-o${i}`}>{options.map((o) => <option key={o} value={o} />)}</datalist>}
              </>
            )}
            <button type="button" className="btn btn-sm" aria-label={t({ en: 'Remove filter {n}', zh: '删除筛选{n}' }, { n })} onClick={() => set(i, null)}>×</button>
          </div>
        );
      })}
      {choices.length > 0 && (
        <button type="button" className="btn btn-sm" onClick={() => {
          const c = choices[0]!;
          onChange(rowsFilter([...rows, { field: c.field.key, op: c.ops[0]!, ...(needsValue(c.ops[0]!) ? { value: '' } : {}) }]));
        }}>
          {t({ en: 'Add condition', zh: '添加条件' })}
        </button>
      )}
    </div>
  );
}
