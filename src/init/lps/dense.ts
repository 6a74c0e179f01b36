/**
 * LPS-R for one dense layer: the per-layer data-anchored solve of the reconstruction (see the folder's module
 * comment in `lps/index.ts` and docs/schemes/lps.md).
 *
 * Idea (reconstruction): pick k anchor samples of the layer's input batch and solve for all neurons at once the
 * linear system
 *
 *     w_j · a(x_s) + b_j = t_{s,j}   for every anchor s            (★)
 *
 * with random right-hand sides t (minimum-norm solution), then multiply the whole layer by one positive c so that
 * the batch mean of z² equals q. A positive scale keeps every anchor sign, so each neuron is active on about half
 * of its anchors (faithful mode) or on all of them (LPS-R+).
 *
 * | mode              | anchors k                        | targets t       | null-space term                    |
 * |-------------------|----------------------------------|-----------------|------------------------------------|
 * | 'faithful'        | min(n+1, B, rank)                | N(0, 1)         | none (minimum norm)                |
 * | 'plus' (LPS-R+)   | min(n+1, B, rank, kMax = 256)    | U(0.1, 1.0)     | N(0, 2/n) projected on null(A_S)   |
 *
 * Numerics: anchors are chosen in random order by Gram–Schmidt with re-orthogonalisation (a row is kept when its
 * residual exceeds `anchorTol`·‖row‖, default 1e-8), which yields A_S = R·Q with Q orthonormal rows and R lower
 * triangular; the minimum-norm solution is Θ = Qᵀ R⁻¹ T (equivalent to a QR of A_Sᵀ; no normal equations).
 * All arithmetic is float64; storage is float32 unless `dtype: 'float64'`.
 *
 * Draw order (part of the reproducibility contract), from the layer's generator: anchor order by partial
 * Fisher–Yates (one `nextInt` per candidate examined), targets k×m row-major, then (LPS-R+ with k < n+1 only) the
 * null-space Gaussian (n+1)×m row-major.
 */
import { NonFiniteError, ShapeError, assertPositiveInt, describe } from '../../core/errors.js';
import { allocate } from '../../core/index.js';
import type { Batch } from '../support/mlp.js';
import { checkRng, type RandomSource } from '../support/rng.js';
import { checkElementCount } from '../../core/index.js';
import { type LpsOptions, type ResolvedLpsOptions, parseLpsOptions } from './options.js';

/** Result of {@link lpsDense} (and per layer of `lpsInitMLP`). */
export interface LpsDenseResult {
  /** Weights `[fanOut, fanIn]` row-major. */
  readonly W: Float32Array | Float64Array;
  /** Bias, length fanOut. */
  readonly b: Float32Array | Float64Array;
  /** Anchor row indices into the feature batch, in acceptance order. */
  readonly anchors: number[];
  /** Scaled targets c·T, k × fanOut row-major: the pre-activations at the anchors. */
  readonly targets: Float64Array;
  /** The positive per-layer scale c. */
  readonly scale: number;
  /** Number of anchors k. */
  readonly k: number;
  /** Fan-in n of the layer. */
  readonly fanIn: number;
  /** Fan-out m of the layer. */
  readonly fanOut: number;
}

/**
 * Validate a row-major batch argument named `name`: ShapeError for an empty batch or inconsistent sizes,
 * NonFiniteError naming the entry for a non-finite value. Internal.
 */
