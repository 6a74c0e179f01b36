/**
 * `initlab experiment fractional` (Gürbüzbalaban & Hu, AISTATS 2021): deep square networks at init under the
 * fractional moment-preserving σ_s for several s and activations, against He (s = 2). Measured per seed over many
 * independent networks: E‖x_L‖^s/‖x_0‖^s along the depth, the fraction of near-zero outputs, and the mean and variance
 * of ln(‖x_L‖/‖x_0‖) against the derived log-normal formulas (`logNormDrift`). Then the authors' MNIST training
 * setup, fractional s = 0.8 vs He (fractional-train.ts).
 */
import { InitlabError } from '../../core/errors.js';
import {
  createStream, deriveSeed, fillNormal, initializeNetwork, logNormDrift, normalCdf, sigmaS, type InitOptions, type LayerTensors, type RandomSource,
} from '../../init/index.js';
import { runMeta } from '../compare/meta.js';
import { keyedSeed } from '../seeds.js';
import { pairedDifference, tInterval } from '../stats.js';
import { runFractionalTraining, TRAIN_SCHEMES, type FractionalTrainSize } from './fractional-train.js';
import { ci, claimCase, claimOf, curveOf, fmt } from './summary.js';
import type { ClaimResult, FigureData, PresetOptions, PresetResult, TableData } from './types.js';
import { bandText, combineVerdicts, verdictForDirection, verdictForValue, type Band } from './verdict.js';

/** Sizes of a fractional run. */
export interface FractionalSize {
  readonly width: number;
  readonly depth: number;
  /** Independent networks per scheme and seed. */
  readonly nets: number;
  /** Inputs pushed through each network (Gaussian, shared by every scheme of a seed). */
  readonly inputs: number;
  readonly sValues: readonly number[];
  /** ‖x_L‖ ≤ eps·‖x_0‖ counts as a near-zero output. */
  readonly eps: number;
  /** The MNIST training comparison (fractional s = 0.8 vs He, the authors' net). */
  readonly train: FractionalTrainSize;
}

export const FRACTIONAL_FULL: FractionalSize = {
  width: 32, depth: 100, nets: 120, inputs: 4, sValues: [0.5, 1, 1.5], eps: 0.1, train: { steps: 1500, logEvery: 50, trainSize: 60000, testSize: 10000 },
};
export const FRACTIONAL_QUICK: FractionalSize = {
  width: 16, depth: 30, nets: 24, inputs: 4, sValues: [0.5, 1, 1.5], eps: 0.1, train: { steps: 30, logEvery: 5, trainSize: 1000, testSize: 500 },
};

type Act = 'relu' | 'leaky_relu' | 'rrelu' | 'linear';
const ACTS: readonly Act[] = ['relu', 'leaky_relu', 'rrelu', 'linear'];
/** PyTorch's defaults, as the authors' code uses them: leaky slope 0.01, RReLU slopes U[1/8, 1/3]. */
const LEAKY_A = 0.01;
const RRELU = [1 / 8, 1 / 3] as const;

/** The bands, fixed before any run: moments within ×/÷1.25 of 1; log-norm variance within ×/÷1.2 of L·τ². */
const MOMENT_BAND: Band = { kind: 'ratio', factor: 1.25 };
const VAR_BAND: Band = { kind: 'ratio', factor: 1.2 };
/** The mean of ln‖x_L‖ within a tenth of the predicted standard deviation τ√L. */
const MEAN_TOL = 0.1;

interface SchemeCase {
  readonly key: string;
  readonly label: string;
  readonly init: string;
  readonly options: InitOptions;
  /** The moment order the scheme preserves (2 for He). */
  readonly s: number;
  readonly baseline: boolean;
  /** σ of the weights (for the drift formula). */
  readonly sigma?: number;
}

function baselineOf(act: Act, n: number): SchemeCase {
  const common = { baseline: true, s: 2 } as const;
  switch (act) {
    case 'relu': return { ...common, key: 'he', label: 'He (kaiming_normal, relu)', init: 'kaiming_normal', options: { nonlinearity: 'relu' }, sigma: Math.sqrt(2 / n) };
    case 'leaky_relu': return { ...common, key: 'he', label: `He (kaiming_normal, leaky a=${LEAKY_A})`, init: 'kaiming_normal', options: { nonlinearity: 'leaky_relu', a: LEAKY_A }, sigma: Math.sqrt(2 / ((1 + LEAKY_A ** 2) * n)) };
    case 'linear': return { ...common, key: 'he', label: 'LeCun (kaiming_normal, linear)', init: 'kaiming_normal', options: { nonlinearity: 'linear' }, sigma: Math.sqrt(1 / n) };
    case 'rrelu': return { ...common, key: 'he', label: 'σ_2 for RReLU (fractional s=2, derived)', init: 'fractional', options: { act: 'rrelu', s: 2 } };
  }
}

