/**
 * PathCond: function-preserving neuron-wise rescaling of a ReLU MLP that minimises the path-lifting criterion
 * of Lebeurrier, Vayer & Gribonval, "Path-conditioned training: a principled way to rescale ReLU neural
 * networks" (arXiv:2602.19799, ICML 2026), **with the PathCond objective as implemented in the authors' code**
 * (Artim436/pathcond: `function_F`, `update_z_polynomial`, `rescaling_path_cond`). The paper body was not
 * available to the spec writers; the objective and the solver below are the code's. Its reading as a log-det
 * divergence between G and the identity is a reconstruction and is not relied on here.
 * See docs/schemes/pathlift.md.
 *
 * Objective (without the constant −p·log p of `function_F`), minimised over z ∈ R^H (one entry per hidden neuron):
 *
 *     F(z) = p · log( Σ_i g_i · exp((Bz)_i) ) − Σ_i (Bz)_i
 *
 * where g = diag(∂Φᵀ∂Φ) at the given parameters ({@link pathLiftingDiagG}), p counts all parameters and B is the
 * ±1 incidence of §1 ((Bz) at W_l[j,i] is z_{l-1,i} − z_{l,j}, at b_l[j] it is −z_{l,j}). Since
 * −Σ_i (Bz)_i = Σ_h A_h z_h with A_h = |IN_h| − |OUT_h|, F(z) = p·log S(z) + Σ_h A_h z_h.
 *
 * Solver: exact cyclic coordinate descent (Gauss–Seidel, layer ascending, neuron ascending). For neuron h, with
 * x = e^{z_h}, the stationarity condition is the quadratic a x² + b x + c = 0 with
 * a = B_h (A_h + p), b = D_h A_h, c = C_h (A_h − p), whose unique positive root is the coordinate minimiser.
 * The rescaled network is θ' = θ ∘ exp(−Bz/2), i.e. λ = exp(z/2) (same function).
 *
 * A network with a layer whose forward `scale` is not 1 is rejected (DomainError naming the layer; see `plain.ts`).
 */
import { DomainError, NonFiniteError } from '../../core/errors.js';

import type { InitOptions, LayerTensors } from '../entry.js';
import type { Mlp } from '../support/mlp.js';
import { countParams } from '../support/mlp-loops.js';
import { booleanParam, checkedOptions, nonNegativeIntParam, nonNegativeParam, optionKeys, rangeParam } from '../support/options.js';
import { type DiagG, diagG } from './diag-g.js';
import { validatePlainMlp } from './plain.js';
import { type NeuronScales, checkScales, exponents, logRescaled, logScalesToLambda } from './rescaling.js';

/** Options of {@link pathCondRescale}. Defaults follow the authors' public entry point. */
export interface PathCondOptions {
  /** Maximum number of sweeps over all hidden neurons; default 10 (`nb_iter_optim_rescaling=10`). */
  readonly maxSweeps?: number;
  /** Stop when Σ_h |Δz_h| over one sweep is below tol; default 1e-2 (the authors' code). */
  readonly tol?: number;
  /**
   * Floor on the normalised diagonal: g ← g/max(g) + eps (the repo's optional `reg`); default 0.
   * Normalising by max(g) does not change the minimiser (F is invariant to g → c·g up to a constant).
   */
  readonly eps?: number;
  /** Clamp |z_h| ≤ zClamp; neurons whose minimiser lies at ±∞ (zero g on one side) hit it. Default 60. */
  readonly zClamp?: number;
  /** Record F after every single coordinate update in `updateTrace` (for tests); default false. */
  readonly recordUpdates?: boolean;
}

/** Keys of `PathCondOptions`. */
export const PATHCOND_KEYS = optionKeys<PathCondOptions>({ maxSweeps: true, tol: true, eps: true, zClamp: true, recordUpdates: true });

/** `PathCondOptions` with every default filled in and every value checked. */
export interface ResolvedPathCondOptions {
  readonly maxSweeps: number;
  readonly tol: number;
  readonly eps: number;
  readonly zClamp: number;
  readonly recordUpdates: boolean;
}