export function checkBatch(batch: unknown, name: string): Batch {
  if (typeof batch !== 'object' || batch === null) throw new ShapeError(`${name} must be a batch {rows, cols, data}, got ${describe(batch)}`);
  const { rows, cols, data } = batch as { rows: unknown; cols: unknown; data: unknown };
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 1) {
    throw new ShapeError(`${name} must contain at least one sample (${name}.rows >= 1), got rows = ${describe(rows)}`);
  }
  if (typeof cols !== 'number' || !Number.isInteger(cols) || cols < 1) {
    throw new ShapeError(`${name}.cols must be a positive integer, got ${describe(cols)}`);
  }
  if (typeof data !== 'object' || data === null || typeof (data as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(`${name}.data must be an array-like of numbers, got ${describe(data)}`);
  }
  const d = data as ArrayLike<number>;
  if (d.length !== rows * cols) throw new ShapeError(`${name}.data must have rows·cols = ${rows}·${cols} = ${rows * cols} entries, got ${d.length}`);
  for (let k = 0; k < d.length; k++) {
    const x = d[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new NonFiniteError(`${name}.data[${Math.floor(k / cols)}, ${k % cols}] must be finite, got ${describe(x)}`);
    }
  }
  return { rows, cols, data: d };
}

/**
 * One step of a partial Fisher–Yates shuffle: swap `perm[t]` with a uniform pick among `perm[t..]` (one
 * `rng.nextInt(perm.length - t)` draw) and return the new `perm[t]`. Internal (anchor order, patch subsampling).
 */
export function fisherYatesStep(perm: Int32Array, t: number, rng: RandomSource): number {
  const pick = t + rng.nextInt(perm.length - t);
  const tmp = perm[t]!;
  perm[t] = perm[pick]!;
  perm[pick] = tmp;
  return perm[t]!;
}

/**
 * The per-layer anchored solve (★) on a validated feature matrix `A` (B × n) for m = `m` neurons, with resolved
 * options: anchors, targets, minimum-norm solution, LPS-R+ null-space term, positive rescale. Internal: callers
 * validate `A`, `m` and the options at their boundary.
 */
