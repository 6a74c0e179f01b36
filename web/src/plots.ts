/**
 * The playground's plots: vega-lite specs compiled and rendered to SVG by vega, both bundled (no CDN). Line charts
 * pan and zoom with the mouse (an interval selection bound to the scales) and show values on hover.
 */
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type Row = Record<string, number | string | null>;

/** A line chart of `y` against `x`, one colour per `color` value (or one line), log y where asked. */
export function lineSpec(title: string, x: string, y: string, opts: { color?: string; logY?: boolean; yTitle?: string; data?: string } = {}): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    height: 220,
    // Re-layout as data arrive: the live loss curve's axis labels widen after its first rows.
    autosize: { type: 'pad', resize: true },
    data: { name: opts.data ?? 'rows' },
    mark: { type: 'line', point: true, tooltip: true },
    params: [{ name: 'zoom', select: 'interval', bind: 'scales' }],
    encoding: {
      x: { field: x, type: 'quantitative' },
      y: { field: y, type: 'quantitative', title: opts.yTitle ?? y, scale: opts.logY === true ? { type: 'log' } : { zero: false } },
      ...(opts.color === undefined ? {} : { color: { field: opts.color, type: 'nominal', legend: { orient: 'bottom', columns: 3 } } }),
    },
  };
}

/** Render `spec` into `el` with `rows` as its data; the returned view takes more rows through `append`. */
export async function renderPlot(el: HTMLElement, spec: TopLevelSpec, rows: readonly Row[]): Promise<View> {
  el.dataset.state = 'rendering';
  // The plot area takes the container's width less room for the y axis (legends go below).
  const sized = { ...spec, width: Math.max(200, el.clientWidth - 80) } as TopLevelSpec;
  const view = new View(parse(compile(sized).spec), { renderer: 'svg', container: el, hover: true });
  view.data('rows', rows.map((r) => ({ ...r })));
  await view.runAsync();
  el.dataset.state = 'rendered';
  el.dataset.points = String(rows.length);
  return view;
}

/** Add rows to a rendered plot (the live loss curve). */
export async function appendRows(el: HTMLElement, view: View, rows: readonly Row[]): Promise<void> {
  view.insert('rows', rows.map((r) => ({ ...r })));
  await view.runAsync();
  el.dataset.points = String(Number(el.dataset.points ?? '0') + rows.length);
}
