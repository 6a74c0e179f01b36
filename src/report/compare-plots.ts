/**
 * The figures of the `compare` report, from a CompareResult: per-layer second moment, s-moment (fractional
 * schemes), dead units and γ_l over depth, training loss over steps (every seed a thin line, the mean thick), and
 * test accuracy with its confidence interval. Each carries the theory's prediction as a reference line.
 */
import type { CompareResult, SchemeResult, SeedRun, SignalRun, TrainRun } from '../experiments/compare/types.js';
import { colorAt } from './html.js';
import { type Curve, type Figure, type SeriesInput, curveFigure, intervalFigure, layerAxis } from './plots.js';

type OkRun = Extract<SeedRun, { signal: SignalRun }>;
const okRuns = (s: SchemeResult): OkRun[] => s.runs.filter((r): r is OkRun => 'signal' in r);

/** Layer numbers 1..n. */
const layers = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** Per-position mean over curves (arithmetic, or geometric over the positive values); NaN where no value counts. */
function meanCurve(curves: readonly (readonly number[])[], geometric: boolean): number[] {
  const n = Math.max(0, ...curves.map((c) => c.length));
  return Array.from({ length: n }, (_, i) => {
    const vals = curves.map((c) => c[i]).filter((v): v is number => v !== undefined && Number.isFinite(v) && (!geometric || v > 0));
    if (vals.length === 0) return NaN;
    return geometric ? Math.exp(vals.reduce((a, v) => a + Math.log(v), 0) / vals.length) : vals.reduce((a, v) => a + v, 0) / vals.length;
  });
}

/** A scheme's series of a per-layer quantity: each seed's curve and their mean. */
function layerSeries(s: SchemeResult, color: string, pick: (sig: SignalRun) => readonly number[], geometric: boolean): SeriesInput {
  const runs = okRuns(s);
  const seeds = runs.map((r) => {
    const y = pick(r.signal);
    return { seed: r.seed, x: layers(y.length), y };
  });
  const y = meanCurve(seeds.map((c) => c.y), geometric);
  return { name: s.scheme.label, color, center: { x: layers(y.length), y }, seeds };
}

/** E[h_l²] / E[h_1²]: the second moment relative to the first hidden layer, 1 throughout when it is preserved. */
const momentRatio = (sig: SignalRun): number[] => sig.secondMoment.map((v) => v / (sig.secondMoment[0] as number));
/**
 * E‖x_l‖^s / E‖x_1‖^s: the s-moment relative to the first hidden layer, as the yardstick measures it. The input x_0
 * has another dimension (784 pixels against the hidden width), so the ratio to it is not what the scheme keeps.
 */
const sMomentFromFirst = (sig: SignalRun): number[] => sig.sMomentRatio.map((v) => v / (sig.sMomentRatio[0] as number));

/** γ_l / (geometric mean of γ over layers): 1 at every layer when the layers are balanced. */
function gammaRatio(sig: SignalRun): number[] {
  const pos = sig.gamma.filter((g) => g > 0 && Number.isFinite(g));
  const gm = pos.length === 0 ? NaN : Math.exp(pos.reduce((a, g) => a + Math.log(g), 0) / pos.length);
  return sig.gamma.map((g) => g / gm);
}

/** Training loss: each seed's recorded curve and the mean over the seeds that reached each step. */
function lossSeries(s: SchemeResult, color: string): SeriesInput {
  const runs = okRuns(s);
  const seeds = runs.map((r) => ({ seed: r.seed, x: [...r.train.steps], y: [...r.train.loss] }));
  const steps = [...new Set(seeds.flatMap((c) => c.x))].sort((a, b) => a - b);
  const at = (t: TrainRun, step: number): number => {
    const i = t.steps.indexOf(step);
    return i < 0 ? NaN : (t.loss[i] as number);
  };
  const center: Curve = { x: steps, y: meanCurve(runs.map((r) => steps.map((st) => at(r.train, st))), false) };
  return { name: s.scheme.label, color, center, seeds };
}

/** What `confidence` means in a caption: '95% t-interval over 3 seeds'. */
const ci = (r: CompareResult): string => `${Math.round(r.config.confidence * 1000) / 10}% t-interval over ${r.config.seeds.length} seeds`;

