/**
 * The report's figure kinds as Vega-Lite specs: curves over depth (or steps, or width) with the spread over seeds
 * and the theory's reference line, and per-scheme intervals. Every axis has a robust range with round ticks
 * (axis.ts); values beyond it are drawn at the edge with a ▲/▼ marker and their series is labelled "(clipped)".
 */
import { type AxisRange, type Clip, clipValue, linearTicks, robustRange, tickLabel } from './axis.js';
import type { VegaLiteSpec } from './render.js';

/** A figure of a report: its spec, caption, and the series whose values were clipped to the axis range. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly spec: VegaLiteSpec;
  readonly caption: string;
  readonly clipped: readonly string[];
}

/** One curve: x and y of equal length. */
export interface Curve {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** One scheme in a panel: a central curve (mean), optionally per-seed curves and an interval band. */
export interface SeriesInput {
  readonly name: string;
  readonly color: string;
  readonly center: Curve;
  readonly seeds?: readonly (Curve & { readonly seed: number })[];
  readonly band?: { readonly x: readonly number[]; readonly lo: readonly number[]; readonly hi: readonly number[] };
}

export interface PanelInput {
  /** Panel title in a multi-panel figure (e.g. 'width 256'). */
  readonly title?: string;
  readonly series: readonly SeriesInput[];
}

export interface CurveFigureOptions {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly logY: boolean;
  /** The theory's prediction, drawn as a dashed line with its label. */
  readonly reference?: { readonly value: number; readonly label: string };
  /** Hard limits of y (e.g. 0 and 1 for a fraction). */
  readonly floor?: number;
  readonly ceil?: number;
  /** Outlier fence (axis.ts RangeOptions.fence); Infinity shows the whole extent (for a bounded quantity such as a fraction). */
  readonly fence?: number;
  /** x ticks; default: round ticks over the data's x range. Log base 2 x axis when `logX`. */
  readonly xTicks?: readonly number[];
  /** x range, when it differs from the ticks' extent (layers 1..n with ticks 1, 2, 4, 6, 8). */
  readonly xDomain?: readonly [number, number];
  readonly logX?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** Title of the legend of the curves (default 'scheme'). */
  readonly legendTitle?: string;
}

/** A row of a curve figure's data. kind: which layer draws it; g: the line it belongs to. */
interface Row {
  s: string;
  kind: 'center' | 'seed' | 'band';
  g: string;
  x: number;
  y?: number;
  lo?: number;
  hi?: number;
  clip: Clip;
}

/** Vega expression mapping each tick value to its label (tickLabel), so labels read 0.01, 1, 100, 1e6 — never 1e+6 or 0.1000. */
export function labelExpr(ticks: readonly number[]): string {
  return ticks.reduceRight((acc, t) => `datum.value === ${t} ? '${tickLabel(t)}' : ${acc}`, "format(datum.value, '~g')");
}

/** A y (or x) positional encoding on a fixed range with explicit round ticks. */
export function axisEncoding(field: string, r: AxisRange, title: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    field,
    type: 'quantitative',
    scale: { type: r.log ? 'log' : 'linear', domain: [r.lo, r.hi], nice: false, clamp: true, ...(r.log ? {} : { zero: false }) },
    axis: { values: [...r.ticks], labelExpr: labelExpr(r.ticks), title, grid: true, labelOverlap: false },
    ...extra,
  };
}

/** Ticks for layer numbers 1..n: 1 and the round numbers up to n (at most ~8), with the range [1, n]. */
export function layerAxis(n: number): { xTicks: number[]; xDomain: [number, number] } {
  const m = Math.max(1, Math.floor(n));
  return { xTicks: [1, ...linearTicks(1, m, 8).filter((t) => t > 1 && t <= m)], xDomain: [1, Math.max(2, m)] };
}

/** Legend name of a series: its label, plus "(clipped)" when some of its values lie beyond the axis range. */
const shown = (s: SeriesInput, clipped: ReadonlySet<string>): string => (clipped.has(s.name) ? `${s.name} (clipped)` : s.name);

