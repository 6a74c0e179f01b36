/**
 * Size limit of src/init: every array an initializer allocates has at most core's `MAX_ELEMENTS` entries, checked on
 * the shapes before any draw or allocation, so an oversized request is a ShapeError stating the limit instead of a
 * RangeError from the typed-array constructor (or minutes of work before it).
 */
import { checkShape, MAX_ELEMENTS } from '../../core/index.js';

/** core's `checkShape` with the allocation limit `MAX_ELEMENTS`: for shapes an initializer is about to fill. */
export function checkInitShape(shape: unknown, name = 'shape', minRank = 0, maxRank = Infinity, minDim: 0 | 1 = 1): number {
  return checkShape(shape, name, minRank, maxRank, minDim, MAX_ELEMENTS);
}
