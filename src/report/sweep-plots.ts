/**
 * The figures of the `sweep` report: final training loss vs width per scheme (one panel per depth; every seed a thin
 * line, the mean thick, its t-interval as a band), and per scheme and depth the μP coordinate check — mean |activation|
 * of each layer vs width, one panel per recorded step (flat lines: the activations' scale does not grow with width).
 */
import type { SweepCell, SweepResult } from '../experiments/sweep/index.js';
import { colorAt } from './html.js';
import { type Figure, type PanelInput, type SeriesInput, curveFigure } from './plots.js';

const finiteOr = (v: number): number => (Number.isFinite(v) ? v : NaN);

/** Loss vs width: panels by depth, one series per scheme. */
export function lossWidthFigure(r: SweepResult, cells: readonly SweepCell[]): Figure {
  const c = r.config;
  const widths = [...c.widths].sort((a, b) => a - b);
  const panels: PanelInput[] = c.depths.map((depth) => ({
    title: `depth ${depth}`,
    series: c.schemes.map((s, i): SeriesInput => {
      const row = widths.map((w) => cells.find((x) => x.scheme === s.id && x.depth === depth && x.width === w)!);
      return {
        name: s.label,
        color: colorAt(i),
        center: { x: widths, y: row.map((x) => finiteOr(x.finalLoss.mean)) },
        seeds: c.seeds.map((seed) => ({ seed, x: widths, y: row.map((x) => x.lossBySeed.find((v) => v.seed === seed)?.value ?? NaN) })),
        band: { x: widths, lo: row.map((x) => x.finalLoss.lo), hi: row.map((x) => x.finalLoss.hi) },
      };
    }),
  }));
  const pct = `${Math.round(c.confidence * 1000) / 10}%`;
  return curveFigure(panels, {
    id: 'loss-width',
    title: 'Does wider train better? Final training loss vs width',
    caption: `Mean training loss over the last ${c.logEvery} of ${c.steps} steps, per width (log scale), every seed a thin line, the mean thick, the ${pct} t-interval over seeds as a band.`,
    xTitle: 'hidden width', yTitle: 'final training loss', logY: false, logX: true, xTicks: widths,
  });
}

/** `spec` with every legend titled 'scheme' retitled `title` (curveFigure names its series' legend 'scheme'). */
function retitleLegend(spec: unknown, title: string): void {
  if (Array.isArray(spec)) spec.forEach((x) => retitleLegend(x, title));
  else if (typeof spec === 'object' && spec !== null) {
    const o = spec as Record<string, unknown>;
    const legend = o['legend'] as Record<string, unknown> | undefined;
    if (typeof legend === 'object' && legend !== null && legend['title'] === 'scheme') legend['title'] = title;
    Object.values(o).forEach((v) => retitleLegend(v, title));
  }
}

/** The coordinate check of one scheme at one depth: panels by step, one series per layer. */
export function coordFigure(r: SweepResult, cells: readonly SweepCell[], schemeIndex: number, depth: number): Figure {
  const c = r.config;
  const s = c.schemes[schemeIndex]!;
  const widths = [...c.widths].sort((a, b) => a - b);
  const row = widths.map((w) => cells.find((x) => x.scheme === s.id && x.depth === depth && x.width === w)!);
  const steps = Math.min(...row.map((x) => x.coord.length));
  const layers = [...Array.from({ length: depth }, (_, l) => `hidden ${l + 1}`), 'output'];
  const panels: PanelInput[] = Array.from({ length: steps }, (_, t) => ({
    title: `after ${row[0]!.coordSteps[t]} step${row[0]!.coordSteps[t] === 1 ? '' : 's'}`,
    series: layers.map((name, l): SeriesInput => ({
      name, color: colorAt(l), center: { x: widths, y: row.map((x) => x.coord[t]![l] as number) },
    })),
  }));
  const fig = curveFigure(panels, {
    id: `coord-${schemeIndex}-d${depth}`,
    title: `Coordinate check: ${s.label}, depth ${depth}`,
    caption: 'Mean |activation| of each layer (after its ReLU; the logits for the output) on a fixed batch, mean over seeds, vs width, ' +
      'after each of the first training steps. In a width-stable parametrization (μP) the lines are flat in width; a line rising with ' +
      'width marks a layer whose updates blow up as the net widens (Yang et al., Tensor Programs V).',
    xTitle: 'hidden width', yTitle: 'mean |activation|', logY: true, logX: true, xTicks: widths,
  });
  retitleLegend(fig.spec, 'layer');
  return fig;
}

/**
 * Every figure of the sweep report: loss vs width, then the coordinate check of each scheme at each depth where every
 * width has a completed seed (the failures section lists the others).
 */
export function sweepFigures(r: SweepResult, cells: readonly SweepCell[]): Figure[] {
  const c = r.config;
  const complete = (id: string, d: number): boolean => cells.filter((x) => x.scheme === id && x.depth === d).every((x) => x.coord.length > 0);
  const coord = c.schemes.flatMap((s, i) => c.depths.filter((d) => complete(s.id, d)).map((d) => coordFigure(r, cells, i, d)));
  return [lossWidthFigure(r, cells), ...coord];
}