const actSpec = (act: Act): InitOptions['act'] => act;

/**
 * The weights of network `k` of a scheme, as `initializeNetwork(init, shapes, rng, options)` draws them (stream l of
 * deriveSeed(rng) per layer, row-major normal fill) but with σ computed once: σ_s of RReLU costs milliseconds per
 * layer. The first network of every scheme and seed is checked bit for bit against the registry's own draw.
 */
function drawNetwork(sc: SchemeCase, sigma: number, n: number, depth: number, rng: () => RandomSource, check: boolean): LayerTensors[] {
  const master = deriveSeed(rng());
  const layers = Array.from({ length: depth }, (_, l): LayerTensors => ({ W: fillNormal(new Float64Array(n * n), createStream(master, l), 0, sigma), shape: [n, n] }));
  if (check) {
    const ref = initializeNetwork(sc.init, layers.map(() => [n, n]), rng(), { ...sc.options, dtype: 'float64' });
    ref.forEach((r, l) => {
      if (!r.W.every((v, i) => v === layers[l]!.W[i])) throw new InitlabError(`fractional preset: the fast draw of ${sc.label} differs from the registry's at layer ${l + 1}`);
    });
  }
  return layers;
}

/** The forward pass of one square network on `x0` (rows of width n), recording ln(‖x_l‖/‖x_0‖) per layer and row. */
function logRatios(layers: readonly LayerTensors[], x0: Float64Array, rows: number, n: number, act: Act, slopes: RandomSource): Float64Array[] {
  const out = layers.map(() => new Float64Array(rows));
  for (let r = 0; r < rows; r++) {
    let x = x0.slice(r * n, (r + 1) * n);
    let n0 = 0;
    for (const v of x) n0 += v * v;
    const ln0 = 0.5 * Math.log(n0);
    layers.forEach((layer, l) => {
      const W = layer.W;
      const y = new Float64Array(n);
      let sq = 0;
      for (let i = 0; i < n; i++) {
        let acc = 0;
        const off = i * n;
        for (let j = 0; j < n; j++) acc += W[off + j]! * x[j]!;
        if (acc < 0) {
          if (act === 'relu') acc = 0;
          else if (act === 'leaky_relu') acc *= LEAKY_A;
          else if (act === 'rrelu') acc *= RRELU[0] + (RRELU[1] - RRELU[0]) * slopes.nextFloat64(); // PyTorch training mode: a slope per element and pass
        }
        y[i] = acc;
        sq += acc * acc;
      }
      out[l]![r] = sq > 0 ? 0.5 * Math.log(sq) - ln0 : -Infinity;
      x = y;
    });
  }
  return out;
}

/** Per-seed statistics of one scheme: moment and near-zero fraction per layer, mean and variance of the last log-ratio. */
interface SeedStats {
  readonly seed: number;
  readonly moment: number[];
  readonly nearZero: number[];
  readonly logMean: number;
  readonly logVar: number;
  readonly dead: number;
}

function seedStats(seed: number, ratios: readonly Float64Array[][], s: number, eps: number): SeedStats {
  const depth = ratios[0]!.length;
  const moment: number[] = [];
  const nearZero: number[] = [];
  const lnEps = Math.log(eps);
  for (let l = 0; l < depth; l++) {
    let m = 0, z = 0, count = 0;
    for (const net of ratios) for (const r of net[l]!) { m += Math.exp(s * r); z += r <= lnEps ? 1 : 0; count++; }
    moment.push(m / count);
    nearZero.push(z / count);
  }
  const last = ratios.flatMap((net) => [...net[depth - 1]!]);
  const alive = last.filter((r) => Number.isFinite(r));
  const mu = alive.reduce((a, b) => a + b, 0) / alive.length;
  const v = alive.reduce((a, b) => a + (b - mu) ** 2, 0) / (alive.length - 1);
  return { seed, moment, nearZero, logMean: mu, logVar: v, dead: last.length - alive.length };
}


