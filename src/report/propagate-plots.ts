/**
 * The figures of the `propagate` report, from a PropagateResult: at the last hidden layer, each scheme's yardstick
 * (measured / predicted, 1 when the promise holds) and the dead-unit fraction, against depth (one panel per width)
 * and against width (one panel per depth), the mean over seeds with its confidence interval as a band.
 */
import type { Interval, PropagateCell, PropagateResult } from '../experiments/compare/types.js';
import { colorAt } from './html.js';
import { type Figure, type PanelInput, curveFigure } from './plots.js';

/** The x ticks of a sweep: its values; a log-2 axis when they span a factor 8 or more (depths 2…64, widths 64…1024). */
function sweepAxis(values: readonly number[]): { xTicks: number[]; logX: boolean; xDomain: [number, number] } {
  const v = [...new Set(values)].sort((a, b) => a - b);
  const lo = v[0] ?? 1;
  const hi = v[v.length - 1] ?? lo + 1;
  return { xTicks: v, logX: lo > 0 && hi / lo >= 8, xDomain: [lo, hi > lo ? hi : lo + 1] };
}

/** measured / predicted (1 = holds), or the measured value itself when the prediction is 0 or not finite. */
function relative(iv: Interval, predicted: number): { mean: number; lo: number; hi: number } {
  const p = Number.isFinite(predicted) && predicted !== 0 ? predicted : 1;
  const a = iv.lo / p;
  const b = iv.hi / p;
  return { mean: iv.mean / p, lo: Math.min(a, b), hi: Math.max(a, b) };
}

type Along = 'depth' | 'width';

/** Panels (one per value of the other sweep) of one quantity along `along`, one series per scheme. */
function panels(r: PropagateResult, along: Along, pick: (c: PropagateCell) => { mean: number; lo: number; hi: number }): PanelInput[] {
  const other: Along = along === 'depth' ? 'width' : 'depth';
  const fixed = other === 'depth' ? r.config.depths : r.config.widths;
  return fixed.map((f) => ({
    title: `${other} ${f}`,
    series: r.config.schemes.map((s, i) => {
      const cells = r.cells.filter((c) => c.scheme === s.id && c[other] === f).sort((a, b) => a[along] - b[along]);
      const x = cells.map((c) => c[along]);
      const v = cells.map(pick);
      return { name: s.label, color: colorAt(i), center: { x, y: v.map((p) => p.mean) }, band: { x, lo: v.map((p) => p.lo), hi: v.map((p) => p.hi) } };
    }),
  }));
}

/** Every figure of the propagate report: yardstick and dead fraction, along depth and along width. */
export function propagateFigures(r: PropagateResult): Figure[] {
  const conf = `${Math.round(r.config.confidence * 1000) / 10}% t-interval over ${r.config.seeds.length} seeds`;
  const yard = (c: PropagateCell): { mean: number; lo: number; hi: number } => relative(c.preserved.measured, c.preserved.predicted);
  const dead = (c: PropagateCell): { mean: number; lo: number; hi: number } => c.lastDead;
  const yardCaption = `Each scheme's own yardstick at the last hidden layer (second moment, s-th moment for fractional schemes, …) divided by the theory's prediction: 1 when the promise holds (dashed line). Line: mean over seeds; band: ${conf} (not drawn where the interval reaches 0 or below); log scale.`;
  const deadCaption = `Fraction of the last hidden layer's units that are zero on every sample of the batch (${r.config.batchSize} samples). Line: mean over seeds; band: ${conf}. Dashed line at ½: the limit where the inputs are fully aligned.`;
  const out: Figure[] = [];
  for (const along of ['depth', 'width'] as const) {
    const axis = sweepAxis(along === 'depth' ? r.config.depths : r.config.widths);
    const xTitle = along === 'depth' ? 'depth (hidden layers)' : 'width (units per hidden layer)';
    out.push(
      curveFigure(panels(r, along, yard), {
        id: `preserved-vs-${along}`,
        title: `Last hidden layer: measured / predicted yardstick against ${along}`,
        caption: yardCaption,
        xTitle,
        yTitle: 'measured / predicted',
        logY: true,
        reference: { value: 1, label: 'holds: 1' },
        ...axis,
      }),
    );
    out.push(
      curveFigure(panels(r, along, dead), {
        id: `dead-vs-${along}`,
        title: `Last hidden layer: dead-unit fraction against ${along}`,
        caption: deadCaption,
        xTitle,
        yTitle: 'fraction dead',
        logY: false,
        floor: 0,
        ceil: 1,
        fence: Infinity,
        reference: { value: 0.5, label: 'aligned inputs: ½' },
        ...axis,
      }),
    );
  }
  return out;
}
