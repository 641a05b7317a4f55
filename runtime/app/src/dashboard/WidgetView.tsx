// One dashboard widget as a card: a number with its change, a chart with its values listed
// beside it, a table or a pivot table. Every bar, slice, point, row and cell can open the
// records behind it (`onDrill` with the drill filter the server computed).
import { lazy, Suspense } from 'react';
import { labelText, type Filter, type Label, type NumberFigures, type PivotFigures, type SeriesFigures, type Widget } from '@trellis/core';
import { useLang, useT } from '../lib/i18n';
import { Loading } from '../ui/common';
import type { WidgetData } from './types';
import { changeView, formatFigure, keyText, metricName } from './view';
import './dashboard.css';

const Chart = lazy(() => import('./Chart'));

export interface WidgetViewProps {
  widget: Widget;
  /** this widget's part of the /data reply; undefined while loading */
  data: WidgetData | undefined;
  /** a field's label in the current language */
  fieldName: (formId: string, field: string) => string;
  onDrill?: ((formId: string, filter: Filter) => void) | undefined;
}

export function WidgetView({ widget, data, fieldName, onDrill }: WidgetViewProps) {
  const t = useT();
  const title = t(widget.title);
  let body;
  if (!data) body = <Loading />;
  else if ('error' in data) {
    body = (
      <p className="alert widget-error">
        {data.error.code === 'FORBIDDEN'
          ? t({ en: 'You may not see the data of this widget.', zh: '你无权查看此组件的数据。' })
          : data.error.message}
      </p>
    );
  } else {
    const drill = onDrill ? (f: Filter) => onDrill(data.form, f) : undefined;
    const fig = data.figures;
    const props = { widget, title, labels: data.labels, fieldName: (k: string) => fieldName(data.form, k), drill };
    if (fig.type === 'number') body = <NumberBody {...props} fig={fig} />;
    else if (fig.type === 'pivot') body = <PivotBody {...props} fig={fig} />;
    else if (fig.type === 'table') body = <TableBody {...props} fig={fig} />;
    else body = <ChartBody {...props} fig={fig} />;
  }
  return (
    <section className={`widget card widget-${widget.type}`} aria-label={title} data-widget={widget.id}>
      <h3 className="widget-title">{title}</h3>
      <div className="widget-body">{body}</div>
    </section>
  );
}

interface BodyProps {
  widget: Widget;
  title: string;
  labels: Record<string, Label>;
  fieldName: (field: string) => string;
  drill: ((f: Filter) => void) | undefined;
}

