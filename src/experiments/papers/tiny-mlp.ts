/**
 * Plain float64 loops for the small ReLU MLPs of the lps preset (widths like 1-4-…-4-1 on a batch of a hundred rows):
 * the forward pass, full-batch Adam on the mean squared error with hand-written backpropagation, and the spectral
 * condition number of a square weight matrix. Loops beat the tensor engine by far at these sizes.
 */
import type { LayerTensors } from '../../init/index.js';

/** A layer as float64 arrays: W [out, in] row-major, b [out]. */
export interface DenseF64 {
  readonly out: number;
  readonly inp: number;
  readonly W: Float64Array;
  readonly b: Float64Array;
}

/** Copy registry layers into float64 (a missing bias is zero). */
export const toF64 = (layers: readonly LayerTensors[]): DenseF64[] =>
  layers.map((l) => ({ out: l.shape[0] as number, inp: l.shape[1] as number, W: Float64Array.from(l.W), b: l.b === undefined ? new Float64Array(l.shape[0] as number) : Float64Array.from(l.b) }));

/** Activations of every layer for `rows` inputs x (row-major): acts[0] = x, acts[l] = ReLU(W_l acts[l−1] + b_l), the last linear. */
export function forward(net: readonly DenseF64[], x: Float64Array, rows: number): Float64Array[] {
  const acts = [x];
  net.forEach((L, l) => {
    const prev = acts[l]!;
    const y = new Float64Array(rows * L.out);
    const relu = l < net.length - 1;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < L.out; i++) {
        let acc = L.b[i]!;
        for (let j = 0; j < L.inp; j++) acc += L.W[i * L.inp + j]! * prev[r * L.inp + j]!;
        y[r * L.out + i] = relu && acc < 0 ? 0 : acc;
      }
    }
    acts.push(y);
  });
  return acts;
}

/** Mean squared error of a one-output net on (x, y). */
export function mse(net: readonly DenseF64[], x: Float64Array, y: Float64Array): number {
  const out = forward(net, x, y.length)[net.length]!;
  let s = 0;
  for (let r = 0; r < y.length; r++) s += (out[r]! - y[r]!) ** 2;
  return s / y.length;
}

/**
 * Train a one-output net in place with full-batch Adam (β = 0.9, 0.999, ε = 1e-8) on the MSE for `steps` steps at
 * rate `lr`; returns the final MSE (NaN if it diverged).
 */
export function trainAdam(net: DenseF64[], x: Float64Array, y: Float64Array, steps: number, lr: number): number {
  const rows = y.length;
  const params = net.flatMap((L) => [L.W, L.b]);
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  const g = params.map((p) => new Float64Array(p.length));
  for (let t = 1; t <= steps; t++) {
    const acts = forward(net, x, rows);
    let delta = new Float64Array(rows);
    const out = acts[net.length]!;
    for (let r = 0; r < rows; r++) delta[r] = (2 * (out[r]! - y[r]!)) / rows;
    for (let l = net.length - 1; l >= 0; l--) {
      const L = net[l]!;
      const gW = g[2 * l]!.fill(0);
      const gb = g[2 * l + 1]!.fill(0);
      const prev = acts[l]!;
      const back = new Float64Array(rows * L.inp);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < L.out; i++) {
          const d = delta[r * L.out + i]!;
          if (d === 0) continue;
          gb[i] += d;
          for (let j = 0; j < L.inp; j++) {
            gW[i * L.inp + j] += d * prev[r * L.inp + j]!;
            back[r * L.inp + j] += d * L.W[i * L.inp + j]!;
          }
        }
      }
      // Through the ReLU of the layer below (its output is acts[l]; zero where it was clipped).
      if (l > 0) for (let k = 0; k < back.length; k++) if (!(prev[k]! > 0)) back[k] = 0;
      delta = back;
    }
    const c1 = 1 - 0.9 ** t;
    const c2 = 1 - 0.999 ** t;
    params.forEach((p, k) => {
      const gk = g[k]!, mk = m[k]!, vk = v[k]!;
      for (let i = 0; i < p.length; i++) {
        mk[i] = 0.9 * mk[i]! + 0.1 * gk[i]!;
        vk[i] = 0.999 * vk[i]! + 0.001 * gk[i]! ** 2;
        p[i] -= (lr * (mk[i]! / c1)) / (Math.sqrt(vk[i]! / c2) + 1e-8);
      }
    });
  }
  const e = mse(net, x, y);
  return Number.isFinite(e) ? e : NaN;
}

/** σ_max/σ_min of a square n×n matrix W (row-major), from the eigenvalues of WᵀW by cyclic Jacobi; Infinity when singular. */
export function conditionNumber(W: Float64Array, n: number): number {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += W[k * n + i]! * W[k * n + j]!;
    A[i * n + j] = s;
  }
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = A[p * n + q]!;
      if (apq === 0) continue;
      const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; k++) {
        const akp = A[k * n + p]!, akq = A[k * n + q]!;
        A[k * n + p] = c * akp - s * akq;
        A[k * n + q] = s * akp + c * akq;
      }
      for (let k = 0; k < n; k++) {
        const apk = A[p * n + k]!, aqk = A[q * n + k]!;
        A[p * n + k] = c * apk - s * aqk;
        A[q * n + k] = s * apk + c * aqk;
      }
    }
  }
  const eig = Array.from({ length: n }, (_, i) => Math.max(0, A[i * n + i]!));
  const lo = Math.min(...eig), hi = Math.max(...eig);
  return lo > 0 ? Math.sqrt(hi / lo) : Infinity;
}
