/**
 * Invalid (or at least unvetted) argument values for the robustness suite: every kind of value a caller can pass
 * by mistake. A call with any of these must return or throw an InitlabError, within the time limit; it must never
 * throw an untyped error (TypeError, RangeError, …) nor hang. Sizes stay small: the largest value here is a
 * 16-element typed array, and the "huge" numbers (1e12, 2^53, 1e308, ±Infinity) are far beyond anything that could
 * be allocated, so a function that does not validate a size fails with an untyped RangeError instead of allocating.
 */
import fc from 'fast-check';
import type { RandomSource } from '../../src/init/support/rng.js';
import { createRng } from '../../src/init/support/rng.js';

/** Numbers: NaN, ±Infinity, huge, negative, zero, -0, non-integer, just outside [0, 1], and a few ordinary ones. */
export const junkNumber = fc.constantFrom(
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1e308, 1e12, 2 ** 53, -(2 ** 31),
  -1, 0, -0, 0.5, 2.5, 1 + 1e-12, -1e-300, 5e-324, 1, 2, 3, 7,
);

const junkString = fc.constantFrom('', 'x', 'abc', 'relu', 'float32', 'float16', 'auto', 'cpu', 'he_normal', 'NaN', '1', '__proto__', 'constructor');

/** RandomSources that keep the interface's contract (values in range) but are degenerate, or break it. */
export const degenerateRngs: { label: string; make: () => unknown }[] = [
  { label: 'constant-zero source', make: (): RandomSource => ({ nextUint32: () => 0, nextFloat64: () => 0, nextInt: () => 0, nextNormal: () => 0 }) },
  {
    label: 'constant-max source',
    make: (): RandomSource => ({ nextUint32: () => 0xffffffff, nextFloat64: () => 1 - 2 ** -53, nextInt: (k) => k - 1, nextNormal: () => 8 }),
  },
  { label: 'NaN source', make: () => ({ nextUint32: () => Number.NaN, nextFloat64: () => Number.NaN, nextInt: () => Number.NaN, nextNormal: () => Number.NaN }) },
  { label: 'source without methods', make: () => ({}) },
  { label: 'createRng(7)', make: () => createRng(7) },
];

const junkRng = fc.constantFrom(...degenerateRngs).map((r) => r.make());

const junkTyped = fc.oneof(
  fc.constantFrom(0, 1, 4, 16).map((n) => new Float32Array(n).fill(1)),
  fc.constantFrom(1, 4).map((n) => new Float64Array(n).fill(Number.NaN)),
  fc.constant(new Int8Array([1, 2, 3])),
  fc.constant(new Uint32Array([4, 4])),
);

const junkLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: junkNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false) },
  { weight: 2, arbitrary: junkString },
  { weight: 1, arbitrary: junkTyped },
  { weight: 1, arbitrary: junkRng },
  { weight: 1, arbitrary: fc.constantFrom({}, { foo: 1 }, { dtype: 'int8' }, { kind: 'dense' }, { W: 1 }, { shape: [2, 2] }, { rows: 2, cols: 2, data: [1] }) },
  { weight: 1, arbitrary: fc.constant(() => 1) },
);

/** Any junk value: leaves, small arrays of leaves (shapes among them) and small arrays of arrays. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: junkLeaf },
  { weight: 2, arbitrary: fc.array(fc.oneof(junkNumber, fc.integer({ min: 0, max: 4 })), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(junkLeaf, { maxLength: 3 }) },
);
