/**
 * diag(∂Φᵀ∂Φ), the diagonal of the path-magnitude matrix G, in O(p), and the flat parameter order it is reported in
 * (docs/schemes/pathlift.md).
 *
 * Parameter order ("flat" order) is PyTorch's `parameters()` order: for l = 1..L, W_l row-major, then b_l.
 * Every function rejects a layer with a forward `scale` ≠ 1 (DomainError naming the layer; see `plain.ts`).
 */
import type { Mlp } from '../support/mlp.js';
import { countParams } from '../support/mlp-loops.js';
import { validatePlainMlp } from './plain.js';

/** diag(G), G = ∂Φᵀ∂Φ, per layer and in flat parameter order (see {@link pathLiftingDiagG}). */
export interface DiagG {
  /** gW[l] has the shape of mlp[l].W: g at W_{l+1}[j, i] (0-based l). */
  readonly W: Float64Array[];
  /** gb[l] has length mlp[l].shape[0] when mlp[l].b exists, else undefined. */
  readonly b: (Float64Array | undefined)[];
  /** All entries in PyTorch parameter order (W_1, b_1, W_2, b_2, …). */
  readonly flat: Float64Array;
  /** ‖Φ‖_2² = Σ v_L, a by-product of the forward pass. */
  readonly pathNorm2Sq: number;
}

/**
 * Diagonal of the path-magnitude matrix G = ∂Φᵀ∂Φ in O(p) (Lebeurrier, Vayer & Gribonval,
 * arXiv:2602.19799; Artim436/pathcond `compute_diag_G`):
 * g_i = Σ_{paths p ∋ i} Π_{e∈p, e≠i} θ_e², computed by one forward and one backward pass of the squared net:
 *
 *     v_0 = 1,  v_l = (W_l∘W_l) v_{l-1} + b_l∘b_l;     u_L = 1,  u_{l-1} = (W_l∘W_l)ᵀ u_l
 *     g(W_l[j,i]) = u_l[j] · v_{l-1}[i],               g(b_l[j]) = u_l[j].
 */
export function pathLiftingDiagG(mlp: Mlp): DiagG {
  validatePlainMlp(mlp);
  return diagG(mlp);
}

/** {@link pathLiftingDiagG} of a validated plain network (internal: PathCond reuses it). */
export function diagG(mlp: Mlp): DiagG {
  const L = mlp.length;
  const v: Float64Array[] = [new Float64Array(mlp[0]!.shape[1]).fill(1)];
  for (let l = 0; l < L; l++) {
    const { W, b, shape: [out, nin] } = mlp[l]!;
    const prev = v[l]!;
    const next = new Float64Array(out);
    for (let j = 0; j < out; j++) {
      let s = b ? b[j]! * b[j]! : 0;
      for (let i = 0; i < nin; i++) {
        const w = W[j * nin + i]!;
        s += w * w * prev[i]!;
      }
      next[j] = s;
    }
    v.push(next);
  }
  // u[l] lives on the output side of layer l (0-based), length mlp[l].shape[0]
  const u: Float64Array[] = new Array<Float64Array>(L);
  u[L - 1] = new Float64Array(mlp[L - 1]!.shape[0]).fill(1);
  for (let l = L - 1; l >= 1; l--) {
    const { W, shape: [out, nin] } = mlp[l]!;
    const ul = u[l]!;
    const down = new Float64Array(nin);
    for (let j = 0; j < out; j++) {
      const uj = ul[j]!;
      for (let i = 0; i < nin; i++) {
        const w = W[j * nin + i]!;
        down[i] += w * w * uj;
      }
    }
    u[l - 1] = down;
  }
  const gW: Float64Array[] = [];
  const gb: (Float64Array | undefined)[] = [];
  const flat = new Float64Array(countParams(mlp));
  let off = 0;
  for (let l = 0; l < L; l++) {
    const { b, shape: [out, nin] } = mlp[l]!;
    const ul = u[l]!;
    const vin = v[l]!;
    const g = new Float64Array(out * nin);
    for (let j = 0; j < out; j++) for (let i = 0; i < nin; i++) g[j * nin + i] = ul[j]! * vin[i]!;
    gW.push(g);
    flat.set(g, off);
    off += g.length;
    if (b) {
      const gbl = Float64Array.from(ul);
      gb.push(gbl);
      flat.set(gbl, off);
      off += out;
    } else gb.push(undefined);
  }
  let n2 = 0;
  for (const x of v[L]!) n2 += x;
  return { W: gW, b: gb, flat, pathNorm2Sq: n2 };
}

/**
 * Flatten the parameters of an MLP in PyTorch `parameters()` order (float64): W_1 row-major, b_1, W_2, b_2, …
 * A layer with a forward `scale` ≠ 1 is rejected (its parameters would be ambiguous: W or scale·W).
 */
export function flattenParams(mlp: Mlp): Float64Array {
  validatePlainMlp(mlp, 'mlp', false);
  const flat = new Float64Array(countParams(mlp));
  let off = 0;
  for (const { W, b } of mlp) {
    flat.set(W, off);
    off += W.length;
    if (b) {
      flat.set(b, off);
      off += b.length;
    }
  }
  return flat;
}
