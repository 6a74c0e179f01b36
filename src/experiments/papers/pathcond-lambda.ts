/**
 * The λ part of `initlab experiment pathcond`: PathCond's per-neuron log-scales z (λ = e^{z/2}) on He draws of
 * several architectures, against initlab's reduced-model prediction (docs/schemes/pathlift.md, spec §7 [D]), and their
 * dependence on the init scale with and without biases. No data: the rescaling at init reads only the weights.
 */
import { createRng, enormRescale, heNormalMlp, pathCondRescale, type LayerTensors } from '../../init/index.js';
import { keyedSeed } from '../seeds.js';
import { pairedDifference, tInterval } from '../stats.js';
import { ci, claimCase, claimOf, curveOf, fmt } from './summary.js';
import type { ClaimResult, FigureData, TableData } from './types.js';
import { bandText, verdictForDirection, verdictForValue, type Band } from './verdict.js';

/** One architecture of the λ analysis. */
export interface LambdaNet {
  readonly label: string;
  readonly widths: readonly number[];
  /** Key of its He draws: the trained nets' key for the training architecture, so its z are those of the nets trained. */
  readonly key: string;
  /** Run the init-scale sweep (with and without biases) on it. */
  readonly sweep: boolean;
  /** Also record the z actually applied in training (authors' default PathCond, 1 ENorm cycle, zero biases). */
  readonly trained: boolean;
}

/** The minimiser z* of PathCond (solver run to Σ_h|Δz_h| < 1e-6), rather than the authors' default 10 sweeps. */
export const CONVERGED = { maxSweeps: 5000, tol: 1e-6 } as const;

// Bands and margins, fixed before any run (docs/experiments/pathcond.md says why these values).
/** Per-layer mean z within ±0.2 of the reduced model (the spec's width-200 check was off by ≤ 0.08). */
const REDUCED_BAND: Band = { kind: 'absolute', tol: 0.2 };
/** Without biases z* does not depend on the init scale at all (g scales uniformly): ±0.01 leaves room for the solver's tol. */
const SCALE_BAND: Band = { kind: 'absolute', tol: 0.01 };
/** Constant widths: every layer's mean z within ±0.1 of 0 (per-neuron fluctuations only). */
const CONSTANT_BAND: Band = { kind: 'absolute', tol: 0.1 };
/** Non-constant widths: the largest |mean z_l| must exceed 0.5 (λ off 1 by more than e^{0.25} ≈ 1.28). */
const NONCONSTANT_MARGIN = 0.5;

type Bias = 'none' | 'zeros';
const BIAS_LABEL: Record<Bias, string> = { none: 'no biases', zeros: 'zero biases' };
const mean = (a: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]!; return s / a.length; };
const layerMeans = (z: readonly Float64Array[]): number[] => z.map(mean);
const meanAbs = (z: readonly Float64Array[]): number => mean(z.flatMap((l) => [...l]).map(Math.abs));
const isConstant = (w: readonly number[]): boolean => w.every((n) => n === w[0]);
const hiddenLayers = (w: readonly number[]): number[] => Array.from({ length: w.length - 2 }, (_, l) => l + 1);

/**
 * Reduced-model (mean-field) log-scales of PathCond for i.i.d. zero-mean weights with Var W_l = variances[l−1] and no
 * biases (spec §7, [D]): γ_l = Π_{k<l} n_{k−1}σ_k² · Π_{k>l} n_kσ_k² is the expected g of layer l's weights, and
 * z_l = Σ_{k≤l} (log γ_k − mean_m log γ_m) for the hidden layers l = 1..L−1.
 */
export function reducedModelZ(widths: readonly number[], variances: readonly number[]): number[] {
  const L = widths.length - 1;
  const fwd = (k: number): number => Math.log(widths[k - 1]! * variances[k - 1]!);
  const bwd = (k: number): number => Math.log(widths[k]! * variances[k - 1]!);
  const logGamma = Array.from({ length: L }, (_, i) => {
    const l = i + 1;
    let s = 0;
    for (let k = 1; k < l; k++) s += fwd(k);
    for (let k = l + 1; k <= L; k++) s += bwd(k);
    return s;
  });
  const m = mean(logGamma);
  const z: number[] = [];
  let acc = 0;
  for (let l = 1; l < L; l++) z.push((acc += logGamma[l - 1]! - m));
  return z;
}

