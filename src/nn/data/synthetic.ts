/**
 * Seeded synthetic datasets for tests and demos: two moons and Gaussian blobs (classification, after scikit-learn's
 * `make_moons` / `make_blobs`) and teacher–student regression. Each uses independent streams of its seed
 * (`createStream(seed, k)`, src/init) for its separate draws, so e.g. the teacher does not change with n.
 * Arithmetic is float64; samples are stored as float32. Sizes are checked before any draw: n ≤ 2^31 (the shuffle's
 * Int32 indices, a DomainError naming n) and every array ≤ MAX_ELEMENTS (a ShapeError naming the options that size it).
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { checkElementCount } from '../../core/shape.js';
import {
  checkedOptions,
  createStream,
  finiteParam,
  nonNegativeIntParam,
  nonNegativeParam,
  optionKeys,
  positiveIntParam,
  positiveParam,
  seedToUint64,
  type Seed,
} from '../../init/index.js';
import {
  classificationDataset,
  permutation,
  PERMUTATION_MAX,
  regressionDataset,
  type ClassLabels,
  type Dataset,
  type RegressionTargets,
} from './dataset.js';

/** The sample count `n` of a generator: an integer in [1, PERMUTATION_MAX] (the shuffle's indices are Int32). */
function sampleCount(n: unknown): number {
  const count = positiveIntParam('n', n);
  if (count > PERMUTATION_MAX) throw new DomainError(`n must be an integer in [1, ${PERMUTATION_MAX}] (the samples are shuffled by Int32 indices), got ${describe(n)}`);
  return count;
}

/** Reorder the rows of x (width w) and labels by `perm`: row k of the result is row perm[k] of the input. */
function reorder(x: Float64Array, labels: Int32Array, w: number, perm: Int32Array): { x: Float32Array; labels: Int32Array } {
  const xs = new Float32Array(x.length);
  const ls = new Int32Array(labels.length);
  perm.forEach((src, k) => {
    for (let j = 0; j < w; j++) xs[k * w + j] = x[src * w + j]!;
    ls[k] = labels[src]!;
  });
  return { x: xs, labels: ls };
}

const seedOf = (o: Record<string, unknown>): bigint => {
  if (o['seed'] === undefined) throw new DomainError('options.seed is required (every random draw takes an explicit seed)');
  return seedToUint64(o['seed'] as Seed, 'options.seed');
};

/** Options of `twoMoons`. */
export interface TwoMoonsOptions {
  readonly seed: Seed;
  /** Standard deviation σ ≥ 0 of the Gaussian noise added to each coordinate; default 0.1. */
  readonly noise?: number;
}

/**
 * Two interleaving half circles in 2-D (scikit-learn `make_moons`), n ≥ 2 samples, labels 0 / 1. With
 * n0 = ⌊n/2⌋, n1 = n − n0 and t_i = π·i/(m − 1) (m the half's size; t = 0 when m = 1):
 *
 *     class 0, i < n0:  (cos t_i, sin t_i)
 *     class 1, i < n1:  (1 − cos t_i, 1 − sin t_i − 0.5)
 *
 * then each coordinate + σ·z, z ~ N(0, 1) from stream 0 (rows in the order above, x then y), and the rows shuffled by
 * a Fisher–Yates permutation from stream 1.
 */
export function twoMoons(n: number, options: TwoMoonsOptions): Dataset<ClassLabels> {
  const count = sampleCount(n);
  if (count < 2) throw new DomainError(`n must be at least 2 (one sample per moon), got ${count}`);
  const o = checkedOptions('twoMoons', options, optionKeys<TwoMoonsOptions>({ seed: true, noise: true }));
  const seed = seedOf(o);
  const noise = nonNegativeParam('options.noise', o['noise'], 0.1);
  const n0 = Math.floor(count / 2);
  const x = new Float64Array(2 * count);
  const labels = new Int32Array(count);
  const angle = (i: number, m: number): number => (m === 1 ? 0 : (Math.PI * i) / (m - 1));
  for (let r = 0; r < count; r++) {
    const inner = r >= n0;
    const t = inner ? angle(r - n0, count - n0) : angle(r, n0);
    x[2 * r] = inner ? 1 - Math.cos(t) : Math.cos(t);
    x[2 * r + 1] = inner ? 1 - Math.sin(t) - 0.5 : Math.sin(t);
    labels[r] = inner ? 1 : 0;
  }
  const rng = createStream(seed, 0);
  for (let i = 0; i < x.length; i++) x[i] += noise * rng.nextNormal();
  const s = reorder(x, labels, 2, permutation(count, createStream(seed, 1)));
  return classificationDataset(s.x, [count, 2], s.labels, 2);
}