/** Run the fractional preset at `size` (FRACTIONAL_FULL or FRACTIONAL_QUICK) over `o.seeds`. */
export function runFractional(o: PresetOptions, size: FractionalSize = o.quick ? FRACTIONAL_QUICK : FRACTIONAL_FULL): PresetResult {
  const t0 = performance.now();
  const started = new Date();
  const { width: n, depth: L, nets, inputs } = size;
  const schemesOf = (act: Act): SchemeCase[] => [
    ...size.sValues.map((s): SchemeCase => ({ key: `s=${s}`, label: `fractional s=${s}`, init: 'fractional', options: { act: actSpec(act), s }, s, baseline: false })),
    baselineOf(act, n),
  ];
  const total = (ACTS.length * (size.sValues.length + 1) + TRAIN_SCHEMES.length) * o.seeds.length;
  let done = 0;
  const stats = new Map<string, SeedStats[]>();
  for (const act of ACTS) {
    for (const sc of schemesOf(act)) {
      const per: SeedStats[] = [];
      const sigma = sc.sigma ?? sigmaS(act, n, sc.s);
      for (const seed of o.seeds) {
        // Inputs depend on the seed only (common to every scheme); weights on (activation, scheme, seed, network).
        const inRng = createStream(keyedSeed('fractional/inputs', seed), 0);
        const x0 = new Float64Array(inputs * n).map(() => inRng.nextNormal());
        const key = `fractional/${act}/${sc.key}`;
        const ratios = Array.from({ length: nets }, (_, k) => {
          const layers = drawNetwork(sc, sigma, n, L, () => createStream(keyedSeed(key, seed), k), k === 0);
          return logRatios(layers, x0, inputs, n, act, createStream(keyedSeed(`${key}/slopes`, seed), k));
        });
        per.push(seedStats(seed, ratios, sc.s, size.eps));
        o.onProgress?.(++done, total, `${act} ${sc.label} seed ${seed}`);
      }
      stats.set(`${act}/${sc.key}`, per);
    }
  }
  const training = runFractionalTraining(o, size.train, (label) => o.onProgress?.(++done, total, label));
  const get = (act: Act, key: string): SeedStats[] => stats.get(`${act}/${key}`)!;
  const c = o.confidence;
  const lastOf = (xs: readonly number[]): number => xs[xs.length - 1]!;

  // Claim 1: the s-th moment of the norm is preserved (fractional schemes; He's 2nd moment in the table only).
  const momentCases = ACTS.flatMap((act) => size.sValues.map((s) => {
    const iv = tInterval(get(act, `s=${s}`).map((p) => lastOf(p.moment)), c);
    return claimCase(`${act}, s=${s}`, iv, `1 ${bandText(MOMENT_BAND)}`, verdictForValue(iv, 1, MOMENT_BAND));
  }));
  // Claim 2: fewer near-zero outputs than He (paired over seeds: He minus fractional > 0).
  const zeroCases = ACTS.flatMap((act) => size.sValues.map((s) => {
    const pair = (key: string): { seed: number; value: number }[] => get(act, key).map((p) => ({ seed: p.seed, value: lastOf(p.nearZero) }));
    const iv = pairedDifference(pair('he'), pair(`s=${s}`), c);
    return claimCase(`${act}, s=${s}: He − fractional`, iv, '> 0', verdictForDirection(iv, 'greater'));
  }));
  // Claim 3: ln‖x_L‖/‖x_0‖ has mean L·m and variance L·τ² (derived formulas).
  const logCases = ACTS.flatMap((act) => schemesOf(act).flatMap((sc) => {
    const d = logNormDrift(act, n, sc.s, sc.sigma === undefined ? {} : { sigma: sc.sigma });
    const per = get(act, sc.key);
    const mIv = tInterval(per.map((p) => p.logMean), c);
    const vIv = tInterval(per.map((p) => p.logVar), c);
    const sd = Math.sqrt(L * d.tau2);
    const mBand: Band = { kind: 'absolute', tol: MEAN_TOL * sd };
    return [
      claimCase(`${act}, ${sc.label}: mean`, mIv, `${fmt(L * d.m)} ${bandText(mBand)}`, verdictForValue(mIv, L * d.m, mBand)),
      claimCase(`${act}, ${sc.label}: variance`, vIv, `${fmt(L * d.tau2)} ${bandText(VAR_BAND)}`, verdictForValue(vIv, L * d.tau2, VAR_BAND)),
    ];
  }));
  const claims: ClaimResult[] = [
    claimOf('moment', `The fractional σ_s keeps the s-th moment of the activation norm, E‖x_L‖^s / ‖x_0‖^s, equal to 1 at any depth (here ${L} layers) for linear, ReLU, leaky ReLU and RReLU.`,
      '[V:abs] (the abstract states the s-th moment is preserved); the exact σ_s for leaky ReLU and RReLU is derived [D], the RReLU model an inference [I]',
      `per case, the Student-t interval over seeds of the per-seed moment (mean over ${nets}×${inputs} samples) must lie inside 1 ${bandText(MOMENT_BAND)}; outside it: did not hold; across an edge: within noise`, momentCases),
    claimOf('near-zero', `Smaller s gives fewer near-zero outputs (‖x_L‖ ≤ ${size.eps}·‖x_0‖) than He's s = 2.`,
      '[V:abs] (the abstract makes the claim); its quantification Φ((ln ε − L·m)/(τ√L)) is derived [D]',
      'per case, the paired difference over seeds (He minus fractional) of the near-zero fraction: held when its interval lies above 0, did not hold when at or below 0', zeroCases),
    claimOf('log-normal', `ln(‖x_L‖/‖x_0‖) has mean L·m and variance L·τ² (the log-normal depth limit), with m and τ² from initlab's formulas (logNormDrift).`,
      '[V:abs] (the abstract states a Gaussian limit with explicit mean and variance; the paper\'s formulas were not available); the formulas checked here are derived [D]',
      `mean: the interval must lie within ±${MEAN_TOL}·τ√L of L·m; variance: within ${bandText(VAR_BAND)} of L·τ² (ReLU: conditional on survival, dead networks excluded)`, logCases),
    training.claim,
  ];

  const table: TableData = {
    title: `Per activation and scheme (last layer L = ${L}; mean [interval] over ${o.seeds.length} seeds)`,
    head: ['activation', 'scheme', 's', 'E‖x_L‖^s/‖x_0‖^s', 'near-zero fraction', 'predicted', 'mean ln ratio', 'L·m', 'var ln ratio', 'L·τ²', 'dead'],
    rows: ACTS.flatMap((act) => schemesOf(act).map((sc) => {
      const per = get(act, sc.key);
      const d = logNormDrift(act, n, sc.s, sc.sigma === undefined ? {} : { sigma: sc.sigma });
      const predZero = normalCdf((Math.log(size.eps) - L * d.m) / Math.sqrt(L * d.tau2));
      return [act, sc.label, String(sc.s), ci(tInterval(per.map((p) => lastOf(p.moment)), c)), ci(tInterval(per.map((p) => lastOf(p.nearZero)), c)),
        fmt(predZero), ci(tInterval(per.map((p) => p.logMean), c)), fmt(L * d.m), ci(tInterval(per.map((p) => p.logVar), c)), fmt(L * d.tau2),
        String(per.reduce((a, p) => a + p.dead, 0))];
    })),
  };
  const layersX = Array.from({ length: L }, (_, l) => l + 1);
  const panels = (f: (p: SeedStats) => number[]): FigureData['panels'] => ACTS.map((act) => ({
    title: act,
    curves: schemesOf(act).map((sc) => curveOf(sc.label, layersX, get(act, sc.key).map((p) => ({ seed: p.seed, y: f(p) })), c)),
  }));
  const figures: FigureData[] = [
    { id: 'fractional-moment', title: 'E‖x_l‖^s / ‖x_0‖^s vs depth (each scheme at its own s)', caption: `Mean over seeds (band: ${c * 100}% interval; thin lines: seeds) of the s-moment ratio of the activation norm; the claim is the dashed line 1. He is shown at s = 2.`,
      xTitle: 'layer', yTitle: 'moment ratio', logY: true, reference: { value: 1, label: 'preserved (1)' }, panels: panels((p) => p.moment) },
    { id: 'fractional-nearzero', title: `Fraction of near-zero outputs (‖x_l‖ ≤ ${size.eps}‖x_0‖) vs depth`, caption: 'Mean over seeds with the interval band; smaller s should stay below He.',
      xTitle: 'layer', yTitle: 'fraction', logY: false, floor: 0, ceil: 1, panels: panels((p) => p.nearZero) },
  ];
  return {
    name: 'fractional', title: 'Fractional moment-preserving initialization', paper: 'M. Gürbüzbalaban & Y. Hu, "Fractional moment-preserving initialization schemes for training deep neural networks", AISTATS 2021 (arXiv:2005.11878)',
    quick: o.quick, seeds: o.seeds,
    setup: [
      ['network (at init)', `${L} square layers of width ${n}, no bias, Gaussian inputs`],
      ['activations', `ReLU, leaky ReLU (a = ${LEAKY_A}), RReLU (slopes U[1/8, 1/3] per element and pass), linear`],
      ['schemes (at init)', `fractional σ_s (exact) for s = ${size.sValues.join(', ')}, and He / LeCun (s = 2)`],
      ['samples (at init)', `${nets} independent networks × ${inputs} inputs per scheme and seed`],
      ...training.setup,
      ['seeds', o.seeds.join(', ')],
      ['confidence', String(c)],
    ],
    claims, tables: [table, training.table], figures: [...figures, training.figure], verdict: combineVerdicts(claims.map((x) => x.verdict)),
    meta: runMeta(started, performance.now() - t0, o.command),
  };
}
