// The dashboard's own properties: its name and the filters a viewer gets (date range with a
// default period, department picker). Shown when no widget is selected.
import { RELATIVE_DATES, type DashboardDefinition, type FormDefinition, type Label, type RelativeDate } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { CheckInput, SelectInput, TextInput } from '../forms/inputs';
import { fieldChoices, isDate } from './model';

const PERIODS: Record<RelativeDate, { en: string; zh: string }> = {
  today: { en: 'Today', zh: '今天' }, yesterday: { en: 'Yesterday', zh: '昨天' }, tomorrow: { en: 'Tomorrow', zh: '明天' },
  thisWeek: { en: 'This week', zh: '本周' }, lastWeek: { en: 'Last week', zh: '上周' }, nextWeek: { en: 'Next week', zh: '下周' },
  thisMonth: { en: 'This month', zh: '本月' }, lastMonth: { en: 'Last month', zh: '上月' }, nextMonth: { en: 'Next month', zh: '下月' },
  thisQuarter: { en: 'This quarter', zh: '本季度' }, lastQuarter: { en: 'Last quarter', zh: '上季度' },
  thisYear: { en: 'This year', zh: '今年' }, lastYear: { en: 'Last year', zh: '去年' },
  last7Days: { en: 'Last 7 days', zh: '最近 7 天' }, last30Days: { en: 'Last 30 days', zh: '最近 30 天' }, last90Days: { en: 'Last 90 days', zh: '最近 90 天' },
};

const part = (l: Label, lang: 'en' | 'zh') => (typeof l === 'string' ? (lang === 'en' ? l : '') : (l[lang] ?? ''));

export function DashboardPanel({ def, forms, onChange }: { def: DashboardDefinition; forms: { id: string; def: FormDefinition }[]; onChange(next: DashboardDefinition): void }) {
  const t = useT();
  const range = def.filters?.dateRange;
  // date fields of the forms the widgets read (the range field must exist in each; a widget may name its own)
  const used = new Set(def.widgets.map((w) => w.form));
  const dateFields = new Map<string, Label>();
  for (const f of forms.filter((x) => used.size === 0 || used.has(x.id))) for (const c of fieldChoices(f.def).filter(isDate)) if (!dateFields.has(c.key)) dateFields.set(c.key, c.label);
  const setFilters = (filters: DashboardDefinition['filters']) => {
    const next = { ...def, filters };
    if (!filters || (filters.dateRange === undefined && filters.department === undefined)) delete next.filters;
    onChange(next);
  };
  const setRange = (r: { field?: string; default?: RelativeDate } | undefined) => {
    const f = { ...def.filters };
    if (r && (r.field || r.default)) f.dateRange = r;
    else delete f.dateRange;
    setFilters(f);
  };
  const name = (lang: 'en' | 'zh', v: string) => {
    const other = lang === 'en' ? 'zh' : 'en';
    const o = part(def.name, other);
    onChange({ ...def, name: { ...(o ? { [other]: o } : {}), ...(v ? { [lang]: v } : {}) } });
  };
  return (
    <div className="stack db-panel" role="group" aria-label={t({ en: 'Dashboard properties', zh: '仪表盘属性' })}>
      <h2>{t({ en: 'Dashboard', zh: '仪表盘' })}</h2>
      <TextInput label={t({ en: 'Name (English)', zh: '名称（英文）' })} value={part(def.name, 'en')} onChange={(v) => name('en', v)} />
      <TextInput label={t({ en: 'Name (Chinese)', zh: '名称（中文）' })} value={part(def.name, 'zh')} onChange={(v) => name('zh', v)} />
      <SelectInput label={t({ en: 'Date range applies to', zh: '日期范围作用字段' })} value={range?.field ?? ''} onChange={(v) => setRange({ ...range, field: v || undefined } as { field?: string; default?: RelativeDate })}
        help={t({ en: 'Every widget, unless it names its own date field.', zh: '作用于所有组件，除非组件指定了自己的日期字段。' })}>
        <option value="">{t({ en: 'Created (default)', zh: '创建时间（默认）' })}</option>
        {[...dateFields].filter(([k]) => k !== 'createdAt').map(([k, l]) => <option key={k} value={k}>{t(l)}</option>)}
      </SelectInput>
      <SelectInput label={t({ en: 'Default period', zh: '默认时间段' })} value={range?.default ?? ''} onChange={(v) => setRange({ ...range, default: (v || undefined) as RelativeDate | undefined })}>
        <option value="">{t({ en: 'All time', zh: '全部时间' })}</option>
        {RELATIVE_DATES.map((r) => <option key={r} value={r}>{t(PERIODS[r])}</option>)}
      </SelectInput>
      <CheckInput label={t({ en: 'Viewers can pick a department', zh: '查看者可选择部门' })} checked={!!def.filters?.department} onChange={(on) => {
        const f = { ...def.filters };
        if (on) f.department = true;
        else delete f.department;
        setFilters(f);
      }} />
      <p className="muted small">{t({ en: 'Select a widget on the grid to edit it.', zh: '在网格上选择一个组件进行编辑。' })}</p>
    </div>
  );
}
