/**
 * Mean-field 1/N^γ normalization of deep fully connected nets (Yu & Spiliopoulos, "Normalization effects on deep
 * neural networks", arXiv 2209.01018; Foundations of Data Science 5(3):389–465, 2023; shallow companion paper
 * arXiv 2011.10487, FoDS 3(2), 2021). Specification: spec/meanfield_normalization.md, whose provenance tags are
 * repeated on every item below:
 *
 * - [V-readme]/[V-code]/[V-shallow]: read in the authors' public code or README (NENN_Deep, NENN_Shallow);
 * - [V-num]: checked numerically for the spec, evidence only;
 * - [I]: inferred for the spec, not in any source; [NOT FOUND]: not available (theorems, expansion terms, accuracies).
 *
 * Network (widths `[d, N_1, …, N_L, K]`, γ_ℓ ∈ [1/2, 1], activation σ, sigmoid in the authors' code) [V-readme]:
 *
 *     H^1 = σ(W^1 x + b^1)                                   (no factor on the input sum)
 *     H^{ℓ+1} = σ(N_ℓ^{−γ_ℓ} · W^{ℓ+1} H^ℓ + b^{ℓ+1})          ℓ = 1 … L−1
 *     g(x) = N_L^{−γ_L} · C H^L + b^C
 *
 * The factor N_ℓ^{−γ_ℓ} multiplies the sum over the N_ℓ units of layer ℓ; biases, where present, are added unscaled
 * as in the authors' code [V-code] (the theory has no biases). γ = 1/2 everywhere is the "Xavier-type" scaling,
 * γ = 1 everywhere the mean-field scaling, which the abstract reports as the best choice [V-abs].
 *
 * Parameters are stored as dense layers in the PyTorch layout (`DenseLayer`, mlp.ts): `layers[l]` maps widths[l] to
 * widths[l+1]; the last layer is the output weight C (`[K, N_L]`). The 1/N^γ factors are NOT part of the weights:
 * they are applied by `meanFieldForward` (or folded into the weights by `foldMeanFieldFactors`, which gives the same
 * function but different SGD dynamics). All arithmetic is float64 in plain loops. Imports nothing outside src/init.
 */
import { DomainError, NonFiniteError, ShapeError, assertFinite, describe } from '../../core/errors.js';
import type { DenseLayer, MlpArray } from '../support/mlp.js';
import { checkedOptions, enumParam, optionKeys } from '../support/options.js';
import { createStream, deriveSeed, fillNormal, fillUniform, type RandomSource } from '../support/rng.js';
import { allocate, resolveDType, type DType } from '../../core/index.js';

// ---------------------------------------------------------------------------------------------------------------
// Types and validation
// ---------------------------------------------------------------------------------------------------------------

/** Hidden activation: `sigmoid` is the authors' code [V-code]; `tanh` is offered as another smooth bounded σ [I]. */
export type MeanFieldActivation = 'sigmoid' | 'tanh';

/**
 * Output-weight (C) distribution:
 * - `'authors-code'`: C ~ U(0, 1), mean 1/2 [V-code]; under log_softmax the mean only shifts every logit equally;
 * - `'centered'`: C ~ U(−1, 1), mean zero, E[C²] = 1/3, the mean-zero choice the theory needs for γ < 1 [I]
 *   (spec §2.2 recommends U(−1, 1) or N(0, 1) for property tests).
 */
export type MeanFieldOutputInit = 'authors-code' | 'centered';

/**
 * Biases: `'none'` (the theory's form, §1.1) [V-readme]; `'torch-default'`: U(−1/√fan_in, 1/√fan_in), what the
 * authors' code leaves in place because it never re-initializes biases [V-code]; `'zeros'`.
 */
export type MeanFieldBias = 'none' | 'torch-default' | 'zeros';

/** γ's: one per hidden layer (γ_1 … γ_L), or a single number used for every layer. */
export type Gammas = number | readonly number[];

/** A mean-field network: widths `[d, N_1, …, N_L, K]` and L+1 dense layers (W^1 … W^L, then C). */
export interface MeanFieldParams {
  readonly widths: readonly number[];
  readonly layers: readonly DenseLayer[];
}

/** E[C²] of the `'centered'` output init U(−1, 1). */
export const CENTERED_OUTPUT_SECOND_MOMENT = 1 / 3;

