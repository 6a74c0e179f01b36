/** Shapes: the one shape type and the one shape validator of initlab. */
import { ShapeError, describe } from './errors.js';

/** A tensor shape (row-major; PyTorch weight layout `[out, in, k…]` unless an option says otherwise). */
export type Shape = readonly number[];

/**
 * Validate a shape: an array of integers ≥ `minDim` (1 by default: positive; 0 allows empty tensors) with rank in
 * [minRank, maxRank] and a safe-integer element count. Throws a ShapeError naming `name`, the allowed range and
 * the value given. Returns the number of elements.
 */
export function checkShape(shape: unknown, name = 'shape', minRank = 0, maxRank = Infinity, minDim: 0 | 1 = 1): number {
  const what = minDim === 1 ? 'positive integer' : 'non-negative integer';
  if (!Array.isArray(shape)) throw new ShapeError(`${name} must be an array of ${what}s, got ${describe(shape)}`);
  const rank = shape.length;
  if (rank < minRank || rank > maxRank) {
    const range = maxRank === Infinity ? `>= ${minRank}` : minRank === maxRank ? `${minRank}` : `in [${minRank}, ${maxRank}]`;
    throw new ShapeError(`${name} must have rank ${range}, got rank ${rank} (${describe(shape)})`);
  }
  let n = 1;
  for (let i = 0; i < rank; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < minDim) {
      throw new ShapeError(`${name}[${i}] must be a ${what}, got ${describe(d)} (in ${name} = ${describe(shape)})`);
    }
    n *= d;
  }
  if (!Number.isSafeInteger(n)) throw new ShapeError(`${name} has too many elements (${n}) to allocate`);
  return n;
}

/** Number of elements of a (validated) shape; 1 for the scalar shape []. */
export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
