// The property panel of one widget: title, type, form, group-by (with a time bucket for a date
// field), pivot columns, metrics, filter, comparison, sort, limit, date field and place on the grid.
import { BUCKETS, METRIC_OPS, WIDGET_TYPES, groupOf, type Bucket, type DefinitionProblem, type FormDefinition, type Label, type Widget, type WidgetGroup, type WidgetType } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { CheckInput, NumInput, SelectInput, TextInput } from '../forms/inputs';
import { FilterEditor } from './FilterEditor';
import { fieldChoices, GROUPED, isDate, TYPE_NAMES, type FieldChoice } from './model';

const BUCKET_NAMES: Record<Bucket, { en: string; zh: string }> = {
  day: { en: 'Day', zh: '日' }, week: { en: 'Week', zh: '周' }, month: { en: 'Month', zh: '月' }, quarter: { en: 'Quarter', zh: '季度' }, year: { en: 'Year', zh: '年' },
};
const OP_NAMES = {
  count: { en: 'Count', zh: '计数' }, sum: { en: 'Sum', zh: '求和' }, avg: { en: 'Average', zh: '平均' }, min: { en: 'Minimum', zh: '最小' }, max: { en: 'Maximum', zh: '最大' },
};

export interface WidgetPanelProps {
  widget: Widget;
  forms: { id: string; def: FormDefinition }[];
  problems: DefinitionProblem[];
  onChange(next: Widget): void;
  onRemove(): void;
}

function labelPart(l: Label, lang: 'en' | 'zh'): string {
  return typeof l === 'string' ? (lang === 'en' ? l : '') : (l[lang] ?? '');
}

function GroupPicker({ label, value, choices, onChange, optional }: { label: string; value: WidgetGroup | undefined; choices: FieldChoice[]; onChange(g: WidgetGroup | undefined): void; optional?: boolean }) {
  const t = useT();
  const g = value === undefined ? undefined : groupOf(value);
  const choice = choices.find((c) => c.key === g?.field);
  return (
    <>
      <SelectInput label={label} value={g?.field ?? ''} onChange={(key) => {
        if (!key) return onChange(undefined);
        const c = choices.find((x) => x.key === key);
        onChange(isDate(c) ? { field: key, bucket: 'month' } : key);
      }}>
        {(optional || !g) && <option value="">{t({ en: '(none)', zh: '（无）' })}</option>}
        {choices.filter((c) => c.groupable).map((c) => <option key={c.key} value={c.key}>{t(c.label)}</option>)}
      </SelectInput>
      {g && isDate(choice) && (
        <SelectInput label={t({ en: '{l}: time bucket', zh: '{l}：时间粒度' }, { l: label })} value={g.bucket ?? ''} onChange={(b) => onChange(b ? { field: g.field, bucket: b as Bucket } : g.field)}>
          <option value="">{t({ en: 'Exact value', zh: '原值' })}</option>
          {BUCKETS.map((b) => <option key={b} value={b}>{t(BUCKET_NAMES[b])}</option>)}
        </SelectInput>
      )}
    </>
  );
}

