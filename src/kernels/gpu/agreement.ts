import type { FloatArray, MatmulFlags } from '../backend.js';
import { CpuBackend } from '../cpu/backend.js';

/**
 * How far a float32 GPU result may lie from the CPU reference, and how far it does lie. Shared by
 * `initlab doctor` and the GPU tests so that both judge agreement by the same bound.
 */

/** Machine epsilon of float32 (2^-23); the unit roundoff u is eps32 / 2. */
export const EPS32 = 2 ** -23;

/** Smallest normal float32: GPUs may flush anything below it to zero. */
const MIN_NORMAL32 = 2 ** -126;

/**
 * Per-entry bound on |C_gpu - C_cpu| for C = op(A) op(B) (+ bias[j]), optionally through ReLU.
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
  const abs = (x: FloatArray): Float64Array => Float64Array.from(x, Math.abs);
  // Float64 operands: |A||B| itself is computed (almost) exactly.
  const magnitude = new CpuBackend().matmul(abs(a), abs(b), m, k, n, flags);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const mag = magnitude[i * n + j] + (bias === null ? 0 : Math.abs(bias[j]));
      bound[i * n + j] = (k + 2) * EPS32 * mag + k * MIN_NORMAL32;
    }
  }
  return bound;
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
