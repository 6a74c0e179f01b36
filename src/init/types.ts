/**
 * Shared types and small helpers of the init module: element types, shapes, output allocation.
 *
 * Conventions (spec/classic.md §1): PyTorch layout (`[out, in]`, `[out, in/groups, k…]`), row-major fill order,
 * float64 arithmetic, float32 storage by default (`{ dtype: 'float64' }` gives a `Float64Array`).
 */
import { DomainError, ShapeError, describe } from './errors.js';
import type { RandomSource } from './rng.js';

/** Element type of an initialised tensor. */
export type DType = 'float32' | 'float64';

/** The typed arrays initializers return. */
export type FloatArray = Float32Array | Float64Array;

/** A tensor shape (PyTorch layout unless a `layout: 'keras'` option says otherwise). */
export type Shape = readonly number[];

/** Option shared by every initializer that produces an array. */
export interface DTypeOptions {
  /** Storage type of the result; default `'float32'`. */
  readonly dtype?: DType;
}

/** Resolve and validate a `dtype` option. */
export function resolveDType(dtype: unknown): DType {
  if (dtype === undefined) return 'float32';
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new DomainError(`dtype must be one of "float32", "float64", got ${describe(dtype)}`);
}

/** Allocate a zero-filled array of `size` elements with the requested storage type. */
export function allocate(size: number, dtype: DType = 'float32'): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/**
 * Validate a shape: an array of positive integers with rank in [minRank, maxRank].
 * Throws ShapeError naming `name` and the allowed range. Returns the number of elements.
 */
export function checkShape(shape: unknown, name = 'shape', minRank = 0, maxRank = Infinity): number {
  if (!Array.isArray(shape)) throw new ShapeError(`${name} must be an array of positive integers, got ${describe(shape)}`);
  const rank = shape.length;
  if (rank < minRank || rank > maxRank) {
    const range = maxRank === Infinity ? `>= ${minRank}` : minRank === maxRank ? `${minRank}` : `in [${minRank}, ${maxRank}]`;
    throw new ShapeError(`${name} must have rank ${range}, got rank ${rank} (${describe(shape)})`);
  }
  let n = 1;
  for (let i = 0; i < rank; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d <= 0) {
      throw new ShapeError(`${name}[${i}] must be a positive integer, got ${describe(d)} (shape ${describe(shape)})`);
    }
    n *= d;
  }
  if (!Number.isSafeInteger(n)) throw new ShapeError(`${name} has too many elements (${n}) to allocate`);
  return n;
}

/** Number of elements of a (validated) shape. */
export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Calling convention of the registry (see registry.ts). Kept here so that scheme modules can import these types
// without importing the registry (which imports the scheme modules' entry lists).
// ---------------------------------------------------------------------------------------------------------------

/** How much of a scheme is confirmed (spec/README.md, "Provenance tags"). */
export type Provenance =
  | 'verified' // restates a library's public behaviour or a verified paper statement
  | 'derived' // derived for the spec and checked numerically, not confirmed as the paper's own formula
  | 'reconstruction' // a best guess at what the paper does
  | 'authors-code' // reproduces the formulas of the authors' public code
  | 'inferred'; // an unchecked inference

/** Options of a registered initializer: a plain record, parsed and validated by the scheme itself. */
export type InitOptions = { readonly [key: string]: unknown };

/** One layer's tensors: weight `W` (PyTorch layout `shape`) and optional bias `b` (length `shape[0]`). */
export interface LayerTensors {
  readonly W: FloatArray;
  readonly b?: FloatArray;
  readonly shape: Shape;
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
  /** Human-readable one-liner; must name reconstructions as such (spec/README.md). */
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
