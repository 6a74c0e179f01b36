/**
 * Size limits of src/init: every array an initializer allocates has at most `MAX_ELEMENTS` entries, checked on the
 * shapes and widths before any draw or allocation, so an oversized request is a ShapeError stating the limit
 * instead of a RangeError from the typed-array constructor (or minutes of work before it).
 */
import { ShapeError, describe } from '../../core/errors.js';
import { checkShape } from '../../core/index.js';

/** Largest element count of one array (2^31 − 1, the typed-array length every JS engine supports). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** A count of elements `n` (already a safe integer) ≤ MAX_ELEMENTS, else a ShapeError naming `name`. */
export function checkElementCount(n: number, name: string, what = 'elements'): number {
  if (n > MAX_ELEMENTS) {
    throw new ShapeError(`${name} has ${n} ${what}; at most ${MAX_ELEMENTS} (2^31 - 1) can be allocated`);
  }
  return n;
}

/** `checkShape` (core) plus the element limit: returns the number of elements. */
export function checkInitShape(shape: unknown, name = 'shape', minRank = 0, maxRank = Infinity, minDim: 0 | 1 = 1): number {
  let n: number;
  try {
    n = checkShape(shape, name, minRank, maxRank, minDim);
  } catch (e) {
    // core reports counts beyond 2^53 as "too many elements": restate with the limit of this module
    if (e instanceof ShapeError && /too many elements/.test(e.message)) {
      throw new ShapeError(`${name} = ${describe(shape)} has more than ${MAX_ELEMENTS} (2^31 - 1) elements, the most that can be allocated`);
    }
    throw e;
  }
  return checkElementCount(n, `${name} = ${describe(shape)}`);
}
