/**
 * The path vector Φ(θ) of a ReLU MLP and its Lq path-norms (docs/schemes/pathlift.md).
 *
 * Sources: Gonon, Brisebarre, Riccietti, Gribonval, "A path-norm toolkit for modern networks", ICLR 2024
 * (arXiv:2310.01225), the `agonon/pathnorm_toolkit` recipe (norm in one forward pass); the enumeration is derived.
 *
 * Every function rejects a layer with a forward `scale` ≠ 1 (DomainError naming the layer; see `plain.ts`): Φ is
 * defined for plain dense layers y = W x + b.
 */
import { DomainError } from '../../core/errors.js';
import type { Mlp } from '../support/mlp.js';
import { positiveParam } from '../support/options.js';
import { validatePlainMlp } from './plain.js';

/** One path of a layered MLP. */
export interface PathInfo {
  /** 0 for an input path, s ≥ 1 for a path starting at the bias of layer s (1-based layer index). */
  readonly start: number;
  /**
   * Neuron indices (p_s, …, p_L): for an input path p_0 is the input coordinate; for a bias path p_s is the
   * neuron of layer s whose bias starts the path.
   */
  readonly neurons: readonly number[];
}

/** Number of paths Σ_s Π_{l=s..L} n_l over s = 0 and the layers with a bias (may exceed 2^53 for big nets). */
export function countPaths(mlp: Mlp): number {
  validatePlainMlp(mlp, 'mlp', false);
  return pathCount(mlp);
}

/** {@link countPaths} of a validated network. */
function pathCount(mlp: Mlp): number {
  const L = mlp.length;
  let total = 0;
  let suffix = 1; // Π_{l=s..L} n_l, built from the top down
  for (let s = L; s >= 1; s--) {
    suffix *= mlp[s - 1]!.shape[0];
    if (mlp[s - 1]!.b) total += suffix;
  }
  total += suffix * mlp[0]!.shape[1];
  return total;
}

/**
 * The path vector Φ(θ) by explicit enumeration (docs/schemes/pathlift.md): exponential size, for tests and teaching only.
 *
 *     input path (p_0, …, p_L):      Φ_p = Π_{l=1..L} W_l[p_l, p_{l-1}]
 *     bias path of layer s (p_s..):  Φ_p = b_s[p_s] · Π_{l=s+1..L} W_l[p_l, p_{l-1}]
 *
 * Order: input paths first, then bias paths by ascending start layer; within a group, lexicographic in
 * (p_s, …, p_L). Throws DomainError if there are more than `maxPaths` paths (default 1e6).
 */
export function enumeratePaths(mlp: Mlp, maxPaths = 1_000_000): { values: Float64Array; paths: PathInfo[] } {
  validatePlainMlp(mlp);
  const total = pathCount(mlp);
  if (total > maxPaths) throw new DomainError(`mlp has ${total} paths, more than maxPaths = ${maxPaths}; enumeratePaths is for tiny nets`);
  const L = mlp.length;
  const values: number[] = [];
  const paths: PathInfo[] = [];
  const starts: number[] = [0];
  for (let s = 1; s <= L; s++) if (mlp[s - 1]!.b) starts.push(s);
  for (const s of starts) {
    const first = s === 0 ? mlp[0]!.shape[1] : mlp[s - 1]!.shape[0];
    const idx: number[] = [];
    const rec = (l: number, prev: number, acc: number): void => {
      // l: next layer (1-based) to enter; prev: neuron index in layer l-1 (or input coordinate)
      if (l > L) {
        values.push(acc);
        paths.push({ start: s, neurons: idx.slice() });
        return;
      }
      const layer = mlp[l - 1]!;
      for (let j = 0; j < layer.shape[0]; j++) {
        idx.push(j);
        rec(l + 1, j, acc * layer.W[j * layer.shape[1] + prev]!);
        idx.pop();
      }
    };
    for (let p = 0; p < first; p++) {
      idx.push(p);
      rec(s + 1, p, s === 0 ? 1 : mlp[s - 1]!.b![p]!);
      idx.pop();
    }
  }
  return { values: Float64Array.from(values), paths };
}

/**
 * ‖Φ(θ)‖_q^q in one forward pass (Gonon et al. 2024, Theorem A.1): replace every parameter w by
 * |w|^q and push the all-ones input through (ReLU acts as the identity on non-negative values):
 *
 *     v_0 = 1,   v_l = |W_l|^q v_{l-1} + |b_l|^q,   ‖Φ‖_q^q = Σ_k v_L[k].
 *
 * Cost O(p). Throws DomainError unless q is finite and > 0.
 */
export function pathNormPow(mlp: Mlp, q = 2): number {
  const qq = positiveParam('q', q);
  validatePlainMlp(mlp);
  return normPow(mlp, qq);
}

/** The Lq path-norm ‖Φ(θ)‖_q = (pathNormPow(mlp, q))^{1/q}; L1 for q = 1, L2 for q = 2. Invariant under T_λ. */
export function pathNorm(mlp: Mlp, q = 2): number {
  const qq = positiveParam('q', q);
  validatePlainMlp(mlp);
  return Math.pow(normPow(mlp, qq), 1 / qq);
}

/** ‖Φ‖_q^q of a validated network, q > 0 finite. */
function normPow(mlp: Mlp, q: number): number {
  let v = new Float64Array(mlp[0]!.shape[1]).fill(1);
  for (const { W, b, shape: [out, nin] } of mlp) {
    const next = new Float64Array(out);
    for (let j = 0; j < out; j++) {
      let s = b ? Math.pow(Math.abs(b[j]!), q) : 0;
      for (let i = 0; i < nin; i++) s += Math.pow(Math.abs(W[j * nin + i]!), q) * v[i]!;
      next[j] = s;
    }
    v = next;
  }
  let total = 0;
  for (let k = 0; k < v.length; k++) total += v[k]!;
  return total;
}
