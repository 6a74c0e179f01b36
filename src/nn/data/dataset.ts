/**
 * In-memory datasets: one Float32Array of samples (row-major, one row per sample) with integer class labels or
 * real-valued targets. No per-sample JS objects: a DataLoader copies rows straight into batch tensors.
 */
import { DomainError, NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import { checkRng, nonNegativeIntParam, type RandomSource } from '../../init/index.js';

/** Integer class labels in [0, classes). */
export interface ClassLabels {
  readonly kind: 'labels';
  readonly values: Uint8Array | Int32Array;
  readonly classes: number;
}

/** Real-valued targets, one row of Π shape values per sample. */
export interface RegressionTargets {
  readonly kind: 'targets';
  readonly values: Float32Array;
  /** Shape of one sample's target, e.g. [1] or [k]. */
  readonly shape: readonly number[];
}

/** What a dataset holds besides its inputs. */
export type DatasetY = ClassLabels | RegressionTargets;

/** Samples x (n rows of Π shape[1…] features, row-major) and their labels or targets. */
export interface Dataset<Y extends DatasetY = DatasetY> {
  readonly x: Float32Array;
  /** [n, …sample shape], e.g. [60000, 784]. */
  readonly shape: readonly number[];
  readonly y: Y;
}

/** Number of samples of a dataset: `d.shape[0]`, a positive integer (a DomainError / ShapeError naming `d` otherwise). */
export function datasetSize(d: Dataset): number {
  if (d === null || typeof d !== 'object') {
    throw new DomainError(`d must be a dataset { x, shape, y } (e.g. from classificationDataset), got ${describe(d)}`);
  }
  const shape: unknown = d.shape;
  const n: unknown = Array.isArray(shape) ? shape[0] : undefined;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
    throw new ShapeError(`d.shape must be an array [n, …] whose n (the number of samples) is a positive integer, got ${describe(shape)}`);
  }
  return n;
}

function checkDims(name: string, shape: unknown, minRank: number): number[] {
  if (!Array.isArray(shape) || shape.length < minRank || shape.some((s) => !Number.isSafeInteger(s) || (s as number) <= 0)) {
    throw new ShapeError(`${name} must be an array of at least ${minRank} positive integer(s), got ${describe(shape)}`);
  }
  return shape.slice() as number[];
}