/** Options of `gaussianBlobs`. */
export interface GaussianBlobsOptions {
  readonly seed: Seed;
  /** Number of blobs k (default 3, centres drawn at random) or the centres themselves (k rows of `dim` numbers). */
  readonly centers?: number | readonly (readonly number[])[];
  /** Dimension of the samples when the centres are drawn; default 2. */
  readonly dim?: number;
  /** Standard deviation σ > 0 of every blob; default 1. */
  readonly std?: number;
  /** Drawn centres are uniform on [−box, box)^dim; default 10 (scikit-learn's center_box). */
  readonly box?: number;
}

/**
 * Isotropic Gaussian blobs (scikit-learn `make_blobs`): k centres c_j, either given or drawn
 * c_j ~ U[−box, box)^dim from stream 0 (row by row); blob j gets ⌊n/k⌋ samples plus one if j < n mod k, each
 * x = c_j + σ·z, z ~ N(0, I) from stream 1 (blob by blob, row by row), label j; the rows are then shuffled by a
 * Fisher–Yates permutation from stream 2. Returns the dataset and the centres used.
 */
export function gaussianBlobs(n: number, options: GaussianBlobsOptions): Dataset<ClassLabels> & { readonly centers: number[][] } {
  const count = sampleCount(n);
  const keys = optionKeys<GaussianBlobsOptions>({ seed: true, centers: true, dim: true, std: true, box: true });
  const o = checkedOptions('gaussianBlobs', options, keys);
  const seed = seedOf(o);
  const std = positiveParam('options.std', o['std'], 1);
  const given = o['centers'];
  let centers: number[][];
  if (Array.isArray(given)) {
    if (o['dim'] !== undefined || o['box'] !== undefined) throw new DomainError('options.dim and options.box apply to drawn centres only; the given options.centers fix them');
    if (given.length === 0 || !given.every((c) => Array.isArray(c) && c.length > 0 && c.length === (given[0] as unknown[]).length)) {
      throw new ShapeError(`options.centers must be k ≥ 1 rows of the same positive length, got ${describe(given)}`);
    }
    centers = given.map((c, j) => (c as unknown[]).map((v, i) => finiteParam(`options.centers[${j}][${i}]`, v)));
    checkElementCount(`x (n·(length of a centre) = ${count}·${(centers[0] as number[]).length})`, count * (centers[0] as number[]).length);
  } else {
    const k = positiveIntParam('options.centers', given, 3);
    const dim = positiveIntParam('options.dim', o['dim'], 2);
    const box = positiveParam('options.box', o['box'], 10);
    checkElementCount(`the drawn centres (options.centers·options.dim = ${k}·${dim})`, k * dim);
    checkElementCount(`x (n·options.dim = ${count}·${dim})`, count * dim);
    const rng = createStream(seed, 0);
    centers = Array.from({ length: k }, () => Array.from({ length: dim }, () => -box + 2 * box * rng.nextFloat64()));
  }
  const k = centers.length;
  const dim = (centers[0] as number[]).length;
  const x = new Float64Array(count * dim);
  const labels = new Int32Array(count);
  const rng = createStream(seed, 1);
  let r = 0;
  centers.forEach((c, j) => {
    const m = Math.floor(count / k) + (j < count % k ? 1 : 0);
    for (let s = 0; s < m; s++, r++) {
      for (let i = 0; i < dim; i++) x[r * dim + i] = c[i]! + std * rng.nextNormal();
      labels[r] = j;
    }
  });
  const s = reorder(x, labels, dim, permutation(count, createStream(seed, 2)));
  return { ...classificationDataset(s.x, [count, dim], s.labels, k), centers };
}

