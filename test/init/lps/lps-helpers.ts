// Test-only helpers of the LPS-R tests (no production code imports this).
import type { Batch } from '../../../src/init/support/mlp.js';
import type { RandomSource } from '../../../src/init/support/rng.js';

/** B × n batch of N(0, scale²) entries. */
export function randomBatch(rng: RandomSource, rows: number, cols: number, scale = 1): Batch {
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => scale * rng.nextNormal()) };
}
