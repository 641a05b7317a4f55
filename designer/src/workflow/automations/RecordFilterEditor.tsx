// Which records a scheduled automation runs over: rows of "field · operator · value", all of which
// must hold (a record filter, `{and: [{field, op, value}]}`). Operators and value conversion are
// the runtime record list's; a date may also be relative to the run ("last 30 days", "this
// month"), so "less than · last 30 days" picks records older than 30 days.
import { useId } from 'react';
import { fieldType, optionValues, type Field, type FilterCondition, type FilterOp, type FormDefinition } from '@trellis/core';
import { useT, type Msg } from '@trellis/app/lib/i18n';
import { filterFields, filterValue, OP_LABELS } from '@trellis/app/pages/records/query';
import { filterRows, isRelative, lastNDays, NAMED_PERIODS, needsValue, rowsFilter } from './model';

const PERIODS: Record<string, Msg> = {
  today: { en: 'today', zh: '今天' }, yesterday: { en: 'yesterday', zh: '昨天' }, tomorrow: { en: 'tomorrow', zh: '明天' },
  thisWeek: { en: 'this week', zh: '本周' }, lastWeek: { en: 'last week', zh: '上周' }, nextWeek: { en: 'next week', zh: '下周' },
  thisMonth: { en: 'this month', zh: '本月' }, lastMonth: { en: 'last month', zh: '上月' }, nextMonth: { en: 'next month', zh: '下月' },
  thisQuarter: { en: 'this quarter', zh: '本季度' }, lastQuarter: { en: 'last quarter', zh: '上季度' },
  thisYear: { en: 'this year', zh: '今年' }, lastYear: { en: 'last year', zh: '去年' },
};

// records also have these; a schedule often looks at how old a record is
const CREATED_AT: Field = { key: 'createdAt', type: 'datetime', label: { en: 'Created at', zh: '创建时间' } } as Field;
const UPDATED_AT: Field = { key: 'updatedAt', type: 'datetime', label: { en: 'Updated at', zh: '更新时间' } } as Field;
const TIME_OPS: FilterOp[] = ['gt', 'gte', 'lt', 'lte'];

interface Choice { field: Field; ops: FilterOp[] }

function choicesOf(form: FormDefinition): Choice[] {
  return [...filterFields(form), { field: CREATED_AT, ops: TIME_OPS }, { field: UPDATED_AT, ops: TIME_OPS }];
}

const storageOf = (f: Field) => fieldType(f.type).facts(f).storage;

