// Charts as SVG, rendered at build time with Vega-Lite compiled to Vega and
// Vega's headless renderer: no script runs in the page. Each chart is described
// for screen readers, and the pages put the same numbers in a table beside it.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  background: 'white',
  axis: { labelFontSize: 12, titleFontSize: 13, labelColor: '#222', titleColor: '#222', gridColor: '#ddd' },
  title: { fontSize: 15, anchor: 'start' as const, color: '#111' },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom' as const, labelColor: '#222', titleColor: '#222' },
  range: { category: ['#1d5fa8', '#c0561b', '#2b7a3d', '#7a3d8f', '#8a6d00', '#5b5b5b', '#b8336a', '#00737a'] },
};

async function render(spec: Record<string, unknown>): Promise<string> {
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, ...spec } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export interface Bar {
  label: string;
  value: number;
  /** Groups bars side by side (e.g. budget, reserved, paid per fund). */
  group?: string;
}

/** Bars; with `group` set, grouped bars with a legend. Values are plotted as given (e.g. pounds). */
export function barChart(o: { title: string; description: string; xTitle: string; yTitle: string; bars: Bar[]; format?: string; width?: number }) {
  const grouped = o.bars.some((b) => b.group !== undefined);
  return render({
    title: o.title,
    description: o.description,
    width: o.width ?? 320,
    height: 220,
    data: { values: o.bars },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'label', type: 'nominal', title: o.xTitle, sort: null, axis: { labelAngle: 0, labelLimit: 110 } },
      y: { field: 'value', type: 'quantitative', title: o.yTitle, axis: { format: o.format ?? ',.0f' } },
      ...(grouped ? { xOffset: { field: 'group', sort: null }, color: { field: 'group', title: null, sort: null } } : { color: { value: '#1d5fa8' } }),
    },
  });
}

export interface LinePoint {
  series: string;
  period: string;
  label: string;
  value: number;
}

/** One line per series over ordered periods, with a point on every value. */
export function lineChart(o: { title: string; description: string; xTitle: string; yTitle: string; points: LinePoint[]; order: string[] }) {
  return render({
    title: o.title,
    description: o.description,
    width: 320,
    height: 200,
    data: { values: o.points },
    mark: { type: 'line', point: { filled: true, size: 50 }, tooltip: false },
    encoding: {
      x: { field: 'label', type: 'ordinal', title: o.xTitle, sort: o.order, axis: { labelAngle: 0, labelLimit: 90 } },
      y: { field: 'value', type: 'quantitative', title: o.yTitle, axis: { format: ',~r' } },
      color: { field: 'series', type: 'nominal', title: null, sort: null },
    },
  });
}
