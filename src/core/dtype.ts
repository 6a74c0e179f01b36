/**
 * Element types and allocation: the one `DType`, the one `FloatArray` and the one allocator of initlab.
 * Every layer (init, tensor, kernels, nn) stores numbers in these two typed arrays.
 */
import { DTypeError, ShapeError, describe } from './errors.js';
import { checkElementCount } from './shape.js';

/** Element type of a tensor or an initialised array. */
export type DType = 'float32' | 'float64';

/** The typed arrays every layer stores numbers in. */
export type FloatArray = Float32Array | Float64Array;

/** The supported element types. */
export const DTYPES: readonly DType[] = ['float32', 'float64'];

/** Option shared by everything that produces an array. */
export interface DTypeOptions {
  /** Storage type of the result; default `'float32'`. */
  readonly dtype?: DType;
}

/**
 * Parse a `dtype` argument: `undefined` gives `dflt`; anything but `'float32'` / `'float64'` is a DTypeError naming
 * `name`, e.g. `DTypeError: options.dtype must be one of "float32", "float64", got "int8"`.
 */
export function resolveDType(dtype: unknown, name = 'dtype', dflt: DType = 'float32'): DType {
  if (dtype === undefined) return dflt;
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new DTypeError(`${name} must be one of "float32", "float64", got ${describe(dtype)}`);
}

/**
 * Allocate a zero-filled array of `size` elements with the requested storage type. A size that is not an integer in
 * [0, MAX_ELEMENTS] is a ShapeError (never the engine's RangeError).
 */
export function allocate(size: number, dtype: DType = 'float32'): FloatArray {
  if (!Number.isInteger(size) || size < 0) throw new ShapeError(`size must be a non-negative integer, got ${describe(size)}`);
  checkElementCount('size', size);
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** Allocate a zero-filled array of `size` elements with the storage type of `like`. */
export function allocateLike(like: FloatArray, size: number): FloatArray {
  return allocate(size, dtypeOf(like));
}

/** The dtype of a typed array. */
export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}