/** `x` (called `name`) must be a Float32Array of Π shape finite values. */
function checkValues(name: string, x: unknown, s: readonly number[]): Float32Array {
  if (!(x instanceof Float32Array)) throw new DomainError(`${name} must be a Float32Array, got ${describe(x)}`);
  const size = s.reduce((a, b) => a * b, 1);
  if (x.length !== size) throw new ShapeError(`${name} must hold ${size} values for shape [${s.join(', ')}], got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new NonFiniteError(`${name}[${i}] must be finite, got ${describe(x[i])}`);
  }
  return x;
}

function checkX(x: unknown, shape: unknown): { x: Float32Array; shape: number[] } {
  const s = checkDims('shape', shape, 2);
  return { x: checkValues('x', x, s), shape: s };
}

/**
 * A classification dataset: `x` of shape `[n, …]`, `labels` with n integers in [0, classes). `classes` defaults to
 * max(label) + 1. Arrays are kept, not copied.
 */
export function classificationDataset(x: Float32Array, shape: readonly number[], labels: Uint8Array | Int32Array, classes?: number): Dataset<ClassLabels> {
  const c = checkX(x, shape);
  const n = c.shape[0] as number;
  if (!(labels instanceof Uint8Array) && !(labels instanceof Int32Array)) {
    throw new DomainError(`labels must be a Uint8Array or an Int32Array, got ${describe(labels)}`);
  }
  if (labels.length !== n) throw new ShapeError(`labels must hold one label per sample (${n}), got ${labels.length}`);
  let k = 0;
  if (classes === undefined) for (let i = 0; i < n; i++) k = Math.max(k, labels[i]! + 1);
  else if (!Number.isSafeInteger(classes) || classes < 1) throw new DomainError(`classes must be a positive integer, got ${describe(classes)}`);
  else k = classes;
  for (let i = 0; i < n; i++) {
    if (labels[i]! < 0 || labels[i]! >= k) throw new DomainError(`labels[${i}] must be a class index in [0, ${k - 1}], got ${labels[i]}`);
  }
  return { x: c.x, shape: c.shape, y: { kind: 'labels', values: labels, classes: k } };
}

/** A regression dataset: `x` of shape `[n, …]`, `targets` of n rows of Π targetShape finite values. */
export function regressionDataset(
  x: Float32Array,
  shape: readonly number[],
  targets: Float32Array,
  targetShape: readonly number[],
): Dataset<RegressionTargets> {
  const c = checkX(x, shape);
  const ts = checkDims('targetShape', targetShape, 1);
  const values = checkValues('targets', targets, [c.shape[0] as number, ...ts]);
  return { x: c.x, shape: c.shape, y: { kind: 'targets', values, shape: ts } };
}

/**
 * The layout of a dataset handed to a consumer (e.g. `DataLoader`), checked in O(rank), so that a hand-built or
 * damaged record is a typed error naming `name` rather than a batch of wrong rows: `x` a Float32Array of Π shape
 * values, `shape` [n, …] of at least 2 positive integers, and `y` either labels (`kind: 'labels'`, n values in a
 * Uint8Array or Int32Array, `classes` a positive integer) or targets (`kind: 'targets'`, a Float32Array of
 * n · Π y.shape values). The values themselves are the business of the factory that built the dataset.
 */
export function checkDataset(d: unknown, name: string): Dataset {
  if (typeof d !== 'object' || d === null) {
    throw new DomainError(`${name} must be a Dataset { x, shape, y } (e.g. from classificationDataset), got ${describe(d)}`);
  }
  const { x, shape, y } = d as { x?: unknown; shape?: unknown; y?: unknown };
  const s = checkDims(`${name}.shape`, shape, 2);
  const n = s[0] as number;
  const size = s.reduce((a, b) => a * b, 1);
  if (!(x instanceof Float32Array) || x.length !== size) {
    throw new ShapeError(`${name}.x must be a Float32Array of ${size} values for shape [${s.join(', ')}], got ${describe(x)}`);
  }
  const kind: unknown = typeof y === 'object' && y !== null ? (y as { kind?: unknown }).kind : undefined;
  if (kind === 'labels') {
    const { values, classes } = y as { values?: unknown; classes?: unknown };
    if (!(values instanceof Uint8Array || values instanceof Int32Array) || values.length !== n) {
      throw new ShapeError(`${name}.y.values must be a Uint8Array or Int32Array of ${n} labels (one per sample), got ${describe(values)}`);
    }
    if (typeof classes !== 'number' || !Number.isSafeInteger(classes) || classes < 1) {
      throw new DomainError(`${name}.y.classes must be a positive integer, got ${describe(classes)}`);
    }
  } else if (kind === 'targets') {
    const ts = checkDims(`${name}.y.shape`, (y as { shape?: unknown }).shape, 1);
    const m = n * ts.reduce((a, b) => a * b, 1);
    const values = (y as { values?: unknown }).values;
    if (!(values instanceof Float32Array) || values.length !== m) {
      throw new ShapeError(`${name}.y.values must be a Float32Array of ${m} targets (n·Π y.shape), got ${describe(values)}`);
    }
  } else {
    throw new DomainError(`${name}.y must be class labels { kind: 'labels', values, classes } or targets { kind: 'targets', values, shape }, got ${describe(y)}`);
  }
  return d as Dataset;
}

/** The largest `n` of `permutation`: its indices 0 … n−1 must fit an Int32Array. */
export const PERMUTATION_MAX = 2 ** 31;

/**
 * A uniformly random permutation of 0 … n−1 by Fisher–Yates: for i = n−1 down to 1, swap entries i and
 * j = rng.nextInt(i + 1). Exactly n − 1 `nextInt` draws, in that order (part of the reproducibility contract).
 * `n` must be an integer in [0, 2^31] and `rng` a RandomSource (DomainErrors naming them otherwise).
 */
export function permutation(n: number, rng: RandomSource): Int32Array {
  const count = nonNegativeIntParam('n', n);
  if (count > PERMUTATION_MAX) throw new DomainError(`n must be an integer in [0, ${PERMUTATION_MAX}] (indices are Int32), got ${describe(n)}`);
  checkRng(rng);
  const p = new Int32Array(count);
  for (let i = 0; i < count; i++) p[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    // A broken source (NaN, out of range) would silently duplicate indices; one integer compare per draw rules it out.
    if ((j | 0) !== j || j < 0 || j > i) throw new DomainError(`rng.nextInt(${i + 1}) must return an integer in [0, ${i}], got ${describe(j)}`);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