/** A curve with at most this many points per series is drawn with a marker at each point. */
const SPARSE_POINTS = 12;

/**
 * Curves of several schemes in one or more panels sharing one y range: per seed as thin lines, the mean as a thick
 * line, an interval as a band, the reference as a dashed line. The y range is robust (axis.ts robustRange over the
 * central curves); seeds and bands beyond it are clipped too, and their series marked.
 */
export function curveFigure(panels: readonly PanelInput[], o: CurveFigureOptions): Figure {
  const typical = panels.flatMap((p) =>
    p.series.flatMap((s) => [...s.center.y, ...(s.seeds ?? []).flatMap((c) => c.y), ...(s.band?.lo ?? []), ...(s.band?.hi ?? [])]),
  );
  const yr = robustRange(typical, { log: o.logY, reference: o.reference?.value, floor: o.floor, ceil: o.ceil, fence: o.fence });
  const clipped = new Set<string>();
  const panelRows = panels.map((p) =>
    p.series.flatMap((s) => {
      const rows: Row[] = [];
      const point = (kind: Row['kind'], g: string, x: number, v: number): void => {
        const c = clipValue(v, yr);
        if (c.clip === 'high' || c.clip === 'low') clipped.add(s.name);
        if (c.y !== undefined && Number.isFinite(x)) rows.push({ s: s.name, kind, g, x, y: c.y, clip: c.clip });
      };
      s.center.y.forEach((v, i) => point('center', 'mean', s.center.x[i] as number, v));
      for (const sd of s.seeds ?? []) sd.y.forEach((v, i) => point('seed', `seed ${sd.seed}`, sd.x[i] as number, v));
      if (s.band !== undefined) {
        s.band.x.forEach((x, i) => {
          // On a log axis an interval reaching 0 or below says only "anything down to 0": no band there (a band
          // clamped to the axis bottom would paint most of the panel).
          if (yr.log && !((s.band?.lo[i] as number) > 0)) return;
          const lo = clipValue(s.band?.lo[i] as number, yr);
          const hi = clipValue(s.band?.hi[i] as number, yr);
          if (lo.y !== undefined && hi.y !== undefined && Number.isFinite(x)) rows.push({ s: s.name, kind: 'band', g: 'band', x, lo: lo.y, hi: hi.y, clip: 'none' });
        });
      }
      return rows;
    }),
  );
  const all = panels.flatMap((p) => p.series);
  const names = all.filter((s, i) => all.findIndex((t) => t.name === s.name) === i);
  const color = {
    field: 's',
    type: 'nominal',
    scale: { domain: names.map((s) => shown(s, clipped)), range: names.map((s) => s.color) },
    legend: { title: o.legendTitle ?? 'scheme', orient: 'right', labelLimit: 420, symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1, labelFontSize: 11, rowPadding: 2 },
  };
  for (const rows of panelRows) for (const r of rows) if (clipped.has(r.s)) r.s = `${r.s} (clipped)`;
  const xs = panelRows.flat().map((r) => r.x);
  const xr: AxisRange =
    o.xTicks !== undefined && o.xTicks.length > 0
      ? { lo: o.xDomain?.[0] ?? Math.min(...o.xTicks), hi: o.xDomain?.[1] ?? Math.max(...o.xTicks), ticks: o.xTicks, log: o.logX === true }
      : robustRange(xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0, 1], { log: false, fence: Infinity });
  const x = (title: string | null): Record<string, unknown> => {
    const e = axisEncoding('x', xr, title);
    if (xr.log) (e.scale as Record<string, unknown>).base = 2;
    return e;
  };
  const y = (field: string): Record<string, unknown> => axisEncoding(field, yr, o.yTitle);
  const panel = (rows: Row[], title: string | undefined): Record<string, unknown> => {
    const layers: Record<string, unknown>[] = [];
    if (rows.some((r) => r.kind === 'band')) {
      layers.push({
        transform: [{ filter: "datum.kind === 'band'" }],
        mark: { type: 'area', opacity: 0.16 },
        encoding: { x: x(o.xTitle), y: y('lo'), y2: { field: 'hi' }, color, detail: { field: 'g' } },
      });
    }
    if (rows.some((r) => r.kind === 'seed')) {
      layers.push({
        transform: [{ filter: "datum.kind === 'seed'" }],
        mark: { type: 'line', strokeWidth: 0.9, opacity: 0.45 },
        encoding: { x: x(o.xTitle), y: y('y'), color, detail: { field: 'g' } },
      });
    }
    // A curve measured at a few x (a γ grid, three widths) gets a point at each measurement, so that a straight
    // segment between two of them is not read as data.
    const perSeries = new Map<string, number>();
    for (const r of rows) if (r.kind === 'center') perSeries.set(r.s, (perSeries.get(r.s) ?? 0) + 1);
    const sparse = perSeries.size > 0 && Math.max(...perSeries.values()) <= SPARSE_POINTS;
    layers.push({
      transform: [{ filter: "datum.kind === 'center'" }],
      mark: { type: 'line', strokeWidth: 2.2, ...(sparse ? { point: { filled: true, size: 40 } } : {}) },
      encoding: { x: x(o.xTitle), y: y('y'), color },
    });
    if (rows.some((r) => r.clip === 'high' || r.clip === 'low')) {
      layers.push({
        transform: [{ filter: "datum.clip === 'high' || datum.clip === 'low'" }],
        mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
        encoding: {
          x: x(o.xTitle),
          y: y('y'),
          color,
          shape: { field: 'clip', type: 'nominal', scale: { domain: ['high', 'low'], range: ['triangle-up', 'triangle-down'] }, legend: { title: 'clipped beyond axis' } },
        },
      });
    }
    if (o.reference !== undefined) {
      const ref = { values: [{ r: o.reference.value, label: o.reference.label }] };
      layers.push({ data: ref, mark: { type: 'rule', strokeDash: [6, 4], color: '#222', strokeWidth: 1.4 }, encoding: { y: y('r') } });
      layers.push({
        data: ref,
        mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -4, dy: -3, fontSize: 11, color: '#222' },
        encoding: { y: y('r'), x: { value: 'width' }, text: { field: 'label' } },
      });
    }
    return {
      ...(title !== undefined ? { title } : {}),
      width: o.width ?? (panels.length > 1 ? 300 : 560),
      height: o.height ?? (panels.length > 1 ? 220 : 300),
      data: { values: rows },
      layer: layers,
    };
  };
  const body =
    panels.length === 1
      ? panel(panelRows[0] as Row[], undefined)
      : { concat: panelRows.map((rows, i) => panel(rows, panels[i]?.title)), columns: Math.min(3, panels.length) };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: o.title, anchor: 'start', fontSize: 14 },
    config: { font: 'system-ui, sans-serif', legend: { labelFontSize: 11 }, axis: { labelFontSize: 11, titleFontSize: 12 } },
    ...body,
  } as unknown as VegaLiteSpec; // built from plain objects above; compileSpec rejects any spec vega-lite warns about
  return { id: o.id, title: o.title, spec, caption: o.caption, clipped: [...clipped] };
}