/**
 * Validate widths `[d, N_1, …, N_L, K]` (at least one hidden layer); ShapeError naming the entry otherwise.
 * Returns a copy.
 */
export function checkMeanFieldWidths(widths: unknown, name = 'widths'): number[] {
  if (!Array.isArray(widths) || widths.length < 3) {
    throw new ShapeError(`${name} must be an array [d, N_1, …, N_L, K] of at least 3 positive integers (one hidden layer or more), got ${describe(widths)}`);
  }
  widths.forEach((w: unknown, i) => {
    if (typeof w === 'number' && !Number.isFinite(w)) throw new NonFiniteError(`${name}[${i}] must be a finite positive integer, got ${describe(w)}`);
    if (typeof w !== 'number' || !Number.isInteger(w) || w <= 0) throw new ShapeError(`${name}[${i}] must be a positive integer, got ${describe(w)}`);
  });
  return [...(widths as number[])];
}

/**
 * Validate γ's against L hidden layers: each must be a finite number in [1/2, 1] (DomainError naming e.g.
 * `gammas[1]`, NonFiniteError for NaN/±Inf); an array must have exactly L entries (ShapeError). Returns L values.
 */
export function checkGammas(gammas: unknown, L: number, name = 'gammas'): number[] {
  const one = (g: unknown, where: string): number => {
    if (typeof g !== 'number') throw new DomainError(`${where} must be a number in [1/2, 1], got ${describe(g)}`);
    if (!Number.isFinite(g)) throw new NonFiniteError(`${where} must be a finite number in [1/2, 1], got ${describe(g)}`);
    if (g < 0.5 || g > 1) throw new DomainError(`${where} must be in [1/2, 1], got ${describe(g)}`);
    return g;
  };
  if (typeof gammas === 'number' || !Array.isArray(gammas)) {
    const g = one(gammas, name);
    return new Array<number>(L).fill(g);
  }
  if (gammas.length !== L) {
    throw new ShapeError(`${name} must have one entry per hidden layer (${L} = widths.length − 2), got ${gammas.length} (${describe(gammas)})`);
  }
  return gammas.map((g: unknown, i) => one(g, `${name}[${i}]`));
}

/** The forward factor of layer l's input sum: 1 for l = 0 (input), N_l^{−γ_l} otherwise. */
function layerFactor(widths: readonly number[], gammas: readonly number[], l: number): number {
  return l === 0 ? 1 : Math.pow(widths[l]!, -gammas[l - 1]!);
}

/** Validate params (architecture against widths, storage, finiteness); returns widths and L. */
function checkParams(params: unknown, name = 'params'): { widths: number[]; L: number; layers: readonly DenseLayer[] } {
  if (params === null || typeof params !== 'object') throw new ShapeError(`${name} must be {widths, layers}, got ${describe(params)}`);
  const p = params as { widths?: unknown; layers?: unknown };
  const widths = checkMeanFieldWidths(p.widths, `${name}.widths`);
  const L = widths.length - 2;
  if (!Array.isArray(p.layers) || p.layers.length !== L + 1) {
    throw new ShapeError(`${name}.layers must be an array of ${L + 1} layers (W^1 … W^${L}, C), got ${describe(p.layers)}`);
  }
  const layers = p.layers as DenseLayer[];
  layers.forEach((layer, l) => {
    const where = `${name}.layers[${l}]`;
    if (layer === null || typeof layer !== 'object') throw new ShapeError(`${where} must be a layer {out, in, W, b?}, got ${describe(layer)}`);
    if (layer.shape[0] !== widths[l + 1] || layer.shape[1] !== widths[l]) {
      throw new ShapeError(`${where} must be [out, in] = [${widths[l + 1]}, ${widths[l]}], got [${describe(layer.shape[0])}, ${describe(layer.shape[1])}]`);
    }
    if (!(layer.W instanceof Float64Array || layer.W instanceof Float32Array) || layer.W.length !== layer.shape[0] * layer.shape[1]) {
      throw new ShapeError(`${where}.W must be a Float32Array or Float64Array of length ${layer.shape[0] * layer.shape[1]}, got ${describe(layer.W)}`);
    }
    if (layer.b !== undefined && (!(layer.b instanceof Float64Array || layer.b instanceof Float32Array) || layer.b.length !== layer.shape[0])) {
      throw new ShapeError(`${where}.b must be a Float32Array or Float64Array of length ${layer.shape[0]}, got ${describe(layer.b)}`);
    }
    for (let i = 0; i < layer.W.length; i++) if (!Number.isFinite(layer.W[i]!)) throw new NonFiniteError(`${where}.W[${i}] must be finite, got ${describe(layer.W[i])}`);
    if (layer.b) for (let i = 0; i < layer.b.length; i++) if (!Number.isFinite(layer.b[i]!)) throw new NonFiniteError(`${where}.b[${i}] must be finite, got ${describe(layer.b[i])}`);
  });
  return { widths, L, layers };
}

