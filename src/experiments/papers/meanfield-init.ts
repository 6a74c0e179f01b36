/**
 * The meanfield preset at initialization: the output variance of the 784-N-N-10 net with hidden sums scaled by
 * N^{−γ_ℓ}, over weight draws, against the width N = N1 = N2, for several (γ1, γ2) and two activations. Every network
 * is drawn once (the registry's raw N(0, 1) / U(−1, 1) weights do not depend on γ) and evaluated under every
 * configuration, so the configurations are compared on common draws.
 */
import { createStream, initializeNetwork, type LayerTensors } from '../../init/index.js';
import { keyedSeed } from '../seeds.js';

/** A hidden activation of the preset: sigmoid (the authors' code) or ReLU (initlab's variant). */
export type MfActivation = 'sigmoid' | 'relu';
/** (γ1, γ2): the exponents of the inner (first hidden layer's) and outer (second hidden layer's) sums. */
export type GammaPair = readonly [number, number];

/** Sizes of the sweep at init. */
export interface MfInitSize {
  readonly widths: readonly number[];
  /** Networks per width and seed. */
  readonly nets: number;
  /** MNIST test images pushed through each network. */
  readonly inputs: number;
}

/** Per activation and configuration: per seed, E[g²] at each width (over networks, inputs and the 10 outputs). */
export type VarianceSweep = Map<MfActivation, Map<string, { seed: number; y: number[] }[]>>;

/** The key of a configuration in the maps of the preset: `'0.5/1'`. */
export const pairKey = (p: GammaPair): string => `${p[0]}/${p[1]}`;

const act = (a: MfActivation, z: number): number => (a === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z > 0 ? z : 0);

/**
 * Outputs g(x) ∈ R^10 of the bias-free net `[W1 (N×d), W2 (N×N), C (10×N)]` at one input for each configuration:
 *
 *     g = N^{−γ2} · C σ(N^{−γ1} · W2 σ(W1 x))
 *
 * (Yu & Spiliopoulos §1.1, two hidden layers; the factors multiply the sums over the N units). W1 x and W2 σ(W1 x) do
 * not depend on γ, so they are computed once per activation. Returns one Float64Array(10) per pair, in order.
 */
export function meanFieldOutputs(layers: readonly LayerTensors[], x: ArrayLike<number>, activation: MfActivation, pairs: readonly GammaPair[]): Float64Array[] {
  const [l1, l2, l3] = layers as [LayerTensors, LayerTensors, LayerTensors];
  const [N, d] = l1.shape as [number, number];
  const K = l3.shape[0]!;
  const W1 = l1.W, W2 = l2.W, C = l3.W;
  const h1 = new Float64Array(N), u = new Float64Array(N), h2 = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += W1[i * d + j]! * x[j]!;
    h1[i] = act(activation, s);
  }
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += W2[i * N + j]! * h1[j]!;
    u[i] = s;
  }
  return pairs.map(([g1, g2]) => {
    const s1 = Math.pow(N, -g1), s2 = Math.pow(N, -g2);
    for (let i = 0; i < N; i++) h2[i] = act(activation, s1 * u[i]!);
    const out = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += C[k * N + i]! * h2[i]!;
      out[k] = s2 * s;
    }
    return out;
  });
}

/**
 * E[g²] over `size.nets` networks per width and seed, `size.inputs` inputs (rows of `x`, 784 values each) and the 10
 * outputs, for every activation and pair. The output weights are U(−1, 1) (`outputInit: 'centered'`, mean zero), so
 * E[g²] is the variance over the draw; no biases (the theory's form). Network k of width N at seed s is stream k of
 * keyedSeed('meanfield/init/N', s): the same draw for every activation and pair.
 */
export function varianceSweep(
  size: MfInitSize, x: ArrayLike<number>, activations: readonly MfActivation[], pairs: readonly GammaPair[], seeds: readonly number[],
  progress: (label: string) => void,
): VarianceSweep {
  const d = 784;
  const xs = Float64Array.from(x);
  const out: VarianceSweep = new Map(activations.map((a) => [a, new Map(pairs.map((p) => [pairKey(p), [] as { seed: number; y: number[] }[]]))]));
  for (const seed of seeds) {
    // sums[a][p][w]: Σ g² over networks, inputs and outputs.
    const sums = activations.map(() => pairs.map(() => new Array<number>(size.widths.length).fill(0)));
    size.widths.forEach((N, w) => {
      for (let k = 0; k < size.nets; k++) {
        const net = initializeNetwork('meanfield', [[N, d], [N, N], [10, N]], createStream(keyedSeed(`meanfield/init/${N}`, seed), k), { outputInit: 'centered', dtype: 'float64' });
        for (let r = 0; r < size.inputs; r++) {
          const xr = xs.subarray(r * d, (r + 1) * d);
          activations.forEach((a, ai) => {
            meanFieldOutputs(net, xr, a, pairs).forEach((g, pi) => {
              for (const v of g) sums[ai]![pi]![w]! += v * v;
            });
          });
        }
      }
      progress(`variance N=${N} seed ${seed}`);
    });
    const count = size.nets * size.inputs * 10;
    activations.forEach((a, ai) => pairs.forEach((p, pi) => out.get(a)!.get(pairKey(p))!.push({ seed, y: sums[ai]![pi]!.map((s) => s / count) })));
  }
  return out;
}

/** Least-squares slope of y on x. */
export function slope(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length, my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0, sxx = 0;
  x.forEach((xi, i) => { sxy += (xi - mx) * (y[i]! - my); sxx += (xi - mx) ** 2; });
  return sxy / sxx;
}

/** Per seed, the log-log slope of E[g²] against N of one activation and pair. */
export function slopesOf(sweep: VarianceSweep, widths: readonly number[], a: MfActivation, p: GammaPair): { seed: number; value: number }[] {
  const lnN = widths.map(Math.log);
  return sweep.get(a)!.get(pairKey(p))!.map((s) => ({ seed: s.seed, value: slope(lnN, s.y.map(Math.log)) }));
}

/**
 * The predicted log-log slope of the output variance against N = N1 = N2 at init:
 * sigmoid (bounded): 1 − 2γ2 — the inner γ1 enters only through the bounded factor E[σ(Z2)²] [I + V-num];
 * ReLU (positively homogeneous, Gaussian W2, no bias): exactly Var g = N2^{1−2γ2}·E[C²]·N1^{1−2γ1}·|x|²/4, so
 * (1 − 2γ1) + (1 − 2γ2) [I, derived here].
 */
export const predictedSlope = (a: MfActivation, [g1, g2]: GammaPair): number => (a === 'sigmoid' ? 1 - 2 * g2 : 2 - 2 * g1 - 2 * g2);