function NumberBody({ widget, fig, fieldName, drill }: BodyProps & { fig: NumberFigures }) {
  const t = useT();
  const lang = useLang();
  const main = formatFigure(fig.values[0] ?? null, lang);
  const change = changeView(fig.change?.[0]);
  return (
    <div className="number-card">
      {drill ? (
        <button type="button" className="number-value btn-link" onClick={() => drill(fig.drill)} aria-label={t({ en: '{v}, open the records', zh: '{v}，查看记录' }, { v: main })}>
          {main}
        </button>
      ) : (
        <span className="number-value">{main}</span>
      )}
      <span className="muted small">{metricName(widget.metrics[0]!, fieldName, lang)}</span>
      {fig.previous && (
        <span className={`change change-${change?.dir ?? 'none'}`}>
          {change ? (
            <>
              <span aria-hidden="true">{change.dir === 'up' ? '▲' : change.dir === 'down' ? '▼' : '▬'}</span> {change.text}
            </>
          ) : (
            '–'
          )}{' '}
          <span className="muted">
            {t({ en: 'vs previous period ({v})', zh: '对比上期（{v}）' }, { v: formatFigure(fig.previous[0] ?? null, lang) })}
          </span>
        </span>
      )}
      {widget.metrics.length > 1 && (
        <dl className="meta small">
          {widget.metrics.slice(1).map((m, i) => (
            <div key={i} style={{ display: 'contents' }}>
              <dt>{metricName(m, fieldName, lang)}</dt>
              <dd>{formatFigure(fig.values[i + 1] ?? null, lang)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

function ChartBody({ widget, title, fig, labels, fieldName, drill }: BodyProps & { fig: SeriesFigures }) {
  const t = useT();
  const lang = useLang();
  const kind = fig.type === 'table' ? 'bar' : fig.type;
  const keys = fig.rows.map((r) => keyText(r.key, labels, lang, labelText));
  const metrics = kind === 'pie' || kind === 'funnel' ? widget.metrics.slice(0, 1) : widget.metrics;
  const series = metrics.map((m, i) => ({ name: metricName(m, fieldName, lang), values: fig.rows.map((r) => (typeof r.values[i] === 'number' ? (r.values[i] as number) : null)) }));
  if (fig.rows.length === 0) return <p className="muted empty">{t({ en: 'No records.', zh: '没有记录。' })}</p>;
  return (
    <>
      <Suspense fallback={<div className="chart"><Loading /></div>}>
        <Chart kind={kind} label={title} categories={keys} series={series} onPick={drill ? (i) => drill(fig.rows[i]!.drill) : undefined} />
      </Suspense>
      <ul className="widget-rows" aria-label={t({ en: '{w} values', zh: '{w}数值' }, { w: title })}>
        {fig.rows.map((r, i) => {
          const text = `${keys[i]}: ${r.values.slice(0, metrics.length).map((v) => formatFigure(v, lang)).join(' / ')}`;
          return (
            <li key={i}>
              {drill ? (
                <button type="button" className="btn-link row-link" onClick={() => drill(r.drill)}>{text}</button>
              ) : (
                <span>{text}</span>
              )}
            </li>
          );
        })}
      </ul>
      {fig.truncated && <p className="muted small">{t({ en: 'Only the first {n} are shown.', zh: '只显示前 {n} 项。' }, { n: fig.rows.length })}</p>}
    </>
  );
}

function TableBody({ widget, title, fig, labels, fieldName, drill }: BodyProps & { fig: SeriesFigures }) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="widget-scroll">
      <table className="widget-table" aria-label={title}>
        <thead>
          <tr>
            {fig.groupBy && <th scope="col">{fieldName(fig.groupBy)}</th>}
            {widget.metrics.map((m, i) => <th key={i} scope="col" className="num">{metricName(m, fieldName, lang)}</th>)}
          </tr>
        </thead>
        <tbody>
          {fig.rows.map((r, i) => (
            <tr key={i} className={drill ? 'clickable' : undefined} onClick={drill ? () => drill(r.drill) : undefined}>
              {fig.groupBy && (
                <th scope="row">
                  {drill ? (
                    <button type="button" className="btn-link row-link" onClick={(e) => { e.stopPropagation(); drill(r.drill); }}>
                      {keyText(r.key, labels, lang, labelText)}
                    </button>
                  ) : keyText(r.key, labels, lang, labelText)}
                </th>
              )}
              {r.values.map((v, j) => <td key={j} className="num">{formatFigure(v, lang)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {fig.rows.length === 0 && <p className="muted empty">{t({ en: 'No records.', zh: '没有记录。' })}</p>}
    </div>
  );
}

/** a total of a pivot row, column or of all; tapping it lists the records behind it */
function TotalCell({ cell, label, drill }: { cell: PivotFigures['total'] | undefined; label: string; drill: BodyProps['drill'] }) {
  const lang = useLang();
  if (!cell) return <td className="num total" />;
  const text = cell.values.map((v) => formatFigure(v, lang)).join(' / ');
  return (
    <td className="num total">
      {drill ? <button type="button" className="btn-link cell-link" onClick={() => drill(cell.drill)} aria-label={`${label}: ${text}`}>{text}</button> : text}
    </td>
  );
}

function PivotBody({ title, fig, labels, fieldName, drill }: BodyProps & { fig: PivotFigures }) {
  const t = useT();
  const lang = useLang();
  const key = (k: Parameters<typeof keyText>[0]) => keyText(k, labels, lang, labelText);
  if (fig.rows.length === 0) return <p className="muted empty">{t({ en: 'No records.', zh: '没有记录。' })}</p>;
  return (
    <div className="widget-scroll">
      <table className="widget-table pivot" aria-label={title}>
        <thead>
          <tr>
            <th scope="col">{fieldName(fig.rowField)} \ {fieldName(fig.columnField)}</th>
            {fig.columns.map((c, j) => <th key={j} scope="col" className="num">{key(c.key)}</th>)}
            <th scope="col" className="num total">{t({ en: 'Total', zh: '合计' })}</th>
          </tr>
        </thead>
        <tbody>
          {fig.rows.map((r, i) => (
            <tr key={i}>
              <th scope="row">{key(r.key)}</th>
              {fig.cells[i]!.map((cell, j) => {
                const text = cell.values.map((v) => formatFigure(v, lang)).join(' / ');
                return (
                  <td key={j} className="num">
                    {drill ? (
                      <button
                        type="button" className="btn-link cell-link" onClick={() => drill(cell.drill)}
                        aria-label={`${key(r.key)} × ${key(fig.columns[j]!.key)}: ${text}`}
                      >
                        {text}
                      </button>
                    ) : text}
                  </td>
                );
              })}
              <TotalCell cell={fig.rowTotals[i]} label={`${key(r.key)} · ${t({ en: 'Total', zh: '合计' })}`} drill={drill} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t({ en: 'Total', zh: '合计' })}</th>
            {fig.columns.map((c, j) => <TotalCell key={j} cell={fig.columnTotals[j]} label={`${t({ en: 'Total', zh: '合计' })} · ${key(c.key)}`} drill={drill} />)}
            <TotalCell cell={fig.total} label={t({ en: 'Grand total', zh: '总计' })} drill={drill} />
          </tr>
        </tfoot>
      </table>
      {fig.truncated && <p className="muted small">{t({ en: 'Only the first {n} rows are shown.', zh: '只显示前 {n} 行。' }, { n: fig.rows.length })}</p>}
    </div>
  );
}