/** Options of `teacherStudent`. */
export interface TeacherStudentOptions {
  readonly seed: Seed;
  /** Input dimension d (a positive integer). */
  readonly inputDim: number;
  /** Hidden width m of the teacher; 0 (default) gives a linear teacher. */
  readonly hidden?: number;
  /** Output dimension k; default 1. */
  readonly outputDim?: number;
  /** Standard deviation σ ≥ 0 of the label noise; default 0. */
  readonly noise?: number;
}

/** The teacher of `teacherStudent`: row-major weights (PyTorch layout [out, in]), float64. */
export interface Teacher {
  /** [m, d] for a ReLU teacher, [k, d] for a linear one. */
  readonly W1: Float64Array;
  /** [k, m] for a ReLU teacher; null for a linear one. */
  readonly W2: Float64Array | null;
}

/**
 * Teacher–student regression: inputs x ~ N(0, I_d) and targets from a fixed random teacher,
 *
 *     linear (hidden = 0):  y = W1 x + σ ε,            W1 ~ N(0, 1/d)  [k, d]
 *     ReLU   (hidden = m):  y = W2 relu(W1 x) + σ ε,    W1 ~ N(0, 2/d)  [m, d],   W2 ~ N(0, 1/m)  [k, m]
 *
 * so E[y²] ≈ 1 without noise (He scaling of the teacher). Draws: teacher weights from stream 0 (W1 then W2,
 * row-major), inputs from stream 1 (row by row), noise ε ~ N(0, 1) from stream 2 (row by row).
 */
export function teacherStudent(n: number, options: TeacherStudentOptions): Dataset<RegressionTargets> & { readonly teacher: Teacher } {
  const count = sampleCount(n);
  const keys = optionKeys<TeacherStudentOptions>({ seed: true, inputDim: true, hidden: true, outputDim: true, noise: true });
  const o = checkedOptions('teacherStudent', options, keys);
  const seed = seedOf(o);
  const d = positiveIntParam('options.inputDim', o['inputDim']);
  const m = nonNegativeIntParam('options.hidden', o['hidden'], 0);
  const k = positiveIntParam('options.outputDim', o['outputDim'], 1);
  const noise = nonNegativeParam('options.noise', o['noise'], 0);
  checkElementCount(`x (n·options.inputDim = ${count}·${d})`, count * d);
  checkElementCount(`the targets (n·options.outputDim = ${count}·${k})`, count * k);
  checkElementCount(`the teacher's W1 (${m === 0 ? `options.outputDim·options.inputDim = ${k}` : `options.hidden·options.inputDim = ${m}`}·${d})`, (m === 0 ? k : m) * d);
  checkElementCount(`the teacher's W2 (options.outputDim·options.hidden = ${k}·${m})`, k * m);
  const wr = createStream(seed, 0);
  const normals = (len: number, std: number): Float64Array => Float64Array.from({ length: len }, () => std * wr.nextNormal());
  const W1 = m === 0 ? normals(k * d, Math.sqrt(1 / d)) : normals(m * d, Math.sqrt(2 / d));
  const W2 = m === 0 ? null : normals(k * m, Math.sqrt(1 / m));
  const xr = createStream(seed, 1);
  const er = createStream(seed, 2);
  const x = new Float32Array(count * d);
  const y = new Float32Array(count * k);
  const xi = new Float64Array(d);
  const h = new Float64Array(Math.max(m, 1));
  const dot = (w: Float64Array, row: number, v: Float64Array, len: number): number => {
    let s = 0;
    for (let j = 0; j < len; j++) s += w[row * len + j]! * v[j]!;
    return s;
  };
  for (let r = 0; r < count; r++) {
    // the teacher sees the stored float32 input, so a perfect student can fit the data exactly
    for (let j = 0; j < d; j++) {
      x[r * d + j] = xr.nextNormal();
      xi[j] = x[r * d + j]!;
    }
    if (W2 !== null) for (let u = 0; u < m; u++) h[u] = Math.max(0, dot(W1, u, xi, d));
    for (let c = 0; c < k; c++) {
      const clean = W2 === null ? dot(W1, c, xi, d) : dot(W2, c, h, m);
      y[r * k + c] = clean + noise * er.nextNormal();
    }
  }
  return { ...regressionDataset(x, [count, d], y, [k]), teacher: { W1, W2 } };
}
