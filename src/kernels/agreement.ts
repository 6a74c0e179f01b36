import type { FloatArray, MatmulFlags } from './backend.js';

/**
 * How far a float32 result may lie from the reference backend's, and how far it does lie. Shared by
 * `initlab doctor` and the backend tests so that both judge agreement by the same bound. Backend-neutral:
 * this file names no backend, and computes |A||B| with its own loop rather than with a kernel under test.
 */

/** Machine epsilon of float32 (2^-23); the unit roundoff u is eps32 / 2. */
export const EPS32 = 2 ** -23;

/** Smallest normal float32: GPUs may flush anything below it to zero. */
const MIN_NORMAL32 = 2 ** -126;

/**
 * Per-entry bound on |C_float32 - C_reference| for C = op(A) op(B) (+ bias[j]), optionally through ReLU.
 *
 * Derivation: a dot product of length k summed in float32 has error at most γ_k · Σ_p |a_p b_p|,
 * γ_k = k u / (1 - k u) (Higham, Accuracy and Stability of Numerical Algorithms, §3.1); the bias
 * adds one more rounding (γ_{k+1} over |A||B| + |bias|) and the CPU reference rounds once at its
 * store (u |C|). That gives (k + 2) u ((|A||B|)_ij + |bias_j|). Shader arithmetic need not round
 * correctly (GPUs may be off by up to 1 ulp, not 1/2), so we allow twice that:
 *   |Δ_ij| ≤ (k + 2) · eps32 · ((|A||B|)_ij + |bias_j|)  +  k · 2^-126 (flushed subnormal products).
 * ReLU is 1-Lipschitz, so the same bound holds after it.
 */
export function gemmErrorBound(
  a: FloatArray, b: FloatArray, bias: FloatArray | null, m: number, k: number, n: number, flags: MatmulFlags = {},
): Float64Array {
  const magnitude = absProduct(a, b, m, k, n, flags);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const mag = magnitude[i * n + j] + (bias === null ? 0 : Math.abs(bias[j]));
      bound[i * n + j] = (k + 2) * EPS32 * mag + k * MIN_NORMAL32;
    }
  }
  return bound;
}

/**
 * (|op(A)| |op(B)|)_ij in float64, so computed (almost) exactly: k nonnegative terms each rounded once,
 * relative error ≤ k · 2^-53, far below the float32 bound it feeds. Loop order p-i-j: each row of
 * |op(B)| is gathered once.
 */
function absProduct(a: FloatArray, b: FloatArray, m: number, k: number, n: number, flags: MatmulFlags): Float64Array {
  // Strides of A(i, p) and B(p, j) in their stored layouts (as in the GPU gemm kernel).
  const [sai, sap] = flags.transposeA === true ? [1, m] : [k, 1];
  const [sbp, sbj] = flags.transposeB === true ? [1, k] : [n, 1];
  const out = new Float64Array(m * n);
  const row = new Float64Array(n);
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < n; j++) row[j] = Math.abs(b[p * sbp + j * sbj]);
    for (let i = 0; i < m; i++) {
      const av = Math.abs(a[i * sai + p * sap]);
      const o = i * n;
      for (let j = 0; j < n; j++) out[o + j] += av * row[j];
    }
  }
  return out;
}

/** How a result compares with its reference under a per-entry bound. */
export interface Agreement {
  /** max |got - ref| */
  maxAbs: number;
  /** max |got - ref| / |ref| over entries with ref ≠ 0 */
  maxRel: number;
  /** max |got - ref| / bound: ≤ 1 means within the bound everywhere */
  worstRatio: number;
  /** Index of the worst entry (by ratio), -1 when empty. */
  worstIndex: number;
  ok: boolean;
}

/** Compare `got` with `ref` entrywise against `bound`; NaN in only one of them is a disagreement. */
export function agreement(got: ArrayLike<number>, ref: ArrayLike<number>, bound: ArrayLike<number>): Agreement {
  let maxAbs = 0;
  let maxRel = 0;
  let worstRatio = 0;
  let worstIndex = -1;
  let ok = got.length === ref.length;
  for (let i = 0; i < Math.min(got.length, ref.length); i++) {
    const d = Number.isNaN(got[i]) && Number.isNaN(ref[i]) ? 0 : Math.abs(got[i] - ref[i]);
    if (!(d <= bound[i])) ok = false;
    maxAbs = Math.max(maxAbs, d);
    if (ref[i] !== 0) maxRel = Math.max(maxRel, d / Math.abs(ref[i]));
    const ratio = d === 0 ? 0 : bound[i] > 0 ? d / bound[i] : Infinity;
    if (worstIndex < 0 || ratio > worstRatio || Number.isNaN(ratio)) {
      worstRatio = ratio;
      worstIndex = i;
    }
  }
  return { maxAbs, maxRel, worstRatio, worstIndex, ok };
}