/**
 * The `PathCondOptions` fields of a record that has passed `checkedOptions` (internal: the registry entry reuses it).
 * Defaults: maxSweeps = 10 (a non-negative integer), tol = 1e-2 (≥ 0), eps = 0 (≥ 0), zClamp = 60 (> 0),
 * recordUpdates = false.
 */
export function pathCondFields(o: InitOptions): ResolvedPathCondOptions {
  return {
    maxSweeps: nonNegativeIntParam('options.maxSweeps', o['maxSweeps'], 10),
    tol: nonNegativeParam('options.tol', o['tol'], 1e-2),
    // eps floors g normalised to max 1, so eps ≫ 1 only flattens g; zClamp bounds e^{±z}: both bounded so that
    // the sums S of the solver (≤ p·(1 + eps)·e^{2·zClamp}) stay far from float64 overflow
    eps: rangeParam('options.eps', o['eps'], 0, 1e6, { dflt: 0 }),
    zClamp: rangeParam('options.zClamp', o['zClamp'], 0, 170, { dflt: 60, openLo: true }),
    recordUpdates: booleanParam('options.recordUpdates', o['recordUpdates'], false),
  };
}

/** Parse the options of {@link pathCondRescale} (`fn` names the caller in the unknown-key message). */
export function parsePathCondOptions(options: PathCondOptions | undefined, fn = 'pathCondRescale'): ResolvedPathCondOptions {
  return pathCondFields(checkedOptions(fn, options, PATHCOND_KEYS));
}

/** Result of {@link pathCondRescale}. */
export interface PathCondResult {
  /** The rescaled network (same storage types as the input); computes the same function. */
  readonly mlp: LayerTensors[];
  /** Log-scales z, one Float64Array per hidden layer (z[l-1] for layer l). */
  readonly z: Float64Array[];
  /** λ = exp(z/2), one Float64Array per hidden layer. */
  readonly lambda: Float64Array[];
  /** F at z = 0, then after each sweep (F evaluated with the original, un-normalised g; floored if eps > 0). */
  readonly objectiveTrace: number[];
  /** F after every coordinate update, when `recordUpdates` was set. */
  readonly updateTrace?: number[];
  /** Number of sweeps run. */
  readonly sweeps: number;
  /** Whether the last sweep moved z by less than tol (Σ|Δz|). */
  readonly converged: boolean;
  /** Σ_h |Δz_h| of the last sweep. */
  readonly lastDelta: number;
  /** Hidden neurons whose z hit ±zClamp (layer is 1-based, neuron 0-based). */
  readonly clamped: { layer: number; neuron: number }[];
  /** Number of parameters p. */
  readonly numParams: number;
}

/**
 * The PathCond objective F(z) = p·log Σ_i g_i e^{(Bz)_i} − Σ_i (Bz)_i (authors' code, without −p·log p).
 * `g` defaults to diag(G) of `mlp`; pass a precomputed {@link DiagG} (or a flat g in parameter order) to reuse it.
 * Evaluated with a shifted log-sum-exp.
 */
export function pathCondObjective(mlp: Mlp, z: NeuronScales, g?: DiagG | ArrayLike<number>): number {
  validatePlainMlp(mlp);
  checkScales(mlp, z, 'z', false);
  const gFlat: ArrayLike<number> = g === undefined ? diagG(mlp).flat : 'flat' in g ? g.flat : g;
  const p = countParams(mlp);
  if (gFlat.length !== p) throw new DomainError(`g must have p = ${p} entries, got ${gFlat.length}`);
  const bz = exponents(mlp, z);
  let m = -Infinity;
  let sumBz = 0;
  for (let i = 0; i < p; i++) {
    if (gFlat[i]! > 0 && bz[i]! > m) m = bz[i]!;
    sumBz += bz[i]!;
  }
  let s = 0;
  for (let i = 0; i < p; i++) if (gFlat[i]! > 0) s += gFlat[i]! * Math.exp(bz[i]! - m);
  return p * (m + Math.log(s)) - sumBz;
}