export function lpsSolve(A: Batch, m: number, rng: RandomSource, o: ResolvedLpsOptions): LpsDenseResult {
  const B = A.rows;
  const n = A.cols;
  const n1 = n + 1;
  const data = A.data;
  const kWant = o.kMax === null ? Math.min(n1, B) : Math.min(n1, B, o.kMax);

  // --- anchor selection: random order (partial Fisher–Yates), Gram–Schmidt with re-orthogonalisation
  const perm = new Int32Array(B);
  for (let i = 0; i < B; i++) perm[i] = i;
  const Q: Float64Array[] = []; // orthonormal rows, length n+1
  const R: Float64Array[] = []; // R[s][t], t ≤ s: row s of A_S = Σ_t R[s][t]·Q[t]
  const anchors: number[] = [];
  const row = new Float64Array(n1);
  for (let t = 0; t < B && Q.length < kWant; t++) {
    const s = fisherYatesStep(perm, t, rng);
    let norm0 = 1; // the ones column
    for (let i = 0; i < n; i++) {
      row[i] = data[s * n + i]!;
      norm0 += row[i]! * row[i]!;
    }
    row[n] = 1;
    norm0 = Math.sqrt(norm0);
    const k = Q.length;
    const coef = new Float64Array(k + 1);
    for (let pass = 0; pass < 2; pass++) {
      for (let u = 0; u < k; u++) {
        const qu = Q[u]!;
        let d = 0;
        for (let i = 0; i < n1; i++) d += qu[i]! * row[i]!;
        coef[u] += d;
        for (let i = 0; i < n1; i++) row[i] -= d * qu[i]!;
      }
    }
    let rn = 0;
    for (let i = 0; i < n1; i++) rn += row[i]! * row[i]!;
    rn = Math.sqrt(rn);
    if (rn > o.anchorTol * norm0) {
      const qk = new Float64Array(n1);
      for (let i = 0; i < n1; i++) qk[i] = row[i]! / rn;
      coef[k] = rn;
      Q.push(qk);
      R.push(coef);
      anchors.push(s);
    }
  }
  const k = Q.length;

  // --- targets
  const T = new Float64Array(k * m);
  if (o.mode === 'plus') for (let i = 0; i < T.length; i++) T[i] = 0.1 + 0.9 * rng.nextFloat64();
  else for (let i = 0; i < T.length; i++) T[i] = rng.nextNormal();

  // --- minimum-norm solution Θ = Qᵀ R⁻¹ T  ((n+1) × m)
  const Y = new Float64Array(k * m);
  for (let s = 0; s < k; s++) {
    const Rs = R[s]!;
    for (let j = 0; j < m; j++) {
      let v = T[s * m + j]!;
      for (let t = 0; t < s; t++) v -= Rs[t]! * Y[t * m + j]!;
      Y[s * m + j] = v / Rs[s]!;
    }
  }
  const Theta = new Float64Array(n1 * m);
  for (let s = 0; s < k; s++) {
    const qs = Q[s]!;
    for (let i = 0; i < n1; i++) {
      const qi = qs[i]!;
      if (qi === 0) continue;
      for (let j = 0; j < m; j++) Theta[i * m + j] += qi * Y[s * m + j]!;
    }
  }
  // --- LPS-R+: random component in the null space of A_S
  if (o.mode === 'plus' && k < n1) {
    const std = Math.sqrt(2 / n);
    const G = new Float64Array(n1 * m);
    for (let i = 0; i < G.length; i++) G[i] = std * rng.nextNormal();
    for (let pass = 0; pass < 2; pass++) {
      for (let s = 0; s < k; s++) {
        const qs = Q[s]!;
        for (let j = 0; j < m; j++) {
          let d = 0;
          for (let i = 0; i < n1; i++) d += qs[i]! * G[i * m + j]!;
          for (let i = 0; i < n1; i++) G[i * m + j] -= d * qs[i]!;
        }
      }
    }
    for (let i = 0; i < Theta.length; i++) Theta[i] += G[i]!;
  }

  // --- per-layer positive rescale to mean z² = q over the batch
  let sumSq = 0;
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < m; j++) {
      let zz = Theta[n * m + j]!;
      for (let i = 0; i < n; i++) zz += data[r * n + i]! * Theta[i * m + j]!;
      sumSq += zz * zz;
    }
  }
  const meanSq = sumSq / (B * m);
  const c = meanSq > 0 && Number.isFinite(meanSq) ? Math.sqrt(o.q / meanSq) : 1;
  const W = allocate(m * n, o.dtype);
  const b = allocate(m, o.dtype);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) W[j * n + i] = c * Theta[i * m + j]!;
    b[j] = c * Theta[n * m + j]!;
  }
  const targets = Float64Array.from(T, (t) => c * t);
  return { W, b, anchors, targets, scale: c, k, fanIn: n, fanOut: m };
}

/**
 * LPS-R (reconstruction of the LPS initialization of Chen, Hao & He, arXiv:2109.00125) for one dense layer:
 * `features` is the B × n matrix of the layer's inputs on the batch (row-major), `fanOut` the number of neurons m.
 * Solves (★) w_j·a(x_s) + b_j = t_{s,j} at k anchors (minimum norm), then rescales the layer to mean z² = q.
 * Returns W `[m, n]`, b `[m]`, the anchors and the scaled targets.
 * Throws DomainError for bad options (before any work), ShapeError for an empty batch or bad sizes, NonFiniteError
 * for non-finite features.
 */
export function lpsDense(features: Batch, fanOut: number, rng: RandomSource, options?: LpsOptions): LpsDenseResult {
  const o = parseLpsOptions(options, 'lpsDense');
  const A = checkBatch(features, 'features');
  assertPositiveInt('fanOut', fanOut);
  checkElementCount(`W (fanOut·features.cols = ${fanOut}·${A.cols})`, fanOut * A.cols);
  checkElementCount(`the outputs (fanOut·features.rows = ${fanOut}·${A.rows})`, fanOut * A.rows);
  checkRng(rng);
  return lpsSolve(A, fanOut, rng, o);
}
