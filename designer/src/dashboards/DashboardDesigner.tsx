// The dashboard builder: a palette of widget types (drag onto the grid or "Add …"), the
// 24-column grid (move by the title bar, resize by the corner), and the property panel of the
// selected widget or of the dashboard. Saving sends the whole definition with If-Match; the
// server's problems are listed per widget. Saved widgets show their live figures.
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { WIDGET_TYPES, type DefinitionProblem, type DashboardDefinition, type FormDefinition, type Widget, type WidgetLayout, type WidgetType } from '@trellis/core';
import { ApiError, del, get, put } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { href, linkHandler, navigate } from '@trellis/app/lib/router';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async, ErrorBox } from '@trellis/app/ui/common';
import type { FormItem } from '@trellis/app/ui/types';
import type { DashboardData, DashboardItem } from '@trellis/app/dashboard/types';
import { fieldLabel } from '@trellis/app/dashboard/view';
import { WidgetView } from '@trellis/app/dashboard/WidgetView';
import { DashboardPanel } from './DashboardPanel';
import { cellAt, GridCanvas } from './GridCanvas';
import { placeAt } from './layout';
import { newWidget, problemsOf, TYPE_NAMES } from './model';
import { WidgetPanel } from './WidgetPanel';
import './dashboards.css';
import { useLeaveWarning } from '../common/use-leave-warning';

interface Loaded {
  dashboard: DashboardItem;
  forms: { id: string; def: FormDefinition }[];
}

export default function DashboardDesigner({ id }: { id: string }) {
  const [state, reload] = useAsync<Loaded>(async (signal) => {
    const dashboard = await get<DashboardItem>(`/api/dashboards/${encodeURIComponent(id)}`, { signal });
    const forms = await get<{ items: FormItem[] }>(`/api/apps/${encodeURIComponent(dashboard.appId)}/forms`, { signal });
    return { dashboard, forms: forms.items.flatMap((f) => (f.published ? [{ id: f.id, def: f.published.definition }] : [])) };
  }, [id]);
  return <Async state={state} onRetry={reload}>{(l) => <Builder {...l} />}</Async>;
}

/** a widget without its place: what the saved figures depend on */
const figuresKey = (w: Widget) => JSON.stringify({ ...w, layout: undefined });

