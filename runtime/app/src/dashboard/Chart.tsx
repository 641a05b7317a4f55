// The one place that knows echarts: bar, line, pie and funnel over categories. Loaded lazily (its own
// chunk, ~200 kB gzipped), only by widgets that draw a chart, so form pages never pay for it.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, FunnelChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface ChartProps {
  kind: 'bar' | 'line' | 'pie' | 'funnel';
  /** read by screen readers; the values are listed beside the chart too */
  label: string;
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  /** a bar, point or slice was clicked: its category index */
  onPick?: ((index: number) => void) | undefined;
}

const COLORS = ['#1f6feb', '#2ea121', '#de7802', '#8e44ad', '#d83931', '#0aa5a5', '#b8860b', '#646a73'];

function optionOf({ kind, categories, series }: ChartProps): echarts.EChartsCoreOption {
  const base = { color: COLORS, animationDuration: 300, tooltip: { trigger: kind === 'pie' || kind === 'funnel' ? 'item' : 'axis', confine: true } };
  if (kind === 'funnel') {
    // stages in the order the widget sorts them (by key: s1_, s2_… or by value), widest first
    return {
      ...base,
      series: [{
        type: 'funnel', sort: 'none', left: '10%', width: '80%', top: 8, bottom: 8, minSize: '8%', gap: 2,
        label: { position: 'inside', formatter: '{b}: {c}', overflow: 'truncate' },
        data: categories.map((name, i) => ({ name, value: series[0]?.values[i] ?? 0 })),
      }],
    };
  }
  if (kind === 'pie') {
    return {
      ...base,
      series: [{
        type: 'pie', radius: ['30%', '58%'], avoidLabelOverlap: true,
        label: { formatter: '{b}\n{d}%', overflow: 'truncate', width: 80, lineHeight: 16, minMargin: 4 },
        data: categories.map((name, i) => ({ name, value: series[0]?.values[i] ?? 0 })),
      }],
    };
  }
  return {
    ...base,
    legend: series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
    grid: { left: 8, right: 12, top: series.length > 1 ? 28 : 12, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: categories, axisLabel: { hideOverlap: true, width: 80, overflow: 'truncate' } },
    yAxis: { type: 'value' },
    series: series.map((s) => ({ type: kind, name: s.name, data: s.values, barMaxWidth: 48, smooth: kind === 'line' ? 0.2 : undefined })),
  };
}

export default function Chart(props: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;

  useEffect(() => {
    const c = echarts.init(el.current!, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (p) => {
      if (typeof p.dataIndex === 'number') pick.current?.(p.dataIndex);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(optionOf(props), true);
  }, [props.kind, JSON.stringify(props.categories), JSON.stringify(props.series)]);

  return <div ref={el} className="chart" role="img" aria-label={props.label} />;
}
