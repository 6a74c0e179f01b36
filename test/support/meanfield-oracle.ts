/**
 * Test oracle: the mean-field 1/N^γ network (Yu & Spiliopoulos, arXiv 2209.01018) run in plain float64 loops —
 * forward pass (src/init's reference forward `traceRows`, with the N^−γ factors as layer scales), hand-written
 * back-propagation, plain SGD with per-layer rates, and folding the factors into the weights. The product trains these
 * nets on autograd tensors in src/nn (`meanFieldNet`); the tests check that version against this one to 1e-12 in
 * float64. Hidden activations: sigmoid (the authors' code), tanh and ReLU.
 */
import { DomainError, ShapeError, assertFinite, describe } from '../../src/core/errors.js';
import type { FloatArray } from '../../src/core/index.js';
import type { LayerTensors } from '../../src/init/entry.js';
import { scaleOf, traceRows } from '../../src/init/support/mlp-loops.js';
import { checkedOptions, enumParam, optionKeys } from '../../src/init/support/options.js';
import { checkMeanFieldParams, checkRows, requiredGammas, type Gammas, type MeanFieldParams } from '../../src/init/meanfield/network.js';
import { foldLayers, scaleLayers } from '../../src/init/meanfield/factors.js';

/** Hidden activations of the oracle. */
export type OracleActivation = 'sigmoid' | 'tanh' | 'relu';
const ORACLE_ACTIVATIONS: readonly OracleActivation[] = ['sigmoid', 'tanh', 'relu'];

/** Options of `meanFieldForward`. */
export interface MeanFieldForwardOptions {
  /** γ_1 … γ_L (or one number for all), each in [1/2, 1]. Required. */
  readonly gammas: Gammas;
  /** Hidden activation; default `'sigmoid'` (the authors' code). */
  readonly activation?: OracleActivation;
}
const FORWARD_KEYS = optionKeys<MeanFieldForwardOptions>({ gammas: true, activation: true });

/** Result of `meanFieldForward`: row-major arrays over the B samples. */
export interface MeanFieldForwardResult {
  /** g(x): B × K. */
  readonly output: Float64Array;
  /** Pre-activations Z^1 … Z^L (`pre[l]` is B × N_{l+1}), factor and bias included. */
  readonly pre: readonly Float64Array[];
  /** Hidden activations H^1 … H^L (`hidden[l]` is B × N_{l+1}). */
  readonly hidden: readonly Float64Array[];
}

/** Everything the forward-based functions need, parsed once at the public boundary. */
interface ParsedRun {
  readonly widths: readonly number[];
  readonly L: number;
  /** The raw layers of `params`. */
  readonly raw: readonly LayerTensors[];
  /** The same layers with their factors as `scale`. */
  readonly layers: readonly LayerTensors[];
  readonly act: OracleActivation;
  readonly rows: number;
}

function parseRun(fn: string, params: unknown, x: unknown, gammasIn: unknown, activation: unknown): ParsedRun {
  const { widths, L, layers } = checkMeanFieldParams(params);
  const gammas = requiredGammas(fn, gammasIn, L);
  const act = enumParam('options.activation', activation, ORACLE_ACTIVATIONS, 'sigmoid');
  const rows = checkRows(x, widths[0]!, 'x');
  return { widths, L, raw: layers, layers: scaleLayers(widths, layers, gammas), act, rows };
}

function forwardCore(run: ParsedRun, x: ArrayLike<number>): MeanFieldForwardResult {
  const { pre, hidden } = traceRows(run.layers, x, run.rows, run.act);
  return { output: pre[pre.length - 1]!, pre: pre.slice(0, -1), hidden };
}

/**
 * Forward pass of the normalized net on a row-major batch `x` of B samples of d features (a single sample is B = 1),
 * in float64 with plain loops:
 *
 *     H^1 = σ(W^1 x + b^1),   H^{ℓ+1} = σ(N_ℓ^{−γ_ℓ} · W^{ℓ+1} H^ℓ + b^{ℓ+1}),   g(x) = N_L^{−γ_L} · C H^L + b^C.
 *
 * Returns g (B × K) and every layer's Z and H.
 */
export function meanFieldForward(params: MeanFieldParams, x: ArrayLike<number>, options: MeanFieldForwardOptions): MeanFieldForwardResult {
  const o = checkedOptions('meanFieldForward', options, FORWARD_KEYS);
  return forwardCore(parseRun('meanFieldForward', params, x, o['gammas'], o['activation']), x);
}

/** Gradients of one layer: `W` (out × in) and `b` when the layer has a bias. */
export interface MeanFieldLayerGradient {
  readonly W: Float64Array;
  readonly b?: Float64Array;
}

/**
 * Gradient of the loss ½·(1/B)·Σ_b ‖y_b − g(x_b)‖² with respect to every parameter, taken through the scaled forward
 * pass (back-propagation in plain float64 loops). For B = 1 and K = 1 this is the README's loss ½(y − g)² [V-readme];
 * −α_group times it is exactly the README's explicit SGD update (the 1/N^γ prefactors of those updates come from the
 * chain rule [V-readme + I], which the tests check by finite differences). `y` is B × K, row-major.
 */
export function meanFieldGradients(
  params: MeanFieldParams,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: MeanFieldForwardOptions,
): MeanFieldLayerGradient[] {
  const o = checkedOptions('meanFieldGradients', options, FORWARD_KEYS);
  return gradientsCore(parseRun('meanFieldGradients', params, x, o['gammas'], o['activation']), x, y);
}

