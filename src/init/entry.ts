/**
 * The calling convention of the initializer registry: entry types, layer tensors, the optional context.
 * Scheme folders import these types to declare their entries; registry.ts stores them; builtin.ts lists them.
 *
 * Conventions: PyTorch layout (`[out, in]`, `[out, in/groups, k…]`), row-major fill order, float64 arithmetic,
 * float32 storage by default (`{ dtype: 'float64' }` gives a `Float64Array`).
 */
import type { FloatArray, Shape } from '../core/index.js';
import type { RandomSource } from './support/rng.js';


/** How much of a scheme is confirmed (docs/schemes/README.md, "Provenance tags"). */
export type Provenance =
  | 'verified' // restates a library's public behaviour or a verified paper statement
  | 'derived' // derived for the spec and checked numerically, not confirmed as the paper's own formula
  | 'reconstruction' // a best guess at what the paper does
  | 'authors-code' // reproduces the formulas of the authors' public code
  | 'inferred'; // an unchecked inference

/** Options of a registered initializer: a plain record, parsed and validated by the scheme itself. */
export type InitOptions = { readonly [key: string]: unknown };

/**
 * One layer's tensors, the one layer type of src/init: weight `W` (PyTorch layout `shape`, `[out, in]` for a dense
 * layer), optional bias `b` (length `shape[0]`), and an optional forward multiplier `scale` of the layer's input sum,
 * y = scale·(W x) + b (absent = 1). Network entries set `scale` where the scheme's factor is not part of the weights
 * (the mean-field N_l^−γ_l); whatever builds a model from entries must apply it.
 */
export interface LayerTensors {
  readonly W: FloatArray;
  readonly b?: FloatArray;
  readonly shape: Shape;
  readonly scale?: number;
}

/** A data batch, row-major, e.g. `shape = [batch, features]`. */
export interface DataBatch {
  readonly x: FloatArray;
  readonly shape: Shape;
}

/**
 * Extra information for schemes that need more than one tensor's shape.
 * - `shapes`: the weight shapes of the whole network (PyTorch layout), in forward order;
 * - `layers`: already-initialised layers (e.g. "He first, then rescale" schemes read them here);
 * - `layerIndex`: index of the tensor being initialised within `shapes` / `layers`;
 * - `data`: an input batch for data-anchored schemes (e.g. LPS-R);
 * - `extra`: anything else a scheme documents (architecture description, activations, ...).
 */
export interface InitContext {
  readonly shapes?: readonly Shape[];
  readonly layers?: readonly LayerTensors[];
  readonly layerIndex?: number;
  readonly data?: DataBatch;
  readonly extra?: { readonly [key: string]: unknown };
}

/** A per-tensor initializer: one weight tensor from its shape. */
export type TensorInitializer = (
  shape: Shape,
  rng: RandomSource,
  options?: InitOptions,
  context?: InitContext,
) => FloatArray;

/** A whole-network initializer: all layers at once from the list of weight shapes (forward order). */
export type NetworkInitializer = (
  shapes: readonly Shape[],
  rng: RandomSource,
  options?: InitOptions,
  context?: InitContext,
) => LayerTensors[];

interface EntryBase {
  /** Registry name, snake_case (e.g. `he_normal`). */
  readonly name: string;
  /** Other names resolving to this entry. */
  readonly aliases?: readonly string[];
  /** Human-readable one-liner; must name reconstructions as such (docs/schemes/README.md). */
  readonly description: string;
  /** Paper / library the scheme comes from. */
  readonly source: string;
  readonly provenance: Provenance;
}

/** Registry entry of a per-tensor initializer. */
export interface TensorInitializerEntry extends EntryBase {
  readonly kind: 'tensor';
  readonly init: TensorInitializer;
}

/** Registry entry of a whole-network initializer. */
export interface NetworkInitializerEntry extends EntryBase {
  readonly kind: 'network';
  readonly init: NetworkInitializer;
}

export type InitializerEntry = TensorInitializerEntry | NetworkInitializerEntry;
