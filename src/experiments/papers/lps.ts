/**
 * `initlab experiment lps` (Chen, Hao & He; initlab's LPS-R is a reconstruction): deep narrow ReLU nets on a 1-D grid,
 * He vs LPS-R and LPS-R+ — the rate of collapsed networks at init (constant output on the grid) over many networks per
 * seed, the condition number of the hidden weights next to it, and the rate of successful training on |x|.
 */
import { createStream, initializeNetwork, type InitOptions } from '../../init/index.js';
import { runMeta } from '../compare/meta.js';
import { keyedSeed } from '../seeds.js';
import { pairedDifference, tInterval } from '../stats.js';
import { ci, claimCase, claimOf, curveOf, fmt } from './summary.js';
import { conditionNumber, forward, toF64, trainAdam } from './tiny-mlp.js';
import type { FigureData, PresetOptions, PresetResult, TableData } from './types.js';
import { combineVerdicts, verdictForDirection } from './verdict.js';

/** Sizes of an lps run. */
export interface LpsSize {
  readonly widths: readonly number[];
  readonly depths: readonly number[];
  /** Networks per scheme, configuration and seed at init. */
  readonly nets: number;
  /** Grid points in [−√3, √3] (the batch LPS-R anchors on, and the training set). */
  readonly grid: number;
  /** Training: the (width, depth) pairs, networks per seed, Adam steps and rate. */
  readonly train: { readonly configs: readonly (readonly [number, number])[]; readonly nets: number; readonly steps: number; readonly lr: number };
}

export const LPS_FULL: LpsSize = { widths: [2, 4, 8], depths: [10, 30, 50], nets: 100, grid: 100, train: { configs: [[2, 10], [4, 10], [8, 10]], nets: 10, steps: 1500, lr: 0.01 } };
export const LPS_QUICK: LpsSize = { widths: [2, 4], depths: [10, 20], nets: 24, grid: 64, train: { configs: [[2, 10], [4, 10]], nets: 4, steps: 200, lr: 0.01 } };

interface Scheme { readonly key: string; readonly label: string; readonly init: string; readonly options: InitOptions }
const SCHEMES: readonly Scheme[] = [
  { key: 'he', label: 'He (kaiming_normal, zero bias)', init: 'kaiming_normal', options: { nonlinearity: 'relu' } },
  { key: 'lps_r', label: 'LPS-R (reconstruction)', init: 'lps_r', options: {} },
  { key: 'lps_r_plus', label: 'LPS-R+ (reconstruction)', init: 'lps_r_plus', options: {} },
];
/** A training run succeeds when its final MSE is below this fraction of Var(y) (better than the best constant). */
const SUCCESS = 0.9;