/**
 * PathCond rescaling (PathCond objective as implemented in the authors' code; see the module comment).
 * Pure: returns a new network `mlp'` with f_{θ'} = f_θ, the log-scales z, λ = e^{z/2} and the objective trace.
 *
 * Defaults: `maxSweeps = 10`, `tol = 1e-2` (Artim436/pathcond `rescaling_path_cond`), `eps = 0`, `zClamp = 60`.
 * For the exact minimiser use e.g. `{ maxSweeps: 1000, tol: 1e-12 }`.
 *
 * Throws ShapeError / NonFiniteError for a malformed network, DomainError for bad options (before any work) or for
 * a layer with a forward `scale` ≠ 1.
 */
export function pathCondRescale(mlp: Mlp, options: PathCondOptions = {}): PathCondResult {
  validatePlainMlp(mlp);
  return pathCondSolve(mlp, parsePathCondOptions(options, 'pathCondRescale'));
}

/** {@link pathCondRescale} of a validated plain network with resolved options (internal: the registry entry reuses it). */
export function pathCondSolve(mlp: Mlp, o: ResolvedPathCondOptions): PathCondResult {
  const { maxSweeps, tol, eps, zClamp, recordUpdates } = o;
  const L = mlp.length;
  const p = countParams(mlp);
  const diag = diagG(mlp);
  let gmax = 0;
  for (const x of diag.flat) if (x > gmax) gmax = x;
  if (!Number.isFinite(gmax)) {
    throw new NonFiniteError(
      `pathCondRescale: the path magnitudes g of mlp overflow float64 (max g = ${gmax}); the weights are too large ` +
        `(products of squared weights along a path must stay below 1.8e308): rescale the network first`,
    );
  }
  const z: Float64Array[] = [];
  for (let l = 0; l < L - 1; l++) z.push(new Float64Array(mlp[l]!.shape[0]));
  const clamped: { layer: number; neuron: number }[] = [];
  if (gmax === 0 || L === 1) {
    // Nothing to balance: no hidden neuron, or every path has zero magnitude.
    return {
      mlp: logRescaled(mlp, z), z, lambda: logScalesToLambda(z), objectiveTrace: [], sweeps: 0,
      converged: true, lastDelta: 0, clamped, numParams: p, ...(recordUpdates ? { updateTrace: [] } : {}),
    };
  }
  // Normalised (and optionally floored) diagonal, per layer.
  // A plain loop: Float64Array.from with a map callback took ~0.5 µs per element (200 ms on a 450k-parameter net).
  const normalised = (g: Float64Array): Float64Array => {
    const out = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = g[i]! / gmax + eps;
    return out;
  };
  const gW = diag.W.map(normalised);
  const gb = diag.b.map((g) => (g ? normalised(g) : undefined));
  const logScale = p * Math.log(gmax); // F(original g) = F(normalised g) + p·log(gmax)

  // Cached e^{z} and e^{-z} per hidden layer, with e^{0} = 1 for input and output layers.
  const ePos = z.map((zl) => new Float64Array(zl.length).fill(1));
  const eNeg = z.map((zl) => new Float64Array(zl.length).fill(1));
  const A = z.map((zl, l) => new Float64Array(zl.length).fill(mlp[l]!.shape[1] + (mlp[l]!.b ? 1 : 0) - mlp[l + 1]!.shape[0]));

  const exactS = (): number => {
    let s = 0;
    for (let l = 0; l < L; l++) {
      const { shape: [out, nin] } = mlp[l]!;
      const g = gW[l]!;
      const ein = l > 0 ? ePos[l - 1]! : undefined;
      const eout = l < L - 1 ? eNeg[l]! : undefined;
      for (let j = 0; j < out; j++) {
        let row = 0;
        for (let i = 0; i < nin; i++) row += g[j * nin + i]! * (ein ? ein[i]! : 1);
        const gbl = gb[l];
        if (gbl) row += gbl[j]!;
        s += row * (eout ? eout[j]! : 1);
      }
    }
    return s;
  };
  let sumAz = 0;
  const objective = (s: number): number => p * Math.log(s) + sumAz + logScale;

  let S = exactS();
  const objectiveTrace = [objective(S)];
  const updateTrace: number[] | undefined = recordUpdates ? [objectiveTrace[0]!] : undefined;
  let sweeps = 0;
  let converged = false;
  let lastDelta = 0;
  const clampedSet = new Set<string>();
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let delta = 0;
    for (let l = 1; l <= L - 1; l++) {
      // hidden layer l: incoming weights mlp[l-1], outgoing weights mlp[l]
      const inc = mlp[l - 1]!;
      const outg = mlp[l]!;
      const gin = gW[l - 1]!;
      const gbin = gb[l - 1];
      const gout = gW[l]!;
      const zl = z[l - 1]!;
      const ePrev = l > 1 ? ePos[l - 2]! : undefined;
      const eNext = l < L - 1 ? eNeg[l]! : undefined;
      const nin = inc.shape[1];
      const n = inc.shape[0];
      for (let j = 0; j < n; j++) {
        let Ch = gbin ? gbin[j]! : 0;
        for (let i = 0; i < nin; i++) Ch += gin[j * nin + i]! * (ePrev ? ePrev[i]! : 1);
        let Bh = 0;
        for (let k = 0; k < outg.shape[0]; k++) Bh += gout[k * n + j]! * (eNext ? eNext[k]! : 1);
        const zOld = zl[j]!;
        const Ein = Ch * eNeg[l - 1]![j]!;
        const Eout = Bh * ePos[l - 1]![j]!;
        const Ah = A[l - 1]![j]!;
        const Dh = Math.max(0, S - Ein - Eout);
        const qa = Bh * (Ah + p);
        const qb = Dh * Ah;
        const qc = Ch * (Ah - p);
        const disc = Math.max(0, qb * qb - 4 * qa * qc);
        const x = qb >= 0 ? (-2 * qc) / (qb + Math.sqrt(disc)) : (-qb + Math.sqrt(disc)) / (2 * qa);
        let zNew = Math.log(x);
        if (Number.isNaN(zNew)) zNew = zOld; // 0/0: no information on either side
        if (!(Math.abs(zNew) <= zClamp)) {
          zNew = zNew > 0 ? zClamp : -zClamp;
          clampedSet.add(`${l}:${j}`);
        }
        const xp = Math.exp(zNew);
        const xn = Math.exp(-zNew);
        S = Dh + Bh * xp + Ch * xn;
        sumAz += Ah * (zNew - zOld);
        delta += Math.abs(zNew - zOld);
        zl[j] = zNew;
        ePos[l - 1]![j] = xp;
        eNeg[l - 1]![j] = xn;
        if (updateTrace) updateTrace.push(objective(S));
      }
    }
    S = exactS(); // remove drift of the incremental total once per sweep
    sweeps++;
    lastDelta = delta;
    objectiveTrace.push(objective(S));
    if (delta < tol) {
      converged = true;
      break;
    }
  }
  for (const key of clampedSet) {
    const [layer, neuron] = key.split(':').map(Number) as [number, number];
    if (Math.abs(z[layer - 1]![neuron]!) >= zClamp) clamped.push({ layer, neuron });
  }
  const rescaled = logRescaled(mlp, z);
  // never report a non-finite objective or weights as a result (let alone as converged)
  if (!objectiveTrace.every(Number.isFinite)) {
    throw new NonFiniteError(`pathCondRescale: the objective became non-finite (trace ${objectiveTrace.join(', ')}); the path magnitudes of mlp exceed float64`);
  }
  rescaled.forEach((layer, l) => {
    for (const arr of [layer.W, layer.b]) {
      if (arr && !arr.every(Number.isFinite)) {
        throw new NonFiniteError(`pathCondRescale: rescaled layer ${l} is not finite in float${arr instanceof Float64Array ? 64 : 32} (weights too large for the balancing scales e^(±z/2), |z| <= zClamp = ${zClamp})`);
      }
    }
  });
  return {
    mlp: rescaled,
    z,
    lambda: logScalesToLambda(z),
    objectiveTrace,
    ...(updateTrace ? { updateTrace } : {}),
    sweeps,
    converged,
    lastDelta,
    clamped,
    numParams: p,
  };
}