/** Every figure of the compare report, in reading order. */
export function compareFigures(r: CompareResult): Figure[] {
  const colored = r.schemes.map((s, i) => ({ s, color: colorAt(i) }));
  const depth = r.config.widths.length - 2;
  const classes = r.config.widths[r.config.widths.length - 1] as number;
  const seedsNote = 'Thin lines: each seed; thick line: the mean over seeds';
  const figs: Figure[] = [];
  figs.push(
    curveFigure([{ series: colored.map(({ s, color }) => layerSeries(s, color, momentRatio, true)) }], {
      id: 'second-moment',
      title: 'Pre-activation second moment through depth, E[h_l²] / E[h_1²]',
      caption: `${seedsNote} (geometric). Variance-preserving schemes promise 1 at every layer (dashed line); log scale.`,
      xTitle: 'hidden layer l',
      ...layerAxis(depth),
      yTitle: 'E[h_l²] / E[h_1²]',
      logY: true,
      reference: { value: 1, label: 'preserved: ratio = 1' },
    }),
  );
  const fractional = colored.filter(({ s }) => s.scheme.preserves === 's-moment');
  if (fractional.length > 0) {
    figs.push(
      curveFigure([{ series: fractional.map(({ s, color }) => layerSeries(s, color, sMomentFromFirst, true)) }], {
        id: 's-moment',
        title: 'Fractional schemes: s-th moment of the activation norm, E‖x_l‖^s / E‖x_1‖^s',
        caption: `${seedsNote} (geometric). Fractional-moment initialization promises the same E‖x_l‖^s at every layer of a constant width for its own s (dashed line at 1), so the ratio is taken to the first hidden layer (the input has another width); log scale.`,
        xTitle: 'hidden layer l',
      ...layerAxis(depth),
        yTitle: 'E‖x_l‖^s / E‖x_1‖^s',
        logY: true,
        reference: { value: 1, label: 'preserved: ratio = 1' },
      }),
    );
  }
  figs.push(
    curveFigure([{ series: colored.map(({ s, color }) => layerSeries(s, color, (sig) => sig.deadFraction, false)) }], {
      id: 'dead-units',
      title: 'Dead units per hidden layer (zero on every sample of the batch)',
      caption: `${seedsNote}. A symmetric zero-mean initialization kills a unit only when the batch's inputs align; the dashed line at ½ is the limit where they are fully aligned (each unit on for all samples or for none).`,
      xTitle: 'hidden layer l',
      ...layerAxis(depth),
      yTitle: 'fraction of units dead',
      logY: false,
      floor: 0,
      ceil: 1,
      fence: Infinity,
      reference: { value: 0.5, label: 'fully aligned inputs: ½' },
    }),
  );
  figs.push(
    curveFigure([{ series: colored.map(({ s, color }) => layerSeries(s, color, gammaRatio, true)) }], {
      id: 'gamma',
      title: 'Scaling-calculus γ_l per weight layer, relative to its geometric mean over layers',
      caption: `${seedsNote} (geometric). Defazio & Bottou's balance condition is γ_l equal for all layers: 1 everywhere (dashed line); log scale. Layer ${depth + 1} is the output layer.`,
      xTitle: 'weight layer l',
      ...layerAxis(depth + 1),
      yTitle: 'γ_l / geometric mean of γ',
      logY: true,
      reference: { value: 1, label: 'balanced: γ_l equal' },
    }),
  );
  figs.push(
    curveFigure([{ series: colored.map(({ s, color }) => lossSeries(s, color)) }], {
      id: 'loss',
      title: `Training loss (${r.config.optimizer}, base learning rate ${r.config.lr}, batch ${r.config.batchSize})`,
      caption: `${seedsNote}, over the seeds that reached each step; each point is the mean batch loss over ${r.config.logEvery} steps. Dashed line: ln ${classes}, the loss of a uniform guess over ${classes} classes; log scale.`,
      xTitle: 'step',
      yTitle: 'training loss (cross-entropy)',
      logY: true,
      reference: { value: Math.log(classes), label: `uniform guess: ln ${classes}` },
    }),
  );
  const ranked = r.ranking.map((id) => colored.find(({ s }) => s.scheme.id === id)).filter((c): c is { s: SchemeResult; color: string } => c !== undefined);
  const rest = colored.filter((c) => !ranked.includes(c));
  figs.push(
    intervalFigure(
      [...ranked, ...rest].map(({ s, color }) => ({
        name: s.scheme.label,
        color,
        mean: s.testAccuracy.mean,
        lo: s.testAccuracy.lo,
        hi: s.testAccuracy.hi,
        seeds: okRuns(s).map((run) => run.train.testAccuracy),
      })),
      {
        id: 'accuracy',
        title: `Test accuracy after ${r.config.steps} steps (ranked)`,
        caption: `Dot: mean over seeds; bar: ${ci(r)}; ticks: each seed (${r.config.testSize} test samples).`,
        xTitle: 'test accuracy',
        floor: 0,
        ceil: 1,
        reference: { value: 1 / classes, label: 'chance' },
      },
    ),
  );
  return figs;
}
