/**
 * Mean-field 1/N^γ normalization of deep fully connected nets (Yu & Spiliopoulos, "Normalization effects on deep
 * neural networks", arXiv 2209.01018; Foundations of Data Science 5(3):389–465, 2023; shallow companion paper
 * arXiv 2011.10487, FoDS 3(2), 2021). Our account: docs/schemes/meanfield.md. Provenance tags on every item below:
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
 * Parameters are stored as dense layers in the PyTorch layout (`LayerTensors`, the one layer type of src/init):
 * `layers[l]` maps widths[l] to widths[l+1]; the last layer is the output weight C (`[K, N_L]`). The 1/N^γ factors
 * are NOT part of the weights: `meanFieldLayers` returns the layers with each factor as the layer's forward `scale`
 * (what the registry entry returns and what src/nn applies), and the entry's `fold: true` multiplies them into the
 * weights (same function, different SGD dynamics). All arithmetic is float64. Imports only src/core and src/init.
 *
 * This file: the network's types, validation and forward factors. init.ts draws the weights, rates.ts gives the
 * per-layer learning rates, variance.ts the variance at init. The forward pass, back-propagation and SGD with these
 * rates run on autograd tensors in src/nn (`meanFieldNet`).
 */
import { DomainError, NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import type { LayerTensors } from '../entry.js';
import { validateMlp } from '../support/mlp.js';
import { checkedOptions, optionKeys } from '../support/options.js';
import { factorOf, scaleLayers } from './factors.js';

/** Most hidden layers a γ list may describe (a single γ is expanded to L copies before any work). */
export const MAX_HIDDEN_LAYERS = 1_000_000;

/**
 * Hidden activation of the variance formulas (variance.ts): `sigmoid` is the authors' code [V-code]; `tanh` is offered
 * as another smooth bounded σ [I]. (src/nn's `meanFieldNet` also trains ReLU nets.)
 */
export type MeanFieldActivation = 'sigmoid' | 'tanh';

/**
 * Output-weight (C) distribution:
 * - `'authors-code'`: C ~ U(0, 1), mean 1/2 [V-code]; under log_softmax the mean only shifts every logit equally;
 * - `'centered'`: C ~ U(−1, 1), mean zero, E[C²] = 1/3, the mean-zero choice the theory needs for γ < 1 [I]
 * (U(−1, 1) or N(0, 1) suit property tests).
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
  readonly layers: readonly LayerTensors[];
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
 * Validate γ's against L hidden layers (L an integer in [1, MAX_HIDDEN_LAYERS]): each must be a finite number in
 * [1/2, 1] (DomainError naming e.g. `gammas[1]`, NonFiniteError for NaN/±Inf); an array must have exactly L entries
 * (ShapeError). Returns L values.
 */
export function checkGammas(gammas: unknown, L: number, name = 'gammas'): number[] {
  if (typeof L !== 'number' || !Number.isInteger(L) || L < 1 || L > MAX_HIDDEN_LAYERS) {
    throw new DomainError(`L (number of hidden layers) must be an integer in [1, ${MAX_HIDDEN_LAYERS}], got ${describe(L)}`);
  }
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

/**
 * The forward factor of layer l's input sum: 1 for l = 0 (input), N_l^{−γ_l} otherwise. `widths` as in
 * `checkMeanFieldWidths`, `gammas` one γ ∈ [1/2, 1] per hidden layer, `l` an integer in [0, L] (errors name each).
 */
export function meanFieldFactor(widths: readonly number[], gammas: readonly number[], l: number): number {
  const w = checkMeanFieldWidths(widths);
  const L = w.length - 2;
  if (!Array.isArray(gammas)) throw new ShapeError(`gammas must be an array of ${L} γ's (one per hidden layer), got ${describe(gammas)}`);
  const g = checkGammas(gammas, L);
  if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l > L) throw new DomainError(`l (layer index) must be an integer in [0, ${L}], got ${describe(l)}`);
  return factorOf(w, g, l);
}

/** Validate params (architecture against widths, storage, finiteness); returns widths, L and the layers. */
export function checkMeanFieldParams(params: unknown, name = 'params'): { widths: number[]; L: number; layers: readonly LayerTensors[] } {
  if (params === null || typeof params !== 'object') throw new ShapeError(`${name} must be {widths, layers}, got ${describe(params)}`);
  const p = params as { widths?: unknown; layers?: unknown };
  const widths = checkMeanFieldWidths(p.widths, `${name}.widths`);
  const L = widths.length - 2;
  if (!Array.isArray(p.layers) || p.layers.length !== L + 1) {
    throw new ShapeError(`${name}.layers must be an array of ${L + 1} layers (W^1 … W^${L}, C), got ${describe(p.layers)}`);
  }
  validateMlp(p.layers, `${name}.layers`); // layer structure, chaining and finiteness: the shared reference check
  const layers = p.layers;
  layers.forEach((layer, l) => {
    const where = `${name}.layers[${l}]`;
    if (layer.shape[0] !== widths[l + 1] || layer.shape[1] !== widths[l]) {
      throw new ShapeError(`${where}.shape must be [out, in] = [${widths[l + 1]}, ${widths[l]}], got ${describe(layer.shape)}`);
    }
    if (layer.scale !== undefined && layer.scale !== 1) {
      throw new DomainError(`${where}.scale must be absent: params hold the raw weights and the γ's give the factors, got ${describe(layer.scale)}`);
    }
  });
  return { widths, L, layers };
}

/** Options of `meanFieldLayers`. */
export interface MeanFieldLayersOptions {
  /** γ_1 … γ_L (or one number for all), each in [1/2, 1]. Required. */
  readonly gammas: Gammas;
}
const LAYERS_KEYS = optionKeys<MeanFieldLayersOptions>({ gammas: true });

/** Parse a required `gammas` option against L hidden layers (shared by every function that takes one). */
export function requiredGammas(fn: string, gammas: unknown, L: number): number[] {
  if (typeof fn !== 'string') throw new DomainError(`fn must be the calling function's name (a string), got ${describe(fn)}`);
  if (gammas === undefined) throw new DomainError(`options.gammas is required by ${fn} (one γ per hidden layer in [1/2, 1])`);
  return checkGammas(gammas, L, 'options.gammas');
}

/**
 * The layers with their factors attached as `scale` (no copy of the weights). Checks `widths`, `layers` (as the
 * layers of `checkMeanFieldParams`) and `gammas` (one γ ∈ [1/2, 1] per hidden layer, or one number for all).
 */
export function scaledLayers(widths: readonly number[], layers: readonly LayerTensors[], gammas: readonly number[]): LayerTensors[] {
  const { widths: w, L, layers: ls } = checkMeanFieldParams({ widths, layers }, 'params');
  return scaleLayers(w, ls, checkGammas(gammas, L));
}

/**
 * The normalized network as plain layers: layer l carries `scale` = N_l^{−γ_l} (l ≥ 1; none on the input layer),
 * so that any forward pass that honours `LayerTensors.scale` — src/init's plain-loop `mlpTrace`, src/nn's `mlpForward`
 * — computes the mean-field net g of the module comment. The weights are shared with `params`, not copied.
 */
export function meanFieldLayers(params: MeanFieldParams, options: MeanFieldLayersOptions): LayerTensors[] {
  const o = checkedOptions('meanFieldLayers', options, LAYERS_KEYS);
  const { widths, L, layers } = checkMeanFieldParams(params);
  return scaleLayers(widths, layers, requiredGammas('meanFieldLayers', o['gammas'], L));
}

/** A finite-valued row-major array whose length is a multiple of `cols`; returns the number of rows. */
export function checkRows(x: unknown, cols: number, name: string): number {
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


/** Hidden activations of the mean-field variance formulas. */
export const MEANFIELD_ACTIVATIONS: readonly MeanFieldActivation[] = ['sigmoid', 'tanh'];