/** He variances 2/n_{l−1}, one per weight layer. */
export const heVariances = (widths: readonly number[]): number[] => widths.slice(0, -1).map((n) => 2 / n);

const scaled = (mlp: LayerTensors[], c: number): LayerTensors[] => mlp.map((t) => ({ ...t, W: t.W.map((w) => w * c) }));

/** Per seed: z per (bias, scale); for a trained net also the applied z of PathCond (10 sweeps) and ENorm (1 cycle). */
interface SeedZ {
  readonly seed: number;
  readonly z: Map<string, Float64Array[]>;
  readonly applied?: { readonly pathcond: Float64Array[]; readonly enorm: Float64Array[] };
}
const zKey = (bias: Bias, c: number): string => `${bias}/${c}`;

/** Converged PathCond z of every (bias, scale) the net needs, for one seed (He draw keyed by the net's key). */
function solveNet(net: LambdaNet, seed: number, scales: readonly number[]): SeedZ {
  const shapes = net.widths.slice(1).map((n, l) => [n, net.widths[l]!]);
  const draw = (bias: Bias): LayerTensors[] => heNormalMlp(shapes, createRng(keyedSeed(net.key, seed)), bias);
  const z = new Map<string, Float64Array[]>();
  const cases: [Bias, number][] = net.sweep ? (['none', 'zeros'] as const).flatMap((b) => scales.map((c): [Bias, number] => [b, c])) : [['none', 1]];
  for (const [bias, c] of cases) z.set(zKey(bias, c), pathCondRescale(scaled(draw(bias), c), CONVERGED).z);
  if (!net.trained) return { seed, z };
  const he = draw('zeros');
  return { seed, z, applied: { pathcond: pathCondRescale(he).z, enorm: enormRescale(he).lambda.map((l) => l.map((v) => 2 * Math.log(v))) } };
}