function Builder({ dashboard, forms }: Loaded) {
  const t = useT();
  const [def, setDef] = useState<DashboardDefinition>(dashboard.definition);
  const [version, setVersion] = useState(dashboard.version);
  const [saved, setSaved] = useState<string>(JSON.stringify(dashboard.definition));
  const [selected, setSelected] = useState<string | null>(null);
  const [problems, setProblems] = useState<DefinitionProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [data, setData] = useState<DashboardData | null>(null);
  const [ghost, setGhost] = useState<{ type: WidgetType; x: number; y: number; layout: WidgetLayout | null } | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const dirty = JSON.stringify(def) !== saved;
  const savedWidgets = new Map((JSON.parse(saved) as DashboardDefinition).widgets.map((w) => [w.id, figuresKey(w)]));

  const loadData = async () => {
    try {
      setData(await get<DashboardData>(`/api/dashboards/${encodeURIComponent(dashboard.id)}/data`));
    } catch {
      setData(null);
    }
  };
  useEffect(() => {
    void loadData();
  }, []);

  // leaving with unsaved changes asks first
  useLeaveWarning(dirty);

  const defaultForm = forms[0];
  const add = (type: WidgetType, at?: { x: number; y: number }) => {
    if (!defaultForm) return;
    const w = newWidget(type, defaultForm.id, defaultForm.def, def.widgets, at);
    setDef((d) => ({ ...d, widgets: at ? placeAt([...d.widgets, w], w.id, w.layout) : [...d.widgets, w] }));
    setSelected(w.id);
  };
  const setLayout = (wid: string, layout: WidgetLayout) => setDef((d) => ({ ...d, widgets: placeAt(d.widgets, wid, layout) }));
  const updateWidget = (next: Widget) =>
    setDef((d) => {
      const widgets = d.widgets.map((w) => (w.id === next.id ? next : w));
      const before = d.widgets.find((w) => w.id === next.id);
      return { ...d, widgets: before && JSON.stringify(before.layout) !== JSON.stringify(next.layout) ? placeAt(widgets, next.id, next.layout) : widgets };
    });

  // a palette item dragged with the pointer: a ghost shows where it lands; released on the grid, it is added there
  const paletteDrag = (type: WidgetType) => (e: ReactPointerEvent<HTMLElement>) => {
    if (e.button !== 0 || !defaultForm) return;
    if ((e.target as HTMLElement).closest('button')) return;
    e.preventDefault();
    const x0 = e.clientX;
    const y0 = e.clientY;
    let moved = false;
    const where = (ev: PointerEvent) => (gridRef.current ? cellAt(gridRef.current, ev.clientX, ev.clientY) : null);
    const onMove = (ev: PointerEvent) => {
      if (!moved && Math.hypot(ev.clientX - x0, ev.clientY - y0) < 6) return;
      moved = true;
      const cell = where(ev);
      const probe = cell ? newWidget(type, defaultForm.id, defaultForm.def, def.widgets, cell).layout : null;
      setGhost({ type, x: ev.clientX, y: ev.clientY, layout: probe });
    };
    const onUp = (ev: PointerEvent) => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      setGhost(null);
      const cell = moved ? where(ev) : null;
      if (cell) add(type, cell);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await put<DashboardItem>(`/api/dashboards/${encodeURIComponent(dashboard.id)}`, def, { headers: { 'if-match': String(version) } });
      setVersion(r.version);
      setSaved(JSON.stringify(r.definition));
      setDef(r.definition);
      setProblems([]);
      await loadData();
    } catch (e) {
      const p = e instanceof ApiError ? (e.details as { problems?: DefinitionProblem[] } | undefined)?.problems : undefined;
      if (e instanceof ApiError && e.status === 422 && Array.isArray(p)) setProblems(p);
      else if (e instanceof ApiError && e.status === 409) {
        setError(new Error(t({ en: 'Someone else saved this dashboard meanwhile. Reload to see their version (your changes here are not saved).', zh: '其他人已保存了此仪表盘。请重新加载查看（你在此处的修改尚未保存）。' })));
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!window.confirm(t({ en: 'Delete this dashboard?', zh: '删除此仪表盘？' }))) return;
    try {
      await del(`/api/dashboards/${encodeURIComponent(dashboard.id)}`);
      navigate(`/apps/${dashboard.appId}`);
    } catch (e) {
      setError(e);
    }
  };

  const fieldName = (formId: string, key: string) => t(fieldLabel(forms.find((f) => f.id === formId)?.def.fields, key));
  const byId = new Map(data?.widgets.map((w) => [w.id, w]));
  const flagged = new Set(def.widgets.filter((_, i) => problemsOf(problems, i).length > 0).map((w) => w.id));
  const index = def.widgets.findIndex((w) => w.id === selected);
  const current = index >= 0 ? def.widgets[index]! : null;
  const general = problems.filter((p) => !/^widgets\[\d+\]/.test(p.path));

  return (
    <div className="db">
      <div className="row db-toolbar">
        <nav aria-label={t({ en: 'Breadcrumb', zh: '路径' })} className="muted">
          <a href={href(`/apps/${dashboard.appId}`)} onClick={linkHandler(`/apps/${dashboard.appId}`)}>{t({ en: 'App', zh: '应用' })}</a> /
        </nav>
        <h1 className="db-title">{t(def.name) || t({ en: 'Dashboard', zh: '仪表盘' })}</h1>
        <span className="muted small" role="status">
          {dirty ? t({ en: 'Unsaved changes', zh: '有未保存的修改' }) : t({ en: 'Saved, version {v}', zh: '已保存，版本 {v}' }, { v: version })}
        </span>
        <span className="spacer" />
        <a className="btn btn-sm" href={`/app/dashboards/${encodeURIComponent(dashboard.id)}`} target="_blank" rel="noreferrer">{t({ en: 'Open in runtime', zh: '在应用端打开' })}</a>
        <button type="button" className="btn btn-sm" onClick={() => void remove()}>{t({ en: 'Delete', zh: '删除' })}</button>
        <button type="button" className="btn btn-primary btn-sm" disabled={busy || !dirty} onClick={() => void save()}>
          {busy ? t({ en: 'Saving…', zh: '保存中…' }) : t({ en: 'Save', zh: '保存' })}
        </button>
      </div>
      {error !== null && <div className="db-status"><ErrorBox error={error} /></div>}
      {problems.length > 0 && (
        <div className="db-status alert" role="alert">
          {t({ en: 'The dashboard was not saved: {n} problems. Widgets with problems are outlined in red.', zh: '仪表盘未保存：{n} 个问题。有问题的组件以红框标出。' }, { n: problems.length })}
          {general.length > 0 && <ul>{general.map((p, i) => <li key={i}><code>{p.path}</code>: {p.message}</li>)}</ul>}
        </div>
      )}
      <div className="db-body">
        <aside className="db-palette" aria-label={t({ en: 'Widget types', zh: '组件类型' })}>
          <h3>{t({ en: 'Widgets', zh: '组件' })}</h3>
          {!defaultForm && <p className="muted small">{t({ en: 'Publish a form of this app first.', zh: '请先发布此应用的一个表单。' })}</p>}
          <ul>
            {WIDGET_TYPES.map((type) => (
              <li key={type} className="db-palette-item" onPointerDown={paletteDrag(type)} data-type={type}>
                <span className="grow">{t(TYPE_NAMES[type])}</span>
                <button type="button" className="btn btn-sm" disabled={!defaultForm} aria-label={t({ en: 'Add {type}', zh: '添加{type}' }, { type: t(TYPE_NAMES[type]) })} onClick={() => add(type)}>+</button>
              </li>
            ))}
          </ul>
        </aside>
        <div className="db-center">
          {def.widgets.length === 0 && (
            <p className="muted db-empty">{t({ en: 'Drag a widget type onto the grid, or press its + button.', zh: '把组件类型拖到网格上，或点击其“+”按钮。' })}</p>
          )}
          <GridCanvas
            widgets={def.widgets}
            selected={selected}
            onSelect={setSelected}
            onLayout={setLayout}
            flagged={flagged}
            ghost={ghost?.layout ?? null}
            gridRef={gridRef}
            body={(w) =>
              savedWidgets.get(w.id) === figuresKey(w) && byId.has(w.id) ? (
                <WidgetView widget={w} data={byId.get(w.id)} fieldName={fieldName} />
              ) : (
                <p className="muted db-unsaved">{t({ en: 'Save to preview', zh: '保存后预览' })}</p>
              )
            }
          />
        </div>
        <aside className="db-side" aria-label={t({ en: 'Properties', zh: '属性' })}>
          {current ? (
            <WidgetPanel
              key={current.id}
              widget={current}
              forms={forms}
              problems={problemsOf(problems, index)}
              onChange={updateWidget}
              onRemove={() => {
                setDef((d) => ({ ...d, widgets: d.widgets.filter((w) => w.id !== current.id) }));
                setSelected(null);
              }}
            />
          ) : (
            <DashboardPanel def={def} forms={forms} onChange={setDef} />
          )}
        </aside>
      </div>
      {ghost && (
        <div className="db-drag-overlay" style={{ left: ghost.x + 8, top: ghost.y + 8 }} aria-hidden="true">{t(TYPE_NAMES[ghost.type])}</div>
      )}
    </div>
  );
}
