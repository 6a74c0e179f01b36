/**
 * Path-lifting of ReLU MLPs: the path vector Φ(θ), Lq path-norms, diag(∂Φᵀ∂Φ) in O(p) and neuron-wise
 * rescaling T_λ with its log-parametrisation.
 *
 * Sources: Gonon, Brisebarre, Riccietti, Gribonval, "A path-norm toolkit for modern networks", ICLR 2024
 * (arXiv:2310.01225), the `agonon/pathnorm_toolkit` recipe; Lebeurrier, Vayer & Gribonval, "Path-conditioned
 * training" (arXiv:2602.19799) and their code `Artim436/pathcond` (`compute_diag_G`, `reweight_model_inplace`).
 * Formulas as restated in spec/path_lifting_rescaling.md §1–§2.
 *
 * Parameter order ("flat" order) is PyTorch's `parameters()` order: for l = 1..L, W_l row-major, then b_l.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { type DenseLayer, type Mlp, mlpLikeStorage, mlpNumParams, validateMlp } from '../support/mlp.js';

/** One path of a layered MLP (spec §2.1). */
export interface PathInfo {
  /** 0 for an input path, s ≥ 1 for a path starting at the bias of layer s (1-based layer index). */
  readonly start: number;
  /**
   * Neuron indices (p_s, …, p_L): for an input path p_0 is the input coordinate; for a bias path p_s is the
   * neuron of layer s whose bias starts the path.
   */
  readonly neurons: readonly number[];
}

/** Per-layer scales, one array per hidden layer: `scales[l-1]` has length n_l for l = 1..L-1. */
export type NeuronScales = readonly ArrayLike<number>[];