export function WidgetPanel({ widget: w, forms, problems, onChange, onRemove }: WidgetPanelProps) {
  const t = useT();
  const def = forms.find((f) => f.id === w.form)?.def;
  const choices = fieldChoices(def);
  const set = (patch: Partial<Widget>) => {
    const next = { ...w, ...patch } as Widget;
    for (const k of Object.keys(patch) as (keyof Widget)[]) if (patch[k] === undefined) delete next[k];
    onChange(next);
  };
  const setType = (type: WidgetType) => {
    const next: Partial<Widget> = { type };
    if (type === 'number') Object.assign(next, { groupBy: undefined, columns: undefined, sort: undefined, limit: undefined });
    else Object.assign(next, { compare: undefined });
    if (type !== 'pivot') next.columns = undefined;
    if (GROUPED.includes(type) && w.groupBy === undefined) next.groupBy = choices.find((c) => c.groupable && !isDate(c))?.key ?? 'createdBy';
    if (type === 'pivot' && w.columns === undefined) next.columns = { field: 'createdAt', bucket: 'month' };
    set(next);
  };
  const title = (lang: 'en' | 'zh', v: string) => {
    const other = lang === 'en' ? 'zh' : 'en';
    const o = labelPart(w.title, other);
    set({ title: { ...(o ? { [other]: o } : {}), ...(v ? { [lang]: v } : {}) } as Label });
  };
  const metricFields = (op: string) => choices.filter((c) => (c.metrics as readonly string[]).includes(op));

  return (
    <div className="stack db-panel" role="group" aria-label={t({ en: 'Widget properties', zh: '组件属性' })}>
      <h2>{t({ en: 'Widget', zh: '组件' })}</h2>
      {problems.length > 0 && (
        <ul className="alert db-problems" aria-label={t({ en: 'Problems of this widget', zh: '此组件的问题' })}>
          {problems.map((p, i) => <li key={i}><code>{p.path}</code>: {p.message}</li>)}
        </ul>
      )}
      <TextInput label={t({ en: 'Title (English)', zh: '标题（英文）' })} value={labelPart(w.title, 'en')} onChange={(v) => title('en', v)} />
      <TextInput label={t({ en: 'Title (Chinese)', zh: '标题（中文）' })} value={labelPart(w.title, 'zh')} onChange={(v) => title('zh', v)} />
      <SelectInput label={t({ en: 'Widget type', zh: '组件类型' })} value={w.type} onChange={(v) => setType(v as WidgetType)}>
        {WIDGET_TYPES.map((type) => <option key={type} value={type}>{t(TYPE_NAMES[type])}</option>)}
      </SelectInput>
      <SelectInput label={t({ en: 'Form', zh: '表单' })} value={w.form} onChange={(form) => set({ form, filter: undefined, dateField: undefined })}>
        {!def && <option value={w.form}>{w.form}</option>}
        {forms.map((f) => <option key={f.id} value={f.id}>{t(f.def.name)}</option>)}
      </SelectInput>
      {w.type !== 'number' && (
        <GroupPicker label={t({ en: 'Group by', zh: '分组字段' })} value={w.groupBy} choices={choices} optional={w.type === 'table'} onChange={(groupBy) => set({ groupBy })} />
      )}
      {w.type === 'pivot' && <GroupPicker label={t({ en: 'Columns', zh: '列字段' })} value={w.columns} choices={choices} onChange={(columns) => set({ columns })} />}
      <fieldset className="db-metrics">
        <legend>{t({ en: 'Metrics', zh: '指标' })}</legend>
        {w.metrics.map((m, i) => {
          const n = i + 1;
          const fields = metricFields(m.op);
          return (
            <div key={i} className="db-metric-row">
              <select aria-label={t({ en: 'Metric {n} operation', zh: '指标{n}运算' }, { n })} value={m.op} onChange={(e) => {
                const op = e.target.value as (typeof METRIC_OPS)[number];
                const field = op === 'count' ? undefined : m.field && metricFields(op).some((c) => c.key === m.field) ? m.field : metricFields(op)[0]?.key;
                set({ metrics: w.metrics.map((x, j) => (j === i ? (field ? { op, field } : { op }) : x)) });
              }}>
                {METRIC_OPS.map((op) => <option key={op} value={op}>{t(OP_NAMES[op])}</option>)}
              </select>
              {m.op !== 'count' && (
                <select aria-label={t({ en: 'Metric {n} field', zh: '指标{n}字段' }, { n })} value={m.field ?? ''} onChange={(e) => set({ metrics: w.metrics.map((x, j) => (j === i ? { op: m.op, field: e.target.value } : x)) })}>
                  {!m.field && <option value="">{t({ en: '(pick a field)', zh: '（选择字段）' })}</option>}
                  {fields.map((c) => <option key={c.key} value={c.key}>{t(c.label)}</option>)}
                </select>
              )}
              {w.metrics.length > 1 && (
                <button type="button" className="btn btn-sm" aria-label={t({ en: 'Remove metric {n}', zh: '删除指标{n}' }, { n })} onClick={() => set({ metrics: w.metrics.filter((_, j) => j !== i) })}>×</button>
              )}
            </div>
          );
        })}
        {w.metrics.length < 5 && (
          <button type="button" className="btn btn-sm" onClick={() => set({ metrics: [...w.metrics, { op: 'count' }] })}>{t({ en: 'Add metric', zh: '添加指标' })}</button>
        )}
      </fieldset>
      <fieldset>
        <legend>{t({ en: 'Filter', zh: '筛选' })}</legend>
        <FilterEditor key={w.id + w.form} def={def} value={w.filter} onChange={(filter) => set({ filter })} />
      </fieldset>
      {w.type === 'number' && (
        <CheckInput label={t({ en: 'Compare with the previous period', zh: '与上一周期对比' })} checked={w.compare === 'previousPeriod'} onChange={(on) => set({ compare: on ? 'previousPeriod' : undefined })} />
      )}
      {w.type !== 'number' && (
        <>
          <SelectInput label={t({ en: 'Sort by', zh: '排序方式' })} value={w.sort ? `${w.sort.by}:${w.sort.dir ?? 'asc'}` : ''} onChange={(v) => {
            const [by, dir] = v.split(':') as ['key' | 'value', 'asc' | 'desc'];
            set({ sort: v ? { by, dir } : undefined });
          }}>
            <option value="">{t({ en: 'Group, ascending (default)', zh: '按分组升序（默认）' })}</option>
            <option value="key:desc">{t({ en: 'Group, descending', zh: '按分组降序' })}</option>
            <option value="value:desc">{t({ en: 'First metric, largest first', zh: '按首个指标从大到小' })}</option>
            <option value="value:asc">{t({ en: 'First metric, smallest first', zh: '按首个指标从小到大' })}</option>
          </SelectInput>
          <NumInput label={t({ en: 'Limit (groups shown)', zh: '显示数量上限' })} value={w.limit} min={1} max={1000} step={1} onChange={(limit) => set({ limit })} />
        </>
      )}
      <SelectInput label={t({ en: 'Date field for the date range', zh: '日期范围所用字段' })} value={w.dateField ?? ''} onChange={(v) => set({ dateField: v || undefined })}>
        <option value="">{t({ en: "The dashboard's", zh: '沿用仪表盘设置' })}</option>
        {choices.filter(isDate).map((c) => <option key={c.key} value={c.key}>{t(c.label)}</option>)}
      </SelectInput>
      <fieldset className="db-layout-inputs">
        <legend>{t({ en: 'Place on the grid', zh: '网格位置' })}</legend>
        {(['x', 'y', 'w', 'h'] as const).map((k) => (
          <NumInput key={k} label={t({ en: { x: 'Column', y: 'Row', w: 'Width', h: 'Height' }[k], zh: { x: '列', y: '行', w: '宽', h: '高' }[k] })} value={w.layout[k]} step={1} min={k === 'w' || k === 'h' ? 1 : 0}
            onChange={(v) => v !== undefined && set({ layout: { ...w.layout, [k]: v } })} />
        ))}
      </fieldset>
      <button type="button" className="btn btn-danger" onClick={onRemove}>{t({ en: 'Remove widget', zh: '删除组件' })}</button>
    </div>
  );
}
