/** Shapes: the one shape type, the one shape validator and the one element-count limit of initlab. */
import { ShapeError, describe } from './errors.js';

/** A tensor shape (row-major; PyTorch weight layout `[out, in, k…]` unless an option says otherwise). */
export type Shape = readonly number[];

/**
 * The most elements one array or tensor may hold: 2^32 = 4294967296, the longest typed array Node 20 allows (V8 on
 * 64-bit; `new Float32Array(2 ** 32 + 1)` is a RangeError). Fixed rather than probed, so the same shape fails the same
 * way on every Node version, before anything is allocated. Views (e.g. `broadcastTo`) obey it too, which bounds the
 * work of every op over them.
 */
export const MAX_ELEMENTS = 2 ** 32;

/** How the two element-count limits read in messages. */
function limitText(limit: number): string {
  if (limit === MAX_ELEMENTS) return `MAX_ELEMENTS = ${MAX_ELEMENTS} (2^32, the longest typed array)`;
  if (limit === Number.MAX_SAFE_INTEGER) return `Number.MAX_SAFE_INTEGER = ${limit} (2^53 - 1, the largest exact count)`;
  return String(limit);
}

/**
 * Throw a ShapeError unless `count` is at most `limit` (default `MAX_ELEMENTS`: the count fits in one array), e.g.
 * `ShapeError: shape has too many elements (1e+300) to allocate: the limit is MAX_ELEMENTS = 4294967296 (2^32, ...)`.
 * `what` names the thing being sized as the caller knows it. Returns `count`.
 */
export function checkElementCount(what: string, count: number, limit = MAX_ELEMENTS): number {
  if (!(count <= limit)) {
    throw new ShapeError(`${what} has too many elements (${describe(count)}) to allocate: the limit is ${limitText(limit)}`);
  }
  return count;
}

/**
 * Validate a shape: an array of integers ≥ `minDim` (1 by default: positive; 0 allows empty tensors) with rank in
 * [minRank, maxRank] and at most `maxElements` elements. The default, 2^53 − 1, only asks for an exact count (src/init
 * computes fans and parameters of shapes it never allocates); shapes about to be allocated or viewed pass
 * `MAX_ELEMENTS`. Throws a ShapeError naming `name`, the allowed range and the value given. Returns the number of
 * elements.
 */
export function checkShape(
  shape: unknown,
  name = 'shape',
  minRank = 0,
  maxRank = Infinity,
  minDim: 0 | 1 = 1,
  maxElements = Number.MAX_SAFE_INTEGER,
): number {
  const what = minDim === 1 ? 'positive integer' : 'non-negative integer';
  if (!Array.isArray(shape)) throw new ShapeError(`${name} must be an array of ${what}s, got ${describe(shape)}`);
  const rank = shape.length;
  if (rank < minRank || rank > maxRank) {
    const range = maxRank === Infinity ? `>= ${minRank}` : minRank === maxRank ? `${minRank}` : `in [${minRank}, ${maxRank}]`;
    throw new ShapeError(`${name} must have rank ${range}, got rank ${rank} (${describe(shape)})`);
  }
  for (let i = 0; i < rank; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < minDim) {
      throw new ShapeError(`${name}[${i}] must be a ${what}, got ${describe(d)} (in ${name} = ${describe(shape)})`);
    }
  }
  return checkElementCount(name, countElements(shape as number[]), maxElements);
}

/** `numel` without the checks, for shapes already validated (`checkShape`). */
function countElements(shape: Shape): number {
  let n = 1;
  for (const d of shape) {
    if (d === 0) return 0;
    n *= d;
  }
  return n;
}

/**
 * Number of elements of a shape (an array of non-negative integers); 1 for the scalar shape []. Exactly 0 when a
 * dimension is 0, even if the product of the others overflows to Infinity. Anything else is a ShapeError naming
 * `shape` (one pass, as cheap as the product itself).
 */
export function numel(shape: Shape): number {
  if (!Array.isArray(shape)) throw new ShapeError(`shape must be an array of non-negative integers, got ${describe(shape)}`);
  let n = 1;
  let zero = false;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`shape[${i}] must be a non-negative integer, got ${describe(d)} (in shape = ${describe(shape)})`);
    }
    if (d === 0) zero = true;
    n *= d;
  }
  return zero ? 0 : n;
}