/** Number of paths Σ_s Π_{l=s..L} n_l over s = 0 and the layers with a bias (may exceed 2^53 for big nets). */
export function countPaths(mlp: Mlp): number {
  validateMlp(mlp, 'mlp', false);
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
 * The path vector Φ(θ) by explicit enumeration (spec §2.1): exponential size, for tests and teaching only.
 *
 *     input path (p_0, …, p_L):      Φ_p = Π_{l=1..L} W_l[p_l, p_{l-1}]
 *     bias path of layer s (p_s..):  Φ_p = b_s[p_s] · Π_{l=s+1..L} W_l[p_l, p_{l-1}]
 *
 * Order: input paths first, then bias paths by ascending start layer; within a group, lexicographic in
 * (p_s, …, p_L). Throws DomainError if there are more than `maxPaths` paths (default 1e6).
 */
export function enumeratePaths(mlp: Mlp, maxPaths = 1_000_000): { values: Float64Array; paths: PathInfo[] } {
  validateMlp(mlp);
  const total = countPaths(mlp);
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

function checkQ(q: unknown): number {
  if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0) {
    throw new DomainError(`q must be a finite number > 0, got ${describe(q)}`);
  }
  return q;
}

/**
 * ‖Φ(θ)‖_q^q in one forward pass (Gonon et al. 2024, Theorem A.1; spec §2.4): replace every parameter w by
 * |w|^q and push the all-ones input through (ReLU acts as the identity on non-negative values):
 *
 *     v_0 = 1,   v_l = |W_l|^q v_{l-1} + |b_l|^q,   ‖Φ‖_q^q = Σ_k v_L[k].
 *
 * Cost O(p). Throws DomainError unless q is finite and > 0.
 */
export function pathNormPow(mlp: Mlp, q = 2): number {
  checkQ(q);
  validateMlp(mlp);
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

/** The Lq path-norm ‖Φ(θ)‖_q = (pathNormPow(mlp, q))^{1/q}; L1 for q = 1, L2 for q = 2. Invariant under T_λ. */
export function pathNorm(mlp: Mlp, q = 2): number {
  return Math.pow(pathNormPow(mlp, q), 1 / checkQ(q));
}

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
 * Diagonal of the path-magnitude matrix G = ∂Φᵀ∂Φ in O(p) (Artim436/pathcond `compute_diag_G`; spec §2.6):
 * g_i = Σ_{paths p ∋ i} Π_{e∈p, e≠i} θ_e², computed by one forward and one backward pass of the squared net:
 *
 *     v_0 = 1,  v_l = (W_l∘W_l) v_{l-1} + b_l∘b_l;     u_L = 1,  u_{l-1} = (W_l∘W_l)ᵀ u_l
 *     g(W_l[j,i]) = u_l[j] · v_{l-1}[i],               g(b_l[j]) = u_l[j].
 */
export function pathLiftingDiagG(mlp: Mlp): DiagG {
  validateMlp(mlp);
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
  const flat = new Float64Array(mlpNumParams(mlp));
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

/** Flatten the parameters of an MLP in PyTorch `parameters()` order (float64). */
export function flattenParams(mlp: Mlp): Float64Array {
  validateMlp(mlp, 'mlp', false);
  const flat = new Float64Array(mlpNumParams(mlp));
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

/** Validate per-hidden-neuron values: one array per hidden layer with the layer's width. */
function checkScales(mlp: Mlp, scales: unknown, name: string, positive: boolean): NeuronScales {
  const L = mlp.length;
  if (!Array.isArray(scales) || scales.length !== L - 1) {
    throw new ShapeError(`${name} must be an array of ${L - 1} per-hidden-layer arrays, got ${describe(scales)}`);
  }
  for (let l = 0; l < L - 1; l++) {
    const s: unknown = scales[l];
    const n = mlp[l]!.shape[0];
    if (typeof s !== 'object' || s === null || typeof (s as ArrayLike<number>).length !== 'number') {
      throw new ShapeError(`${name}[${l}] must be an array of length ${n}, got ${describe(s)}`);
    }
    const arr = s as ArrayLike<number>;
    if (arr.length !== n) throw new ShapeError(`${name}[${l}] must have length mlp[${l}].shape[0] = ${n}, got ${arr.length}`);
    for (let j = 0; j < n; j++) {
      const x = arr[j];
      if (typeof x !== 'number' || !Number.isFinite(x) || (positive && x <= 0)) {
        throw new DomainError(`${name}[${l}][${j}] must be a finite${positive ? ' positive' : ''} number, got ${describe(x)}`);
      }
    }
  }
  return scales as NeuronScales;
}

/**
 * Neuron-wise rescaling T_λ (spec §1), function-preserving for ReLU MLPs:
 *
 *     W_l[j,i] ← (λ_{l,j} / λ_{l-1,i}) · W_l[j,i],     b_l[j] ← λ_{l,j} · b_l[j],     λ_{0,·} = λ_{L,·} = 1.
 *
 * `lambda[l-1]` holds λ_{l,·} for hidden layer l = 1..L-1. Returns a new MLP with the storage types of `mlp`.
 */
export function applyNeuronRescaling(mlp: Mlp, lambda: NeuronScales): DenseLayer[] {
  validateMlp(mlp);
  checkScales(mlp, lambda, 'lambda', true);
  return mlpLikeStorage(mlp, rescaleF64(mlp, (l, j) => lambda[l]![j]!));
}

/** The inverse T_λ⁻¹ = T_{1/λ}: undoes {@link applyNeuronRescaling} with the same λ. */
export function invertNeuronRescaling(mlp: Mlp, lambda: NeuronScales): DenseLayer[] {
  validateMlp(mlp);
  checkScales(mlp, lambda, 'lambda', true);
  return mlpLikeStorage(mlp, rescaleF64(mlp, (l, j) => 1 / lambda[l]![j]!));
}

/**
 * Rescaling in the log-parametrisation of the pathcond code (spec §1): λ_h = exp(z_h / 2), i.e.
 * θ'_i = θ_i · exp(−(Bz)_i / 2). `z[l-1]` holds z_{l,·} for hidden layer l.
 */
export function applyLogRescaling(mlp: Mlp, z: NeuronScales): DenseLayer[] {
  validateMlp(mlp);
  checkScales(mlp, z, 'z', false);
  return mlpLikeStorage(mlp, rescaleF64(mlp, (l, j) => Math.exp(z[l]![j]! / 2)));
}

/** λ = exp(z/2) per hidden neuron. */
export function logScalesToLambda(z: NeuronScales): Float64Array[] {
  return z.map((zl) => Float64Array.from(zl, (x) => Math.exp(x / 2)));
}

/** z = 2·log λ per hidden neuron. */
export function lambdaToLogScales(lambda: NeuronScales): Float64Array[] {
  return lambda.map((ll) => Float64Array.from(ll, (x) => 2 * Math.log(x)));
}

/**
 * The exponent vector Bz in flat parameter order (spec §1): at W_l[j,i] it is z_{l-1,i} − z_{l,j}, at b_l[j] it
 * is −z_{l,j}; output-layer biases and z_0 = z_L = 0 contribute nothing. Then θ' = θ ∘ exp(−Bz/2) and
 * g(θ') = g(θ) ∘ exp(Bz).
 */
export function rescalingExponents(mlp: Mlp, z: NeuronScales): Float64Array {
  validateMlp(mlp, 'mlp', false);
  checkScales(mlp, z, 'z', false);
  const L = mlp.length;
  const out = new Float64Array(mlpNumParams(mlp));
  let off = 0;
  for (let l = 0; l < L; l++) {
    const { b, shape: [n, nin] } = mlp[l]!;
    const zin = l > 0 ? z[l - 1]! : undefined;
    const zout = l < L - 1 ? z[l]! : undefined;
    for (let j = 0; j < n; j++) {
      const zo = zout ? zout[j]! : 0;
      for (let i = 0; i < nin; i++) out[off + j * nin + i] = (zin ? zin[i]! : 0) - zo;
    }
    off += n * nin;
    if (b) {
      for (let j = 0; j < n; j++) out[off + j] = zout ? -zout[j]! : 0;
      off += n;
    }
  }
  return out;
}

/** Float64 rescaled copy; `lam(l, j)` gives λ of neuron j of hidden layer l+1 (0-based l < L-1). */
function rescaleF64(mlp: Mlp, lam: (l: number, j: number) => number): DenseLayer[] {
  const L = mlp.length;
  return mlp.map((layer, l) => {
    const { b, shape: [out, nin] } = layer;
    const W = new Float64Array(out * nin);
    for (let j = 0; j < out; j++) {
      const lo = l < L - 1 ? lam(l, j) : 1;
      for (let i = 0; i < nin; i++) {
        const li = l > 0 ? lam(l - 1, i) : 1;
        W[j * nin + i] = (layer.W[j * nin + i]! * lo) / li;
      }
    }
    if (!b) return { W, shape: [out, nin] };
    const nb = new Float64Array(out);
    for (let j = 0; j < out; j++) nb[j] = b[j]! * (l < L - 1 ? lam(l, j) : 1);
    return { W, b: nb, shape: [out, nin] };
  });
}