/** Run the lps preset at `size` over `o.seeds`. */
export function runLps(o: PresetOptions, size: LpsSize = o.quick ? LPS_QUICK : LPS_FULL): PresetResult {
  const t0 = performance.now();
  const started = new Date();
  const B = size.grid;
  const x = Float64Array.from({ length: B }, (_, i) => -Math.sqrt(3) + (2 * Math.sqrt(3) * i) / (B - 1));
  const y = x.map(Math.abs);
  const yMean = y.reduce((a, b) => a + b, 0) / B;
  const varY = y.reduce((a, b) => a + (b - yMean) ** 2, 0) / B;
  const data = { x, shape: [B, 1] };
  const netOf = (sc: Scheme, n: number, L: number, seed: number, k: number, tag: string) => {
    const shapes = [[n, 1], ...Array.from({ length: L - 1 }, () => [n, n]), [1, n]];
    return toF64(initializeNetwork(sc.init, shapes, createStream(keyedSeed(`lps/${tag}/${sc.key}/${n}x${L}`, seed), k), { ...sc.options, dtype: 'float64' }, { data }));
  };
  const configs = size.widths.flatMap((n) => size.depths.map((L) => [n, L] as const));
  const total = (configs.length * size.nets + size.train.configs.length * size.train.nets) * SCHEMES.length * o.seeds.length;
  let done = 0;
  // Per config, scheme and seed: the collapsed fraction and the median log10 condition number of the hidden weights.
  const collapse = new Map<string, { seed: number; value: number }[]>();
  const cond = new Map<string, number[]>();
  for (const [n, L] of configs) for (const sc of SCHEMES) {
    const key = `${n}x${L}/${sc.key}`;
    collapse.set(key, []);
    cond.set(key, []);
    for (const seed of o.seeds) {
      let dead = 0;
      const logConds: number[] = [];
      for (let k = 0; k < size.nets; k++) {
        const net = netOf(sc, n, L, seed, k, 'init');
        const out = forward(net, x, B)[net.length]!;
        let lo = Infinity, hi = -Infinity;
        for (const v of out) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        if (hi - lo <= 1e-12 * Math.max(1, Math.abs(hi))) dead++;
        for (let l = 1; l < L; l++) logConds.push(Math.log10(conditionNumber(net[l]!.W, n)));
        done++;
      }
      logConds.sort((a, b) => a - b);
      collapse.get(key)!.push({ seed, value: dead / size.nets });
      cond.get(key)!.push(logConds[Math.floor(logConds.length / 2)]!);
      o.onProgress?.(done, total, `${key} seed ${seed}`);
    }
  }
  const success = new Map<string, { seed: number; value: number }[]>();
  const finalMse = new Map<string, number[]>();
  for (const [n, L] of size.train.configs) for (const sc of SCHEMES) {
    const key = `${n}x${L}/${sc.key}`;
    success.set(key, []);
    finalMse.set(key, []);
    for (const seed of o.seeds) {
      let ok = 0;
      const errs: number[] = [];
      for (let k = 0; k < size.train.nets; k++) {
        const e = trainAdam(netOf(sc, n, L, seed, k, 'train'), x, y, size.train.steps, size.train.lr);
        if (e < SUCCESS * varY) ok++;
        errs.push(e / varY);
        done++;
      }
      success.get(key)!.push({ seed, value: ok / size.train.nets });
      finalMse.get(key)!.push(errs.reduce((a, b) => a + b, 0) / errs.length);
      o.onProgress?.(done, total, `train ${key} seed ${seed}`);
    }
  }
  const c = o.confidence;
  const lps = SCHEMES.filter((s) => s.key !== 'he');
  const collapseCases = configs.flatMap(([n, L]) => lps.map((sc) => {
    const iv = pairedDifference(collapse.get(`${n}x${L}/he`)!, collapse.get(`${n}x${L}/${sc.key}`)!, c);
    return claimCase(`width ${n}, depth ${L}: He − ${sc.label}`, iv, '> 0', verdictForDirection(iv, 'greater'));
  }));
  const trainCases = size.train.configs.flatMap(([n, L]) => lps.map((sc) => {
    const iv = pairedDifference(success.get(`${n}x${L}/${sc.key}`)!, success.get(`${n}x${L}/he`)!, c);
    return claimCase(`width ${n}, depth ${L}: ${sc.label} − He`, iv, '> 0', verdictForDirection(iv, 'greater'));
  }));
  const claims = [
    claimOf('collapse', 'The LPS initialization makes dying ReLU less likely than variance-based schemes such as He: fewer deep narrow networks are born collapsed (a constant output on the data).',
      '[V:abs] (the abstract claims a lower probability of dying ReLU); initlab\'s LPS-R and LPS-R+ are reconstructions [R] of an algorithm whose text was not available; collapse at init as the measure is derived [D]',
      `per width and depth, the paired difference over seeds of the collapsed fraction (He minus LPS-R, ${size.nets} networks per seed): held when its interval lies above 0, did not hold when at or below 0`, collapseCases),
    claimOf('training', `Deep narrow nets started from LPS-R train successfully (final MSE on |x| below ${SUCCESS}·Var(y)) more often than from He.`,
      '[V:abs] (the abstract claims robustness of training); the task, the budget and the success threshold are initlab\'s [D]; LPS-R is a reconstruction [R]',
      `per width and depth, the paired difference over seeds of the success rate (LPS-R minus He, ${size.train.nets} networks per seed, ${size.train.steps} full-batch Adam steps at lr ${size.train.lr})`, trainCases),
  ];
  const tables: TableData[] = [
    {
      title: `At init: collapsed fraction and median log10 condition number of the hidden N×N weights (mean [interval] over ${o.seeds.length} seeds)`,
      head: ['width × depth', 'scheme', 'collapsed', 'log10 cond'],
      rows: configs.flatMap(([n, L]) => SCHEMES.map((sc) => {
        const key = `${n}x${L}/${sc.key}`;
        return [`${n} × ${L}`, sc.label, ci(tInterval(collapse.get(key)!.map((p) => p.value), c)), ci(tInterval(cond.get(key)!, c))];
      })),
    },
    {
      title: 'Training on |x|: success rate and mean final MSE / Var(y)',
      head: ['width × depth', 'scheme', 'success rate', 'MSE / Var(y)'],
      rows: size.train.configs.flatMap(([n, L]) => SCHEMES.map((sc) => {
        const key = `${n}x${L}/${sc.key}`;
        return [`${n} × ${L}`, sc.label, ci(tInterval(success.get(key)!.map((p) => p.value), c)), ci(tInterval(finalMse.get(key)!, c))];
      })),
    },
  ];
  const figures: FigureData[] = [{
    id: 'lps-collapse', title: 'Collapsed networks at init vs depth', caption: `Fraction of networks whose output is constant on the ${B}-point grid (mean over seeds, interval band, thin lines: seeds), one panel per width.`,
    xTitle: 'depth', yTitle: 'collapsed fraction', logY: false, floor: 0, ceil: 1,
    panels: size.widths.map((n) => ({
      title: `width ${n}`,
      curves: SCHEMES.map((sc) => curveOf(sc.label, size.depths, o.seeds.map((seed, i) => ({ seed, y: size.depths.map((L) => collapse.get(`${n}x${L}/${sc.key}`)![i]!.value) })), c)),
    })),
  }];
  return {
    name: 'lps', title: 'LPS-R (reconstruction) vs He on deep narrow ReLU nets',
    paper: 'Q. Chen, W. Hao & J. He, "A weight initialization based on the linear product structure for neural networks", Applied Mathematics and Computation 415 (2022), arXiv:2109.00125 — initlab implements a reconstruction, LPS-R',
    quick: o.quick, seeds: o.seeds,
    setup: [
      ['network', `1 → width N × depth L (ReLU, hidden N×N) → 1; N ∈ {${size.widths.join(', ')}}, L ∈ {${size.depths.join(', ')}}`],
      ['data', `a ${B}-point grid on [−√3, √3] (LPS-R anchors on it); training target |x|`],
      ['schemes', SCHEMES.map((s) => s.label).join('; ')],
      ['at init', `${size.nets} networks per scheme, configuration and seed; collapsed = output range ≤ 1e-12`],
      ['training', `${size.train.nets} networks per seed at (N, L) ∈ {${size.train.configs.map(([n, L]) => `(${n}, ${L})`).join(', ')}}, ${size.train.steps} full-batch Adam steps, lr ${size.train.lr}`],
      ['seeds', o.seeds.join(', ')],
      ['confidence', String(c)],
    ],
    claims, tables, figures, verdict: combineVerdicts(claims.map((x) => x.verdict)),
    meta: runMeta(started, performance.now() - t0, o.command),
  };
}
