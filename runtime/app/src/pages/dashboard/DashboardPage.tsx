// A dashboard in the runtime: the date range and department filters, the widgets (one column
// on a phone, the designed grid on a desktop), drill-down to the records, and live refresh:
// the server pushes `changed` on the events stream and the figures are fetched again.
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { Filter, FormDefinition, Label } from '@trellis/core';
import { get, getToken, qs } from '../../lib/api';
import { useLang, useT } from '../../lib/i18n';
import { navigate } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { Async, ErrorBox } from '../../ui/common';
import { PageHeader } from '../../ui/PageHeader';
import type { FormItem } from '../../ui/types';
import { followEvents } from '../../dashboard/sse';
import type { DashboardData, DashboardItem } from '../../dashboard/types';
import { drillPath, fieldLabel, gridPlacement, readingOrder } from '../../dashboard/view';
import { WidgetView } from '../../dashboard/WidgetView';
import '../../dashboard/dashboard.css';

interface Loaded {
  dashboard: DashboardItem;
  forms: Map<string, FormDefinition>;
  departments: { id: string; name: Label }[];
}

export default function DashboardPage({ id }: { id: string }) {
  const [state, reload] = useAsync<Loaded>(
    async (signal) => {
      const dashboard = await get<DashboardItem>(`/api/dashboards/${encodeURIComponent(id)}`, { signal });
      const [forms, departments] = await Promise.all([
        get<{ items: FormItem[] }>(`/api/apps/${encodeURIComponent(dashboard.appId)}/forms`, { signal }),
        dashboard.definition.filters?.department
          ? get<{ items: { id: string; name: Label }[] }>('/api/departments', { signal }).catch(() => ({ items: [] }))
          : Promise.resolve({ items: [] }),
      ]);
      const defs = new Map(forms.items.flatMap((f) => (f.published ? [[f.id, f.published.definition] as const] : [])));
      return { dashboard, forms: defs, departments: departments.items };
    },
    [id],
  );
  return <Async state={state} onRetry={reload}>{(loaded) => <DashboardScreen {...loaded} />}</Async>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function DashboardScreen({ dashboard, forms, departments }: Loaded) {
  const t = useT();
  const lang = useLang();
  const def = dashboard.definition;
  // the range asked for; null = the dashboard's default (the server resolves it)
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [draft, setDraft] = useState({ from: '', to: '' });
  const [department, setDepartment] = useState('');
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<'connecting' | 'live' | 'lost' | 'refused'>('connecting');
  const generation = useRef(0);
  const liveRef = useRef(live);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const r = await get<DashboardData>(`/api/dashboards/${encodeURIComponent(dashboard.id)}/data${qs({ from: range?.from, to: range?.to, department })}`);
      if (mine !== generation.current) return;
      setData(r);
      setError(null);
      setDraft((d) => (r.range ? { from: r.range.from, to: r.range.to } : range ? d : { from: '', to: '' }));
    } catch (e) {
      if (mine === generation.current) setError(e);
    }
  }, [dashboard.id, range, department]);
  const latest = useRef(load);
  latest.current = load;

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(
    () => followEvents(`/api/dashboards/${encodeURIComponent(dashboard.id)}/events`, getToken, {
      onChanged: () => void latest.current(),
      onLive: (state) => {
        // back after a loss: changes may have been missed meanwhile
        const was = liveRef.current;
        liveRef.current = state;
        setLive(state);
        if (state === 'live' && was === 'lost') void latest.current();
      },
    }),
    [dashboard.id],
  );

  const changeDate = (which: 'from' | 'to', value: string) => {
    const next = { ...draft, [which]: value };
    setDraft(next);
    if (DAY.test(next.from) && DAY.test(next.to) && next.from <= next.to) setRange(next);
  };

  const fieldName = useCallback((formId: string, key: string) => t(fieldLabel(forms.get(formId)?.fields, key)), [forms, t]);
  const onDrill = useCallback((formId: string, filter: Filter) => navigate(drillPath(formId, filter)), []);
  const widgets = useMemo(() => readingOrder(def.widgets), [def.widgets]);
  const byId = new Map(data?.widgets.map((w) => [w.id, w]));
  const badRange = draft.from !== '' && draft.to !== '' && draft.from > draft.to;

  return (
    <div className="stack">
      <PageHeader back={`/apps/${dashboard.appId}`} title={t(def.name)} />
      <div className="dash-filters" role="group" aria-label={t({ en: 'Dashboard filters', zh: '仪表盘筛选' })}>
        <div className="field">
          <label htmlFor="dash-from">{t({ en: 'From', zh: '开始日期' })}</label>
          <input id="dash-from" type="date" value={draft.from} max={draft.to || undefined} onChange={(e) => changeDate('from', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="dash-to">{t({ en: 'To', zh: '结束日期' })}</label>
          <input id="dash-to" type="date" value={draft.to} min={draft.from || undefined} onChange={(e) => changeDate('to', e.target.value)} />
        </div>
        {range && (
          <button type="button" className="btn btn-sm" onClick={() => setRange(null)}>
            {t({ en: 'Default range', zh: '默认范围' })}
          </button>
        )}
        {def.filters?.department && (
          <div className="field">
            <label htmlFor="dash-dept">{t({ en: 'Department', zh: '部门' })}</label>
            <select id="dash-dept" value={department} onChange={(e) => setDepartment(e.target.value)}>
              <option value="">{t({ en: 'All departments', zh: '全部部门' })}</option>
              {departments.map((d) => <option key={d.id} value={d.id}>{t(d.name)}</option>)}
            </select>
          </div>
        )}
      </div>
      {badRange && <p className="error-text">{t({ en: 'The start date is after the end date.', zh: '开始日期晚于结束日期。' })}</p>}
      <p className="muted small dash-status" role="status" aria-label={t({ en: 'Refresh status', zh: '刷新状态' })}>
        <span className={`live-dot${live === 'live' ? ' on' : ''}`} aria-hidden="true" />
        {data
          ? t({ en: 'Updated {time}', zh: '更新于 {time}' }, { time: new Date(data.refreshedAt).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) })
          : t({ en: 'Loading…', zh: '加载中…' })}
        {live === 'lost' && <span>· {t({ en: 'not live, reconnecting', zh: '未连接，正在重连' })}</span>}
        {live === 'refused' && <span>· {t({ en: 'not live: reload the page to refresh', zh: '未实时更新：请刷新页面' })}</span>}
      </p>
      {error !== null && <ErrorBox error={error} onRetry={() => void load()} />}
      {widgets.length === 0 ? (
        <p className="muted empty">{t({ en: 'This dashboard has no widgets yet.', zh: '此仪表盘还没有组件。' })}</p>
      ) : (
        <div className="dash-grid">
          {widgets.map((w) => {
            const p = gridPlacement(w.layout);
            return (
              <div key={w.id} className="dash-cell" style={{ '--gc': p.gridColumn, '--gr': p.gridRow } as CSSProperties}>
                <WidgetView widget={w} data={byId.get(w.id)} fieldName={fieldName} onDrill={onDrill} />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
