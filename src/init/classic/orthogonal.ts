/**
 * Orthogonal initialization (docs/schemes/classic.md): PyTorch `orthogonal_` after Saxe, McClelland & Ganguli (2013,
 * arXiv:1312.6120), with the Haar-measure sign fix of Mezzadri (2007, arXiv:math-ph/0609050).
 *
 * 1. rank ≥ 2; rows = shape[0], cols = Π shape[1:] (trailing dimensions flattened).
 * 2. Draw a rows × cols matrix of nextNormal() in row-major order; if rows < cols work with its transpose (tall A).
 * 3. Thin QR of A in float64 by Householder reflections: A = Q R.
 * 4. Multiply column j of Q by sign(R[j][j]) with sign(0) := +1 (PyTorch's sign(0) = 0 would zero a column).
 * 5. Transpose back if needed; W = gain·Q.
 *
 * Then W Wᵀ = gain²·I (rows ≤ cols) or Wᵀ W = gain²·I (rows ≥ cols). Keras flattens to (Π shape[:−1], shape[−1]) and
 * JAX uses column_axis = −1, so orthogonality there is along the other axis.
 */
import { DomainError, NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import { checkedOptions, finiteParam, optionKeys, positiveIntParam } from '../support/options.js';
import { checkRng, type RandomSource } from '../support/rng.js';
import { allocate, resolveDType, type DTypeOptions, type FloatArray, type Shape } from '../../core/index.js';
import { checkInitShape } from '../support/size.js';

export interface OrthogonalOptions extends DTypeOptions {
  /** Multiplier, default 1. */
  readonly gain?: number;
}

/** Most work `householderQ` accepts: m·n² ≤ 1e9 multiply-adds (a second or two in plain loops). */
export const MAX_HOUSEHOLDER_WORK = 1e9;

/**
 * Q factor (m × n, m ≥ n, row-major) of the thin QR of the row-major m × n matrix `A` (overwritten), with columns
 * sign-corrected so that the implied R has a non-negative diagonal (sign(0) := +1). `A` a Float64Array of m·n finite
 * entries, m ≥ n ≥ 1 integers with m·n² ≤ MAX_HOUSEHOLDER_WORK (errors name each argument, before any work).
 */
export function householderQ(A: Float64Array, m: number, n: number): Float64Array {
  const mm = positiveIntParam('m', m);
  const nn = positiveIntParam('n', n);
  if (nn > mm) throw new ShapeError(`householderQ needs a tall matrix: n must be <= m = ${mm}, got n = ${nn}`);
  if (!(mm * nn * nn <= MAX_HOUSEHOLDER_WORK)) {
    throw new DomainError(`householderQ work m·n² = ${mm}·${nn}² exceeds MAX_HOUSEHOLDER_WORK = ${MAX_HOUSEHOLDER_WORK}`);
  }
  if (!(A instanceof Float64Array)) throw new ShapeError(`A must be a Float64Array of m·n = ${mm * nn} entries, got ${describe(A)}`);
  if (A.length !== mm * nn) throw new ShapeError(`A must have m·n = ${mm}·${nn} = ${mm * nn} entries, got ${A.length}`);
  for (let k = 0; k < A.length; k++) {
    if (!Number.isFinite(A[k])) throw new NonFiniteError(`A[${Math.floor(k / nn)}, ${k % nn}] must be finite, got ${describe(A[k])}`);
  }
  return thinQ(A, mm, nn);
}

/** `householderQ` on checked arguments (orthogonal's own draws). */
function thinQ(A: Float64Array, m: number, n: number): Float64Array {
  const vs: Float64Array[] = [];
  const signs = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const len = m - j;
    const v = new Float64Array(len);
    let norm2 = 0;
    for (let i = 0; i < len; i++) {
      const x = A[(j + i) * n + j] as number;
      v[i] = x;
      norm2 += x * x;
    }
    const norm = Math.sqrt(norm2);
    if (norm === 0) {
      // column already zero below the diagonal: identity reflector, R[j][j] = 0 → sign +1
      vs.push(new Float64Array(0));
      signs[j] = 1;
      continue;
    }
    const x0 = v[0] as number;
    const alpha = x0 >= 0 ? -norm : norm; // R[j][j] = alpha (no cancellation in v0 = x0 − alpha)
    v[0] = x0 - alpha;
    let vn2 = 0;
    for (let i = 0; i < len; i++) vn2 += (v[i] as number) * (v[i] as number);
    if (vn2 === 0) {
      vs.push(new Float64Array(0));
      signs[j] = alpha >= 0 ? 1 : -1;
      continue;
    }
    const beta = 2 / vn2;
    // apply H = I − beta v vᵀ to A[j:, j:]
    for (let c = j; c < n; c++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += (v[i] as number) * (A[(j + i) * n + c] as number);
      const f = beta * dot;
      if (f !== 0) for (let i = 0; i < len; i++) A[(j + i) * n + c] = (A[(j + i) * n + c] as number) - f * (v[i] as number);
    }
    vs.push(v);
    signs[j] = alpha >= 0 ? 1 : -1;
  }
  // Q = H_0 H_1 … H_{n−1} · I[:, :n], applied from the last reflector to the first
  const Q = new Float64Array(m * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  for (let j = n - 1; j >= 0; j--) {
    const v = vs[j] as Float64Array;
    const len = v.length;
    if (len === 0) continue;
    let vn2 = 0;
    for (let i = 0; i < len; i++) vn2 += (v[i] as number) * (v[i] as number);
    const beta = 2 / vn2;
    for (let c = 0; c < n; c++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += (v[i] as number) * (Q[(j + i) * n + c] as number);
      const f = beta * dot;
      if (f !== 0) for (let i = 0; i < len; i++) Q[(j + i) * n + c] = (Q[(j + i) * n + c] as number) - f * (v[i] as number);
    }
  }
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) Q[i * n + c] = (Q[i * n + c] as number) * (signs[c] as number);
  return Q;
}

/** Orthogonal init (see the module comment). Draws rows·cols normals before the QR. */
export function orthogonal(shape: Shape, rng: RandomSource, options: OrthogonalOptions = {}): FloatArray {
  const o = checkedOptions('orthogonal', options, optionKeys<OrthogonalOptions>({ gain: true, dtype: true }));
  const size = checkInitShape(shape, 'shape', 2);
  const gain = finiteParam('gain', o['gain'], 1);
  const dtype = resolveDType(o['dtype']); // every option is parsed before the rows·cols draws
  checkRng(rng);
  const rows = shape[0] as number;
  const cols = size / rows;
  const M = new Float64Array(size);
  for (let i = 0; i < size; i++) M[i] = rng.nextNormal();
  const out = allocate(size, dtype);
  if (rows >= cols) {
    const Q = thinQ(M, rows, cols);
    for (let i = 0; i < size; i++) out[i] = gain * (Q[i] as number);
  } else {
    // A = Mᵀ (cols × rows), tall
    const A = new Float64Array(size);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) A[c * rows + r] = M[r * cols + c] as number;
    const Q = thinQ(A, cols, rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (Q[c * rows + r] as number);
  }
  return out;
}