/** One scheme's interval (e.g. test accuracy over seeds): mean, lo, hi and the seed values. */
export interface IntervalInput {
  readonly name: string;
  readonly color: string;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly seeds: readonly number[];
}

export interface IntervalFigureOptions {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly xTitle: string;
  readonly reference?: { readonly value: number; readonly label: string };
  readonly floor?: number;
  readonly ceil?: number;
}

/**
 * One row per scheme (in the given order, e.g. ranked): the mean as a dot, the interval as an error bar, each seed as
 * a small tick. The x range is robust over the means; intervals and seeds beyond it are clipped and marked.
 */
export function intervalFigure(items: readonly IntervalInput[], o: IntervalFigureOptions): Figure {
  const xr0 = robustRange(items.flatMap((i) => [i.mean, i.lo, i.hi, ...i.seeds]), { log: false, floor: o.floor, ceil: o.ceil });
  // The reference is drawn only when it falls inside the data's range: widening a 0.95–0.98 accuracy axis to the
  // 10% chance level would flatten every interval to a dot. The caption says where it is otherwise.
  const refIn = o.reference !== undefined && o.reference.value >= xr0.lo && o.reference.value <= xr0.hi;
  const xr = xr0;
  const clipped = new Set<string>();
  const rows: Record<string, unknown>[] = [];
  for (const it of items) {
    const m = clipValue(it.mean, xr);
    const lo = clipValue(it.lo, xr);
    const hi = clipValue(it.hi, xr);
    const seedClips = it.seeds.map((v) => clipValue(v, xr));
    if ([m, lo, hi, ...seedClips].some((c) => c.clip === 'high' || c.clip === 'low')) clipped.add(it.name);
    const s = clipped.has(it.name) ? `${it.name} (clipped)` : it.name;
    if (m.y !== undefined) rows.push({ s, kind: 'mean', v: m.y, clip: m.clip });
    if (lo.y !== undefined && hi.y !== undefined) rows.push({ s, kind: 'ci', v: lo.y, v2: hi.y, clip: 'none' });
    // A clipped interval end gets its own marker row (the rule itself cannot show that it continues).
    for (const end of [lo, hi]) if (end.y !== undefined && end.clip !== 'none') rows.push({ s, kind: 'end', v: end.y, clip: end.clip });
    seedClips.forEach((c) => c.y !== undefined && rows.push({ s, kind: 'seed', v: c.y, clip: c.clip }));
  }
  const names = items.map((it) => (clipped.has(it.name) ? `${it.name} (clipped)` : it.name));
  const yEnc = { field: 's', type: 'nominal', sort: names, title: null, axis: { labelLimit: 340 } };
  const color = { field: 's', type: 'nominal', scale: { domain: names, range: items.map((i) => i.color) }, legend: null };
  const x = (field: string): Record<string, unknown> => axisEncoding(field, xr, o.xTitle);
  const layers: Record<string, unknown>[] = [
    { transform: [{ filter: "datum.kind === 'ci'" }], mark: { type: 'rule', strokeWidth: 2.5 }, encoding: { y: yEnc, x: x('v'), x2: { field: 'v2' }, color } },
    { transform: [{ filter: "datum.kind === 'seed'" }], mark: { type: 'tick', thickness: 1.5, size: 10, opacity: 0.7 }, encoding: { y: yEnc, x: x('v'), color } },
    { transform: [{ filter: "datum.kind === 'mean'" }], mark: { type: 'point', filled: true, size: 60 }, encoding: { y: yEnc, x: x('v'), color } },
  ];
  if (clipped.size > 0) {
    layers.push({
      transform: [{ filter: "datum.clip === 'high' || datum.clip === 'low'" }],
      mark: { type: 'point', filled: true, size: 80, color: '#b71c1c' },
      encoding: {
        y: yEnc,
        x: x('v'),
        shape: { field: 'clip', type: 'nominal', scale: { domain: ['high', 'low'], range: ['triangle-right', 'triangle-left'] }, legend: { title: 'clipped beyond axis' } },
      },
    });
  }
  if (o.reference !== undefined && refIn) {
    const ref = { values: [{ r: o.reference.value, label: o.reference.label }] };
    layers.push({ data: ref, mark: { type: 'rule', strokeDash: [6, 4], color: '#222', strokeWidth: 1.4 }, encoding: { x: x('r') } });
    layers.push({ data: ref, mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 2, fontSize: 11 }, encoding: { x: x('r'), y: { value: 0 }, text: { field: 'label' } } });
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: o.title, anchor: 'start', fontSize: 14 },
    config: { font: 'system-ui, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 } },
    width: 560,
    height: { step: 20 },
    data: { values: rows },
    layer: layers,
  } as unknown as VegaLiteSpec; // plain objects; compileSpec rejects any spec vega-lite warns about
  const refNote =
    o.reference !== undefined && !refIn ? ` ${o.reference.label} = ${tickLabel(o.reference.value)} lies outside the axis range and is not drawn.` : '';
  return { id: o.id, title: o.title, spec, caption: o.caption + refNote, clipped: [...clipped] };
}