/** The λ claims, tables and figure of the preset (`tick` after each net and seed, for progress). */
export function lambdaAnalysis(
  nets: readonly LambdaNet[], scales: readonly number[], seeds: readonly number[], c: number, tick: (label: string) => void,
): { claims: ClaimResult[]; tables: TableData[]; figures: FigureData[] } {
  const runs = new Map<string, SeedZ[]>(nets.map((net) => [net.label, seeds.map((seed) => {
    const r = solveNet(net, seed, scales);
    tick(`λ ${net.label} seed ${seed}`);
    return r;
  })]));
  const per = (net: LambdaNet, f: (r: SeedZ) => number): { seed: number; value: number }[] => runs.get(net.label)!.map((r) => ({ seed: r.seed, value: f(r) }));
  const zOf = (r: SeedZ, bias: Bias, s: number): Float64Array[] => r.z.get(zKey(bias, s))!;
  const small = scales[0]!;
  const sweepNets = nets.filter((n) => n.sweep);
  const shift = (r: SeedZ, s: number): number => {
    const a = zOf(r, 'zeros', s), b = zOf(r, 'none', s);
    return mean(a.flatMap((l, i) => [...l].map((v, j) => Math.abs(v - b[i]![j]!))));
  };

  const reduced = nets.filter((n) => !isConstant(n.widths)).flatMap((net) => {
    const pred = reducedModelZ(net.widths, heVariances(net.widths));
    return hiddenLayers(net.widths).map((l) => {
      const iv = tInterval(per(net, (r) => layerMeans(zOf(r, 'none', 1))[l - 1]!).map((p) => p.value), c);
      return claimCase(`${net.label}, hidden layer ${l}`, iv, `${fmt(pred[l - 1]!)} ${bandText(REDUCED_BAND)}`, verdictForValue(iv, pred[l - 1]!, REDUCED_BAND));
    });
  });
  const maxLayerShift = (r: SeedZ, s: number): number => Math.max(...layerMeans(zOf(r, 'none', s)).map((m, i) => Math.abs(m - layerMeans(zOf(r, 'none', 1))[i]!)));
  const scaleFree = sweepNets.flatMap((net) => scales.filter((s) => s !== 1).map((s) => {
    const iv = tInterval(per(net, (r) => maxLayerShift(r, s)).map((p) => p.value), c);
    return claimCase(`${net.label}, weights ×${s}`, iv, `0 ${bandText(SCALE_BAND)}`, verdictForValue(iv, 0, SCALE_BAND));
  }));
  const biasScale = sweepNets.map((net) => {
    const iv = pairedDifference(per(net, (r) => shift(r, small)), per(net, (r) => shift(r, 1)), c);
    return claimCase(`${net.label}: d(×${small}) − d(×1)`, iv, '> 0', verdictForDirection(iv, 'greater'));
  });
  const maxAbs = (r: SeedZ): number => Math.max(...layerMeans(zOf(r, 'none', 1)).map(Math.abs));
  const constant = nets.map((net) => {
    const vals = per(net, maxAbs).map((p) => p.value);
    const iv = tInterval(vals, c);
    return isConstant(net.widths)
      ? claimCase(`${net.label} (constant widths)`, iv, `0 ${bandText(CONSTANT_BAND)}`, verdictForValue(iv, 0, CONSTANT_BAND))
      : claimCase(`${net.label} (non-constant widths)`, iv, `> ${NONCONSTANT_MARGIN}`, verdictForDirection(iv, 'greater', NONCONSTANT_MARGIN));
  });
  const claims = [
    claimOf('reduced-model', 'Without biases, on a He draw of a network whose widths vary, the mean log-scale z of PathCond in each hidden layer is what the reduced (mean-field) model predicts from the widths alone: z_l = Σ_{k≤l}(log γ_k − mean log γ), γ_l the expected path magnitude of layer l.',
      "[D] (initlab's derivation, docs/schemes/pathlift.md and spec §7, not the paper's statement: the paper has such an analysis per its abstract, but it was not available); PathCond objective and solver [V-code: Artim436/pathcond]",
      `per network and hidden layer, the interval over seeds of the layer's mean z (PathCond to convergence, no biases) must lie within ${bandText(REDUCED_BAND)} of the prediction`, reduced),
    claimOf('scale-free-without-bias', 'Without biases the global init scale does not matter: multiplying every weight by c leaves PathCond\'s z unchanged (only the widths shape it).',
      '[D] (g scales by c^(2(L−1)) uniformly, and F is invariant to g → k·g)',
      `per network and scale c ≠ 1, the interval over seeds of max_l |mean z_l(c) − mean z_l(1)| must lie within ${bandText(SCALE_BAND)} of 0`, scaleFree),
    claimOf('small-scale-with-bias', 'With biases (here He\'s zero biases, which still carry path magnitude g(b) = u), a small n·σ² makes bias paths dominate and the rescaling large: the biases move z far more at a small init scale than at He\'s.',
      '[D] (spec §7: bias paths are shorter, so their weight in g grows as n·σ² falls); corroborated by a third-party summary of the paper [I]',
      `per network, d(c) = mean over hidden neurons of |z_zero-biases(c) − z_no-biases(c)|; the paired difference over seeds d(×${small}) − d(×1) must lie above 0`, biasScale),
    claimOf('constant-width', 'With constant widths (n_0 = … = n_L) PathCond does almost nothing to a He draw (mean z ≈ 0 in every layer), while with non-constant widths it rescales whole layers.',
      '[D] (reduced model: γ_l is uniform when the widths are); the third-party summary says the effect is small for constant widths [I]',
      `per network, m = max_l |mean z_l| (no biases, He scale): constant widths — its interval within ${bandText(CONSTANT_BAND)} of 0; non-constant — its interval above ${NONCONSTANT_MARGIN}`, constant),
  ];

  const K = Math.max(...nets.map((n) => n.widths.length - 2));
  const layerCells = (v: (l: number) => string, net: LambdaNet): string[] => Array.from({ length: K }, (_, i) => (i < net.widths.length - 2 ? v(i) : '—'));
  const ivOfLayer = (net: LambdaNet, f: (r: SeedZ) => Float64Array[], i: number): string => ci(tInterval(runs.get(net.label)!.map((r) => mean(f(r)[i]!)), c));
  const zTable: TableData = {
    title: `Mean PathCond log-scale z per hidden layer on He draws (λ = e^(z/2); mean [interval] over ${seeds.length} seeds)`,
    head: ['network', 'z', ...Array.from({ length: K }, (_, l) => `layer ${l + 1}`)],
    rows: nets.flatMap((net) => {
      const pred = reducedModelZ(net.widths, heVariances(net.widths));
      const rows: string[][] = [
        [net.widths.join('-'), 'PathCond converged, no biases', ...layerCells((i) => ivOfLayer(net, (r) => zOf(r, 'none', 1), i), net)],
        [net.widths.join('-'), 'reduced model (prediction)', ...layerCells((i) => fmt(pred[i]!), net)],
      ];
      if (net.trained) {
        rows.push([net.widths.join('-'), 'PathCond as applied in training (10 sweeps, zero biases)', ...layerCells((i) => ivOfLayer(net, (r) => r.applied!.pathcond, i), net)]);
        rows.push([net.widths.join('-'), 'ENorm as applied in training (1 cycle), 2·log λ', ...layerCells((i) => ivOfLayer(net, (r) => r.applied!.enorm, i), net)]);
      }
      return rows;
    }),
  };
  const scaleTable: TableData = {
    title: 'PathCond (converged) vs the init scale: He weights × c, without and with (zero) biases',
    head: ['network', 'biases', 'c', ...Array.from({ length: K }, (_, l) => `mean z, layer ${l + 1}`), 'mean |z|', 'd(c) (bias shift)'],
    rows: sweepNets.flatMap((net) => (['none', 'zeros'] as const).flatMap((bias) => scales.map((s) => [
      net.widths.join('-'), BIAS_LABEL[bias], `×${s}`, ...layerCells((i) => ivOfLayer(net, (r) => zOf(r, bias, s), i), net),
      ci(tInterval(runs.get(net.label)!.map((r) => meanAbs(zOf(r, bias, s))), c)),
      bias === 'zeros' ? ci(tInterval(runs.get(net.label)!.map((r) => shift(r, s)), c)) : '—',
    ]))),
  };
  const lam = (zs: Float64Array[]): number[] => layerMeans(zs).map((m) => Math.exp(m / 2));
  const curve = (net: LambdaNet, name: string, f: (r: SeedZ) => number[]) =>
    curveOf(name, hiddenLayers(net.widths), runs.get(net.label)!.map((r) => ({ seed: r.seed, y: f(r) })), c);
  const figures: FigureData[] = [
    {
      id: 'pathcond-lambda-arch', legendTitle: 'rescaling', title: 'PathCond rescaling factor per hidden layer vs the architecture (He draws)',
      caption: 'Geometric-mean λ = e^(mean z/2) per hidden layer; mean over seeds with interval band. λ = 1: no rescaling. The reduced model depends on the widths only.',
      xTitle: 'hidden layer', yTitle: 'λ (geometric mean over the layer)', logY: true, reference: { value: 1, label: 'λ = 1' },
      panels: nets.map((net) => ({
        title: net.widths.join('-'),
        curves: [
          curve(net, 'PathCond converged, no biases', (r) => lam(zOf(r, 'none', 1))),
          curve(net, 'reduced model', () => reducedModelZ(net.widths, heVariances(net.widths)).map((z) => Math.exp(z / 2))),
          ...(net.trained ? [
            curve(net, 'PathCond applied (10 sweeps, zero biases)', (r) => lam(r.applied!.pathcond)),
            curve(net, 'ENorm applied (1 cycle)', (r) => lam(r.applied!.enorm)),
          ] : []),
        ],
      })),
    },
    {
      id: 'pathcond-lambda-scale', legendTitle: 'network', title: 'PathCond vs the init scale, without and with (zero) biases',
      caption: 'Mean |z| over hidden neurons (PathCond converged) with He weights × c; mean over seeds with interval band. Without biases the curve is flat.',
      xTitle: 'weight scale c (× He)', yTitle: 'mean |z|', logY: false, logX: true, floor: 0,
      panels: sweepNets.map((net) => ({
        title: net.widths.join('-'),
        curves: (['none', 'zeros'] as const).map((bias) => curveOf(BIAS_LABEL[bias], scales, runs.get(net.label)!.map((r) => ({ seed: r.seed, y: scales.map((s) => meanAbs(zOf(r, bias, s))) })), c)),
      })),
    },
  ];
  return { claims, tables: [zTable, scaleTable], figures };
}