/** σ'(z) from σ(z) (each activation's derivative is expressible through its value; ReLU's is 0 at z = 0, as in src/tensor). */
function activationDerivative(act: OracleActivation, h: number): number {
  if (act === 'relu') return h > 0 ? 1 : 0;
  return act === 'sigmoid' ? h * (1 - h) : 1 - h * h;
}

/** Back-propagation on parsed input (shared by `meanFieldGradients` and `meanFieldSgdStep`). */
function gradientsCore(run: ParsedRun, x: ArrayLike<number>, y: ArrayLike<number>): MeanFieldLayerGradient[] {
  const { widths, layers, act, rows } = run;
  const L = widths.length - 2;
  const K = widths[L + 1]!;
  const yRows = checkRows(y, K, 'y');
  if (yRows !== rows) throw new ShapeError(`y must have ${rows} rows of ${K} (one per sample of x), got ${yRows}`);
  const fwd = forwardCore(run, x);
  // δ = ∂loss/∂(pre-activation) of the current layer, starting at the output.
  let delta = new Float64Array(rows * K);
  for (let k = 0; k < delta.length; k++) delta[k] = (fwd.output[k]! - y[k]!) / rows;
  const grads: MeanFieldLayerGradient[] = new Array(L + 1);
  for (let l = L; l >= 0; l--) {
    const layer = layers[l]!;
    const { W, b } = layer;
    const out = widths[l + 1]!;
    const nin = widths[l]!;
    const c = scaleOf(layer);
    const input: ArrayLike<number> = l === 0 ? x : fwd.hidden[l - 1]!;
    const gW = new Float64Array(out * nin);
    const gb = b ? new Float64Array(out) : undefined;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < out; j++) {
        const d = delta[r * out + j]!;
        if (gb) gb[j]! += d;
        const cd = c * d;
        for (let i = 0; i < nin; i++) gW[j * nin + i]! += cd * input[r * nin + i]!;
      }
    }
    grads[l] = gb ? { W: gW, b: gb } : { W: gW };
    if (l === 0) break;
    const h = fwd.hidden[l - 1]!;
    const next = new Float64Array(rows * nin);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < nin; i++) {
        let s = 0;
        for (let j = 0; j < out; j++) s += W[j * nin + i]! * delta[r * out + j]!;
        const hv = h[r * nin + i]!;
        next[r * nin + i] = c * s * activationDerivative(act, hv);
      }
    }
    delta = next;
  }
  return grads;
}

/** Options of `meanFieldSgdStep`. */
export interface MeanFieldSgdOptions extends MeanFieldForwardOptions {
  /** One learning rate per layer, forward order (α_{W^1} … α_{W^L}, α_C), e.g. from `meanFieldLearningRates`. */
  readonly rates: readonly number[];
}
const SGD_KEYS = optionKeys<MeanFieldSgdOptions>({ gammas: true, activation: true, rates: true });

/** Validate per-layer learning rates: L+1 finite numbers ≥ 0. */
function checkRates(rates: unknown, L: number): number[] {
  if (!Array.isArray(rates) || rates.length !== L + 1) throw new ShapeError(`options.rates must have ${L + 1} entries (one per layer, C last), got ${describe(rates)}`);
  return rates.map((a: unknown, i) => {
    if (typeof a !== 'number') throw new DomainError(`options.rates[${i}] must be a number, got ${describe(a)}`);
    assertFinite(`options.rates[${i}]`, a);
    if (a < 0) throw new DomainError(`options.rates[${i}] must be >= 0, got ${a}`);
    return a;
  });
}

/**
 * One plain SGD step θ ← θ − α_group·∇θ[½·mean_b ‖y_b − g(x_b)‖²]; each layer's bias shares its layer's rate, as in
 * the authors' code [V-code]. Pure: returns new params (raw weights, no scale) with the storage type of the old ones.
 */
export function meanFieldSgdStep(params: MeanFieldParams, x: ArrayLike<number>, y: ArrayLike<number>, options: MeanFieldSgdOptions): MeanFieldParams {
  const o = checkedOptions('meanFieldSgdStep', options, SGD_KEYS);
  const run = parseRun('meanFieldSgdStep', params, x, o['gammas'], o['activation']);
  const rates = checkRates(o['rates'], run.L);
  const grads = gradientsCore(run, x, y);
  const next = run.raw.map((layer, l): LayerTensors => {
    const a = rates[l]!;
    const g = grads[l]!;
    const W = step(layer.W, g.W, a);
    return layer.b && g.b ? { W, b: step(layer.b, g.b, a), shape: layer.shape } : { W, shape: layer.shape };
  });
  return { widths: run.widths, layers: next };
}

function step(p: FloatArray, g: Float64Array, a: number): FloatArray {
  const out = p instanceof Float32Array ? new Float32Array(p.length) : new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! - a * g[i]!;
  return out;
}

/** Options of `foldMeanFieldFactors`. */
export interface FoldOptions {
  readonly gammas: Gammas;
}
const FOLD_KEYS = optionKeys<FoldOptions>({ gammas: true });

/** Folded (same function at init, different training dynamics): the entry's `fold: true` on given params. */
export function foldMeanFieldFactors(params: MeanFieldParams, options: FoldOptions): LayerTensors[] {
  const o = checkedOptions('foldMeanFieldFactors', options, FOLD_KEYS);
  const { widths, L, layers } = checkMeanFieldParams(params);
  return foldLayers(widths, layers, requiredGammas('foldMeanFieldFactors', o['gammas'], L));
}