/** A finite-valued row-major array whose length is a multiple of `cols`; returns the number of rows. */
function checkRows(x: unknown, cols: number, name: string): number {
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(`${name} must be an array of numbers (row-major, rows of ${cols}), got ${describe(x)}`);
  }
  const a = x as ArrayLike<unknown>;
  if (a.length === 0 || a.length % cols !== 0) throw new ShapeError(`${name}.length must be a positive multiple of ${cols}, got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number') throw new DomainError(`${name}[${i}] must be a number, got ${describe(v)}`);
    if (!Number.isFinite(v)) throw new NonFiniteError(`${name}[${i}] must be finite, got ${describe(v)}`);
  }
  return a.length / cols;
}

function activate(act: MeanFieldActivation, z: number): number {
  return act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : Math.tanh(z);
}

/** σ'(z) from σ(z) (both activations have derivatives expressible through their value). */
function activationDerivative(act: MeanFieldActivation, h: number): number {
  return act === 'sigmoid' ? h * (1 - h) : 1 - h * h;
}

const ACTIVATIONS: readonly MeanFieldActivation[] = ['sigmoid', 'tanh'];

// ---------------------------------------------------------------------------------------------------------------
// Initialization
// ---------------------------------------------------------------------------------------------------------------

/** Options of `meanFieldInit`. */
export interface MeanFieldInitOptions {
  /** C distribution; default `'authors-code'` (U(0, 1)). */
  readonly outputInit?: MeanFieldOutputInit;
  /** Biases; default `'none'` (the theory's form). */
  readonly bias?: MeanFieldBias;
  /** Storage type; default `'float32'` (arithmetic is float64 regardless). */
  readonly dtype?: DType;
}
const INIT_KEYS = optionKeys<MeanFieldInitOptions>({ outputInit: true, bias: true, dtype: true });

/**
 * Initialization of the authors' code [V-code]: hidden weights W^ℓ i.i.d. N(0, 1) whatever the fan-in; output
 * weights C i.i.d. U(0, 1) (`outputInit: 'authors-code'`) or U(−1, 1) (`'centered'`, [I]); biases per `bias`.
 * Draws: W^{l+1} (l = 0 … L−1) from stream l and C from stream L of `deriveSeed(rng)`, biases from streams L+1+l,
 * in row-major order, so changing the bias option never changes the weights. Same seed ⇒ bit-identical params.
 */
export function meanFieldInit(widths: readonly number[], rng: RandomSource, options: MeanFieldInitOptions = {}): MeanFieldParams {
  const o = checkedOptions('meanFieldInit', options, INIT_KEYS);
  const w = checkMeanFieldWidths(widths);
  const outputInit = enumParam<MeanFieldOutputInit>('options.outputInit', o['outputInit'], ['authors-code', 'centered'], 'authors-code');
  const bias = enumParam<MeanFieldBias>('options.bias', o['bias'], ['none', 'torch-default', 'zeros'], 'none');
  const dtype = resolveDType(o['dtype']);
  if (rng === null || typeof rng !== 'object' || typeof rng.nextUint32 !== 'function') throw new DomainError(`rng must be a RandomSource, got ${describe(rng)}`);
  const L = w.length - 2;
  const master = deriveSeed(rng);
  const layers: DenseLayer[] = [];
  for (let l = 0; l <= L; l++) {
    const out = w[l + 1]!;
    const nin = w[l]!;
    const W = allocate(out * nin, dtype);
    const s = createStream(master, l);
    if (l < L) fillNormal(W, s, 0, 1);
    else if (outputInit === 'authors-code') fillUniform(W, s, 0, 1);
    else fillUniform(W, s, -1, 1);
    if (bias === 'none') {
      layers.push({ W, shape: [out, nin] });
      continue;
    }
    const b = allocate(out, dtype);
    if (bias === 'torch-default') {
      const k = 1 / Math.sqrt(nin);
      fillUniform(b, createStream(master, L + 1 + l), -k, k);
    }
    layers.push({ W, b, shape: [out, nin] });
  }
  return { widths: w, layers };
}

// ---------------------------------------------------------------------------------------------------------------
// Forward pass, gradients, SGD
// ---------------------------------------------------------------------------------------------------------------

/** Options of `meanFieldForward`. */
export interface MeanFieldForwardOptions {
  /** γ_1 … γ_L (or one number for all), each in [1/2, 1]. Required. */
  readonly gammas: Gammas;
  /** Hidden activation; default `'sigmoid'` (the authors' code). */
  readonly activation?: MeanFieldActivation;
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

function parseForward(fn: string, options: unknown): { gammasIn: unknown; act: MeanFieldActivation } {
  const o = checkedOptions(fn, options, FORWARD_KEYS);
  if (o['gammas'] === undefined) throw new DomainError(`options.gammas is required by ${fn} (one γ per hidden layer in [1/2, 1])`);
  return { gammasIn: o['gammas'], act: enumParam('options.activation', o['activation'], ACTIVATIONS, 'sigmoid') };
}

function forwardCore(
  widths: readonly number[],
  layers: readonly DenseLayer[],
  gammas: readonly number[],
  act: MeanFieldActivation,
  x: ArrayLike<number>,
  rows: number,
): MeanFieldForwardResult {
  const L = widths.length - 2;
  const pre: Float64Array[] = [];
  const hidden: Float64Array[] = [];
  let h: ArrayLike<number> = x;
  let output = new Float64Array(0);
  for (let l = 0; l <= L; l++) {
    const { W, b, shape: [out, nin] } = layers[l]!;
    const c = layerFactor(widths, gammas, l);
    const z = new Float64Array(rows * out);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < out; j++) {
        let s = 0;
        const row = j * nin;
        const hoff = r * nin;
        for (let i = 0; i < nin; i++) s += W[row + i]! * h[hoff + i]!;
        z[r * out + j] = c * s + (b ? b[j]! : 0); // the factor scales the sum only, never the bias [V-code]
      }
    }
    if (l === L) {
      output = z;
      break;
    }
    const a = new Float64Array(z.length);
    for (let k = 0; k < z.length; k++) a[k] = activate(act, z[k]!);
    pre.push(z);
    hidden.push(a);
    h = a;
  }
  return { output, pre, hidden };
}

/**
 * Forward pass of the normalized net (formula in the module comment) on a row-major batch `x` of B samples of d
 * features (a single sample is B = 1), in float64 with plain loops. Returns g (B × K) and every layer's Z and H.
 */
export function meanFieldForward(params: MeanFieldParams, x: ArrayLike<number>, options: MeanFieldForwardOptions): MeanFieldForwardResult {
  const { gammasIn, act } = parseForward('meanFieldForward', options);
  const { widths, L, layers } = checkParams(params);
  const gammas = checkGammas(gammasIn, L, 'options.gammas');
  const rows = checkRows(x, widths[0]!, 'x');
  return forwardCore(widths, layers, gammas, act, x, rows);
}

/** Gradients of one layer: `W` (out × in) and `b` when the layer has a bias. */
export interface MeanFieldLayerGradient {
  readonly W: Float64Array;
  readonly b?: Float64Array;
}

/**
 * Gradient of the loss ½·(1/B)·Σ_b ‖y_b − g(x_b)‖² with respect to every parameter, taken through the scaled forward
 * pass (back-propagation in plain float64 loops). For B = 1 and K = 1 this is the README's loss ½(y − g)² [V-readme];
 * −α_group times it is exactly the README's explicit SGD update (§3.1: the 1/N^γ prefactors of those updates come
 * from the chain rule [V-readme + I], which the tests check by finite differences). `y` is B × K, row-major.
 */
export function meanFieldGradients(
  params: MeanFieldParams,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: MeanFieldForwardOptions,
): MeanFieldLayerGradient[] {
  const { gammasIn, act } = parseForward('meanFieldGradients', options);
  const { widths, L, layers } = checkParams(params);
  const gammas = checkGammas(gammasIn, L, 'options.gammas');
  return gradientsCore(widths, layers, gammas, act, x, y);
}

/** Validated back-propagation shared by `meanFieldGradients` and `meanFieldSgdStep` (validation done once). */
function gradientsCore(
  widths: readonly number[],
  layers: readonly DenseLayer[],
  gammas: readonly number[],
  act: MeanFieldActivation,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): MeanFieldLayerGradient[] {
  const L = widths.length - 2;
  const rows = checkRows(x, widths[0]!, 'x');
  const K = widths[L + 1]!;
  const yRows = checkRows(y, K, 'y');
  if (yRows !== rows) throw new ShapeError(`y must have ${rows} rows of ${K} (one per sample of x), got ${yRows}`);
  const fwd = forwardCore(widths, layers, gammas, act, x, rows);
  // δ = ∂loss/∂(pre-activation) of the current layer, starting at the output.
  let delta = new Float64Array(rows * K);
  for (let k = 0; k < delta.length; k++) delta[k] = (fwd.output[k]! - y[k]!) / rows;
  const grads: MeanFieldLayerGradient[] = new Array(L + 1);
  for (let l = L; l >= 0; l--) {
    const { W, b, shape: [out, nin] } = layers[l]!;
    const c = layerFactor(widths, gammas, l);
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

/**
 * One plain SGD step θ ← θ − α_group·∇θ[½·mean_b ‖y_b − g(x_b)‖²]; each layer's bias shares its layer's rate, as in
 * the authors' code [V-code]. Pure: returns new params with the storage type of the old ones.
 */
export function meanFieldSgdStep(params: MeanFieldParams, x: ArrayLike<number>, y: ArrayLike<number>, options: MeanFieldSgdOptions): MeanFieldParams {
  const o = checkedOptions('meanFieldSgdStep', options, SGD_KEYS);
  const { widths, L, layers } = checkParams(params);
  const rates = o['rates'];
  if (!Array.isArray(rates) || rates.length !== L + 1) throw new ShapeError(`options.rates must have ${L + 1} entries (one per layer, C last), got ${describe(rates)}`);
  rates.forEach((a: unknown, i) => {
    if (typeof a !== 'number') throw new DomainError(`options.rates[${i}] must be a number, got ${describe(a)}`);
    assertFinite(`options.rates[${i}]`, a);
    if (a < 0) throw new DomainError(`options.rates[${i}] must be >= 0, got ${a}`);
  });
  if (o['gammas'] === undefined) throw new DomainError('options.gammas is required by meanFieldSgdStep (one γ per hidden layer in [1/2, 1])');
  const gammas = checkGammas(o['gammas'], L, 'options.gammas');
  const act = enumParam('options.activation', o['activation'], ACTIVATIONS, 'sigmoid');
  const grads = gradientsCore(widths, layers, gammas, act, x, y);
  const next = layers.map((layer, l): DenseLayer => {
    const a = rates[l] as number;
    const g = grads[l]!;
    const W = step(layer.W, g.W, a);
    return layer.b && g.b ? { shape: layer.shape, W, b: step(layer.b, g.b, a) } : { shape: layer.shape, W };
  });
  return { widths, layers: next };
}

function step(p: MlpArray, g: Float64Array, a: number): MlpArray {
  const out = p instanceof Float32Array ? new Float32Array(p.length) : new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! - a * g[i]!;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Folding the factors into the weights
// ---------------------------------------------------------------------------------------------------------------

/** Options of `foldMeanFieldFactors`. */
export interface FoldOptions {
  readonly gammas: Gammas;
}
const FOLD_KEYS = optionKeys<FoldOptions>({ gammas: true });

/**
 * Folded: same function at init, different training dynamics. Returns float64 dense layers in which layer l's weights
 * are multiplied by its factor N_l^{−γ_l} (biases unchanged), so a standard MLP with the SAME activation (sigmoid for
 * the paper; not ReLU) computes exactly g. Training differs [I, chain rule]: for W' = c·W, ∇_{W'} = ∇_W / c, so SGD on
 * W' with rate α' moves the function like rate α'/c² on W; the mean-field rates are reproduced only with the weight
 * rate α·c² (and the bias rate α unchanged), not by one rate per layer.
 */
export function foldMeanFieldFactors(params: MeanFieldParams, options: FoldOptions): DenseLayer[] {
  const o = checkedOptions('foldMeanFieldFactors', options, FOLD_KEYS);
  const { widths, L, layers } = checkParams(params);
  if (o['gammas'] === undefined) throw new DomainError('options.gammas is required by foldMeanFieldFactors');
  const gammas = checkGammas(o['gammas'], L, 'options.gammas');
  return layers.map((layer, l): DenseLayer => {
    const c = layerFactor(widths, gammas, l);
    const W = new Float64Array(layer.W.length);
    for (let i = 0; i < W.length; i++) W[i] = c * layer.W[i]!;
    return layer.b ? { shape: layer.shape, W, b: Float64Array.from(layer.b) } : { shape: layer.shape, W };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Learning rates
// ---------------------------------------------------------------------------------------------------------------

/** Options of the learning-rate functions. */
export interface MeanFieldRateOptions {
  /** The O(1) constant multiplying every rate; default 1, as in the authors' code [V-readme, V-code]. */
  readonly alpha0?: number;
}
const RATE_KEYS = optionKeys<MeanFieldRateOptions>({ alpha0: true });

function parseRates(fn: string, widths: unknown, gammas: unknown, options: unknown): { N: number[]; g: number[]; L: number; alpha0: number } {
  const o = checkedOptions(fn, options, RATE_KEYS);
  const w = checkMeanFieldWidths(widths);
  const L = w.length - 2;
  const g = checkGammas(gammas, L);
  const a = o['alpha0'] ?? 1;
  if (typeof a !== 'number') throw new DomainError(`options.alpha0 must be a positive number, got ${describe(a)}`);
  assertFinite('options.alpha0', a);
  if (a <= 0) throw new DomainError(`options.alpha0 must be > 0, got ${a}`);
  // N[m] = N_m for m = 1 … L; g[m] = γ_m (1-based, index 0 unused) to read like the spec's formulas.
  return { N: [NaN, ...w.slice(1, L + 1)], g: [NaN, ...g], L, alpha0: a };
}

/**
 * Per-layer SGD learning rates of the authors' code, forward order `[α_{W^1}, …, α_{W^L}, α_C]`, for widths
 * `[d, N_1, …, N_L, K]` (d and K do not enter) and L ∈ {1, 2, 3} hidden layers [V-code, V-readme, V-shallow]:
 *
 *     L = 1:  α_W = α_C = N^{2γ−2}
 *     L = 2:  α_1 = N1^{2γ1−1} N2^{2γ2−3},  α_2 = N1^{2γ1−1} N2^{2γ2−2},  α_C = N2^{2γ2−2}
 *     L = 3:  α_1 = N1^{2γ1−1} N2^{2γ2−2} N3^{2γ3−3},  α_2 = N1^{2γ1−1} N2^{2γ2−1} N3^{2γ3−3},
 *             α_3 = N2^{2γ2−1} N3^{2γ3−2},  α_C = N3^{2γ3−2}
 *
 * each times `alpha0` (the README says each rate is right up to an O(1) constant; the code uses 1). Deeper nets raise a
 * DomainError: the paper's general-depth formula was not found; `inferredGeneralDepthLearningRates` is an inference.
 */
export function meanFieldLearningRates(widths: readonly number[], gammas: Gammas, options: MeanFieldRateOptions = {}): number[] {
  const { N, g, L, alpha0 } = parseRates('meanFieldLearningRates', widths, gammas, options);
  const p = (m: number, e: number): number => Math.pow(N[m]!, e);
  let rates: number[];
  if (L === 1) {
    const a = p(1, 2 * g[1]! - 2);
    rates = [a, a];
  } else if (L === 2) {
    rates = [
      p(1, 2 * g[1]! - 1) * p(2, 2 * g[2]! - 3),
      p(1, 2 * g[1]! - 1) * p(2, 2 * g[2]! - 2),
      p(2, 2 * g[2]! - 2),
    ];
  } else if (L === 3) {
    rates = [
      p(1, 2 * g[1]! - 1) * p(2, 2 * g[2]! - 2) * p(3, 2 * g[3]! - 3),
      p(1, 2 * g[1]! - 1) * p(2, 2 * g[2]! - 1) * p(3, 2 * g[3]! - 3),
      p(2, 2 * g[2]! - 1) * p(3, 2 * g[3]! - 2),
      p(3, 2 * g[3]! - 2),
    ];
  } else {
    throw new DomainError(
      `meanFieldLearningRates: verified formulas exist only for 1–3 hidden layers, got ${L} (widths.length − 2); ` +
        'inferredGeneralDepthLearningRates gives the general-depth mean-field learning rates (inferred)',
    );
  }
  return rates.map((a) => alpha0 * a);
}

/**
 * General-depth mean-field learning rates (inferred; verified formulas exist only for 1–3 hidden layers) [I + V-num].
 * Not the paper's formula (which was not found): a rule inferred for the spec that reproduces every verified case.
 * With a_0 = a_{L+1} = 1, a_m = N_m^{1−2γ_m}, b_m = N_m^{2−2γ_m} (1 ≤ m ≤ L) and C = W^{L+1}:
 *
 *     α_{W^ℓ} = alpha0 / ( N_L · a_{ℓ−1} · a_ℓ · Π_{m=ℓ+1}^{L} b_m ),   ℓ = 1 … L+1
 *
 * Heuristic: each group's step changes the output by Θ(1/N_L), counting every normalized sum as coherent. For L ≥ 4
 * it is a prediction only. Returns `[α_{W^1}, …, α_{W^L}, α_C]`.
 */
export function inferredGeneralDepthLearningRates(widths: readonly number[], gammas: Gammas, options: MeanFieldRateOptions = {}): number[] {
  const { N, g, L, alpha0 } = parseRates('inferredGeneralDepthLearningRates', widths, gammas, options);
  const a = (m: number): number => (m === 0 || m === L + 1 ? 1 : Math.pow(N[m]!, 1 - 2 * g[m]!));
  const b = (m: number): number => Math.pow(N[m]!, 2 - 2 * g[m]!);
  const rates: number[] = [];
  for (let l = 1; l <= L + 1; l++) {
    let den = N[L]! * a(l - 1) * a(l);
    for (let m = l + 1; m <= L; m++) den *= b(m);
    rates.push(alpha0 / den);
  }
  return rates;
}

// ---------------------------------------------------------------------------------------------------------------
// Variance at initialization (spec §4.3, [I + V-num])
// ---------------------------------------------------------------------------------------------------------------

/** Options of `gaussianActivationSecondMoment`. */
export interface GaussianMomentOptions {
  readonly activation?: MeanFieldActivation;
}
const GAUSS_KEYS = optionKeys<GaussianMomentOptions>({ activation: true });

/**
 * E[σ(Z)²] for Z ~ N(0, v), by the trapezoid rule on z ∈ [−40, 40] (standardized). For an integrand analytic in a
 * strip and Gaussian-decaying the trapezoid rule converges geometrically; the step is shrunk with √v because σ's
 * poles (at ±iπ/√v in the standardized variable for sigmoid) narrow that strip, keeping the error near 1e-15.
 */
export function gaussianActivationSecondMoment(variance: number, options: GaussianMomentOptions = {}): number {
  const o = checkedOptions('gaussianActivationSecondMoment', options, GAUSS_KEYS);
  const act = enumParam('options.activation', o['activation'], ACTIVATIONS, 'sigmoid');
  if (typeof variance !== 'number') throw new DomainError(`variance must be a number >= 0, got ${describe(variance)}`);
  assertFinite('variance', variance);
  if (variance < 0) throw new DomainError(`variance must be >= 0, got ${variance}`);
  const s = Math.sqrt(variance);
  if (s === 0) return activate(act, 0) ** 2;
  const h = Math.min(0.05, 0.4 / s);
  const n = Math.ceil(40 / h);
  const step = 40 / n;
  let sum = 0;
  for (let k = -n; k <= n; k++) {
    const z = k * step;
    const v = activate(act, s * z);
    sum += v * v * Math.exp(-0.5 * z * z);
  }
  return (sum * step) / Math.sqrt(2 * Math.PI);
}

/** Options of `initOutputVariance`. */
export interface InitOutputVarianceOptions {
  /**
   * E[σ(Z^L_1(x))²], the mean square of one last-hidden-layer unit at init. Required for L ≥ 2 (no closed form; e.g.
   * estimate it from `meanFieldForward(...).hidden`). For L = 1 it may be omitted if `x` is given.
   */
  readonly activationSecondMoment?: number;
  /** The input; for L = 1 with no hidden bias, Z^1 = W^1·x ~ N(0, ‖x‖²) and the moment is computed exactly. */
  readonly x?: ArrayLike<number>;
  /** E[C²] of the mean-zero output init; default 1/3 (`outputInit: 'centered'`, U(−1, 1)); 1 for N(0, 1). */
  readonly outputSecondMoment?: number;
  readonly activation?: MeanFieldActivation;
}
const OUTVAR_KEYS = optionKeys<InitOutputVarianceOptions>({ activationSecondMoment: true, x: true, outputSecondMoment: true, activation: true });

/**
 * Exact output variance at initialization [I + V-num] (spec §4.3; the paper's own statement was not found): for any
 * finite widths, if C is mean-zero with E[C²] = `outputSecondMoment`, independent of the hidden layers, and there is
 * no output bias, then
 *
 *     Var[g_0(x)] = N_L^{1−2γ_L} · E[C²] · E[σ(Z^L_1(x))²]
 *
 * (cross terms vanish since E[C_i C_j] = 0; the N_L hidden units are exchangeable). The inner γ's and widths enter
 * only through E[σ(Z^L)²]. Not valid for `outputInit: 'authors-code'` (U(0, 1) has mean 1/2).
 */
export function initOutputVariance(widths: readonly number[], gammas: Gammas, options: InitOutputVarianceOptions = {}): number {
  const o = checkedOptions('initOutputVariance', options, OUTVAR_KEYS);
  const w = checkMeanFieldWidths(widths);
  const L = w.length - 2;
  const g = checkGammas(gammas, L);
  const act = enumParam('options.activation', o['activation'], ACTIVATIONS, 'sigmoid');
  const ec2 = nonNegative('options.outputSecondMoment', o['outputSecondMoment'], CENTERED_OUTPUT_SECOND_MOMENT);
  let m: number;
  if (o['activationSecondMoment'] !== undefined) {
    m = nonNegative('options.activationSecondMoment', o['activationSecondMoment'], 0);
  } else if (o['x'] !== undefined && L === 1) {
    checkRows(o['x'], w[0]!, 'options.x');
    const x = o['x'] as ArrayLike<number>;
    if (x.length !== w[0]) throw new ShapeError(`options.x must be one sample of length ${w[0]}, got length ${x.length}`);
    let sq = 0;
    for (let i = 0; i < x.length; i++) sq += x[i]! * x[i]!;
    m = gaussianActivationSecondMoment(sq, { activation: act });
  } else {
    throw new DomainError(
      L === 1
        ? 'initOutputVariance needs options.activationSecondMoment or options.x'
        : `initOutputVariance needs options.activationSecondMoment for ${L} hidden layers (E[σ(Z^L)²] has no closed form beyond one hidden layer)`,
    );
  }
  return Math.pow(w[L]!, 1 - 2 * g[L - 1]!) * ec2 * m;
}

/**
 * Variance of an inner pre-activation at init [I + V-num] (spec §4.3): with mean-zero unit-variance W^{ℓ+1} and no
 * bias, Var[Z^{ℓ+1}_i(x)] = N_ℓ^{1−2γ_ℓ} · E[(H^ℓ_1(x))²] for ℓ = 1 … L−1 (so for γ_ℓ > 1/2, Z^{ℓ+1} → 0 and
 * H^{ℓ+1} → σ(0) as N_ℓ grows). `layer` is ℓ (1-based, the layer whose units are summed).
 */
export function initPreactivationVariance(widths: readonly number[], gammas: Gammas, layer: number, hiddenSecondMoment: number): number {
  const w = checkMeanFieldWidths(widths);
  const L = w.length - 2;
  const g = checkGammas(gammas, L);
  if (typeof layer !== 'number' || !Number.isInteger(layer) || layer < 1 || layer > L - 1) {
    throw new DomainError(`layer must be an integer in [1, ${L - 1}] (a hidden layer feeding another hidden layer), got ${describe(layer)}`);
  }
  const m = nonNegative('hiddenSecondMoment', hiddenSecondMoment, undefined);
  return Math.pow(w[layer]!, 1 - 2 * g[layer - 1]!) * m;
}

function nonNegative(name: string, v: unknown, dflt: number | undefined): number {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number') throw new DomainError(`${name} must be a number >= 0, got ${describe(v)}`);
  assertFinite(name, v);
  if (v < 0) throw new DomainError(`${name} must be >= 0, got ${v}`);
  return v;
}