export function RecordFilterEditor({ form, value, onChange }: { form: FormDefinition; value: unknown; onChange(next: unknown): void }) {
  const t = useT();
  const choices = choicesOf(form);
  const rows = filterRows(value);
  if (rows === null) {
    return (
      <div role="group" aria-label={t({ en: 'Which records', zh: '哪些记录' })} className="stack">
        <p className="muted">{t({ en: 'The filter was written elsewhere and is kept as it is:', zh: '筛选条件来自其他来源，保持原样：' })}</p>
        <code className="cb-summary">{JSON.stringify(value)}</code>
        <button type="button" className="btn btn-sm" onClick={() => onChange(undefined)}>{t({ en: 'Clear filter', zh: '清除筛选' })}</button>
      </div>
    );
  }
  const set = (i: number, next: FilterCondition | null) => onChange(rowsFilter(rows.flatMap((r, j) => (j === i ? (next ? [next] : []) : [r]))));
  const fresh = (c: Choice): FilterCondition => (needsValue(c.ops[0]!) ? { field: c.field.key, op: c.ops[0]!, value: '' } : { field: c.field.key, op: c.ops[0]! });
  return (
    <div role="group" aria-label={t({ en: 'Which records', zh: '哪些记录' })} className="stack au-filter">
      {rows.length === 0 && <p className="muted">{t({ en: 'Every record of the form (up to 1000 a run).', zh: '表单的全部记录（每次最多 1000 条）。' })}</p>}
      {rows.map((r, i) => {
        const n = i + 1;
        const choice = choices.find((c) => c.field.key === r.field);
        const ops = choice ? (choice.ops.includes(r.op) ? choice.ops : [r.op, ...choice.ops]) : [r.op];
        return (
          <div key={i} className="au-filter-row">
            <select aria-label={t({ en: 'Filter {n} field', zh: '筛选{n}字段' }, { n })} value={r.field} onChange={(e) => {
              const c = choices.find((x) => x.field.key === e.target.value);
              if (c) set(i, fresh(c));
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
            <button type="button" className="btn btn-sm btn-link" aria-label={t({ en: 'Remove filter {n}', zh: '删除筛选{n}' }, { n })} onClick={() => set(i, null)}>×</button>
            {needsValue(r.op) && choice && (
              <div className="au-filter-value">
                <FilterValue n={n} field={choice.field} row={r} onChange={(value) => set(i, { field: r.field, op: r.op, value })} />
              </div>
            )}
          </div>
        );
      })}
      {choices.length > 0 && (
        <div>
          <button type="button" className="btn btn-sm" onClick={() => onChange(rowsFilter([...rows, fresh(choices[0]!)]))}>
            {t({ en: 'Add filter condition', zh: '添加筛选条件' })}
          </button>
        </div>
      )}
    </div>
  );
}

type DateMode = 'date' | 'lastN' | string;

function FilterValue({ n, field, row, onChange }: { n: number; field: Field; row: FilterCondition; onChange(v: unknown): void }) {
  const t = useT();
  const id = useId();
  const label = t({ en: 'Filter {n} value', zh: '筛选{n}值' }, { n });
  const storage = storageOf(field);
  const v: unknown = row.value;

  if (storage === 'date' || storage === 'datetime') {
    const rel = isRelative(v) ? v.relative : null;
    const days = rel === null ? null : lastNDays(rel);
    const mode: DateMode = rel === null ? 'date' : days !== null ? 'lastN' : rel;
    const setMode = (m: DateMode) => onChange(m === 'date' ? '' : m === 'lastN' ? { relative: `last${days ?? 30}Days` } : { relative: m });
    return (
      <>
        <select aria-label={t({ en: 'Filter {n} compared with', zh: '筛选{n}比较对象' }, { n })} value={mode} onChange={(e) => setMode(e.target.value)}>
          <option value="date">{t({ en: 'a date', zh: '指定日期' })}</option>
          <option value="lastN">{t({ en: 'the last N days', zh: '最近 N 天' })}</option>
          {NAMED_PERIODS.map((p) => <option key={p} value={p}>{t(PERIODS[p] ?? { en: p, zh: p })}</option>)}
        </select>
        {mode === 'date' && (
          <input type="date" aria-label={label} value={typeof v === 'string' ? v.slice(0, 10) : ''} onChange={(e) => onChange(e.target.value)} />
        )}
        {mode === 'lastN' && (
          <input
            type="number" min={1} max={3660} aria-label={t({ en: 'Filter {n} number of days', zh: '筛选{n}天数' }, { n })} value={days ?? ''}
            onChange={(e) => {
              const d = Math.round(e.target.valueAsNumber);
              if (Number.isFinite(d) && d >= 1 && d <= 3660) onChange({ relative: `last${d}Days` });
            }}
          />
        )}
        {rel !== null && (
          <div className="help au-filter-help">
            {row.op === 'lt' && days !== null
              ? t({ en: 'Before the last {d} days: more than {d} days ago. Records without a date do not match.', zh: '早于最近 {d} 天，即 {d} 天以前。没有日期的记录不匹配。' }, { d: days })
              : t({ en: 'Read when the automation runs, in UTC. “less than” means before the period starts; “greater than” after it ends.', zh: '在自动化运行时按 UTC 计算。“小于”表示早于该时段开始，“大于”表示晚于该时段结束。' })}
          </div>
        )}
      </>
    );
  }
  if (storage === 'boolean') {
    return (
      <select aria-label={label} value={v === true ? 'true' : 'false'} onChange={(e) => onChange(e.target.value === 'true')}>
        <option value="true">{t({ en: 'checked', zh: '已勾选' })}</option>
        <option value="false">{t({ en: 'not checked', zh: '未勾选' })}</option>
      </select>
    );
  }
  if (storage === 'number') {
    return (
      <input
        type="number" aria-label={label} value={typeof v === 'number' ? v : ''}
        onChange={(e) => onChange(Number.isFinite(e.target.valueAsNumber) ? e.target.valueAsNumber : '')}
      />
    );
  }
  const options = optionValues(field);
  return (
    <>
      <input
        aria-label={label} list={options.length ? `${id}-o` : undefined} value={v === undefined || v === null ? '' : String(v)}
        onChange={(e) => onChange(filterValue(field, e.target.value))}
      />
      {options.length > 0 && <datalist id={`${id}-o`}>{options.map((o) => <option key={o} value={o} />)}</datalist>}
    </>
  );
}
