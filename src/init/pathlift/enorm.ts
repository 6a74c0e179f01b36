/**
 * ENorm (Equi-normalization), Stock, Graham, Gribonval & Jégou, "Equi-normalization of Neural Networks",
 * ICLR 2019 (arXiv:1902.10416), as the baseline of PathCond (docs/schemes/pathlift.md).
 *
 * Block coordinate descent over the same neuron-wise rescaling symmetry as PathCond, minimising the weight
 * energy. One cycle visits the hidden layers l = 1..L-1 in order; all neurons j of a layer are updated at once:
 *
 *     IN_j  = ‖W_l[j,:]‖² (+ b_l[j]²),   OUT_j = ‖W_{l+1}[:,j]‖²,   λ_j = (OUT_j / (c²·IN_j))^{1/4}
 *     W_l[j,:] *= λ_j,   b_l[j] *= λ_j,   W_{l+1}[:,j] /= λ_j
 *
 * Two variants:
 * - `'function-preserving'` (default): biases are counted in IN_j and rescaled with the incoming weights, so the
 *   network function is unchanged; with c = 1 it minimises E(θ) = Σ_l ‖W_l‖_F² + Σ_{l<L} ‖b_l‖² (never increases).
 * - `'reference-code'`: **reference-code-compatible variant** mimicking `facebookresearch/enorm` (`_step_fc`) as
 *   described in docs/schemes/pathlift.md: biases are neither counted nor rescaled (so the function CHANGES when hidden biases are
 *   non-zero), and the row norms of W_l used by layer l's balancer are the ones read at the start of the cycle,
 *   before the previous layer's step rescaled W_l's columns. λ_j = (‖W_{l+1}[:,j]‖₂ / (c·‖W_l[j,:]‖₂))^{1/2}.
 *   The reference experiments used c = 1.2 (fully connected) and 1.1 (convolutional). The momentum-buffer
 *   correction of the reference class is out of scope (no optimizer here).
 *
 * Neurons with IN_j = 0 or OUT_j = 0 are left unchanged (λ_j = 1). The last layer is never balanced.
 * A network with a layer whose forward `scale` is not 1 is rejected (DomainError naming the layer; see `plain.ts`).
 */
import type { InitOptions, LayerTensors } from '../entry.js';
import type { Mlp } from '../support/mlp.js';
import { likeStorage, toFloat64 } from '../support/mlp-loops.js';
import { checkedOptions, enumParam, nonNegativeIntParam, nonNegativeParam, optionKeys, positiveParam } from '../support/options.js';
import { validatePlainMlp } from './plain.js';

/** ENorm variant: see the module comment. */
export type ENormVariant = 'function-preserving' | 'reference-code';

const ENORM_VARIANTS: readonly ENormVariant[] = ['function-preserving', 'reference-code'];

/** Options of {@link enormRescale}. */
export interface ENormOptions {
  /** Number of cycles over the hidden layers; default 1 (one `step()` of the reference class). */
  readonly cycles?: number;
  /** `'function-preserving'` (default) or `'reference-code'` (reference-code-compatible variant; see module doc). */
  readonly variant?: ENormVariant;
  /** Asymmetric scaling factor c > 0; default 1. */
  readonly asymmetry?: number;
  /** Stop early when max_j |log λ_j| of a cycle is below tol; default 0 (run all cycles). */
  readonly tol?: number;
}

/** Keys of `ENormOptions`. */
export const ENORM_KEYS = optionKeys<ENormOptions>({ cycles: true, variant: true, asymmetry: true, tol: true });

/** `ENormOptions` with every default filled in and every value checked. */
export interface ResolvedENormOptions {
  readonly cycles: number;
  readonly variant: ENormVariant;
  readonly asymmetry: number;
  readonly tol: number;
}

/**
 * The `ENormOptions` fields of a record that has passed `checkedOptions` (internal: the registry entry reuses it).
 * Defaults: cycles = 1 (a non-negative integer), variant = 'function-preserving', asymmetry = 1 (> 0), tol = 0 (≥ 0).
 */
export function enormFields(o: InitOptions): ResolvedENormOptions {
  return {
    cycles: nonNegativeIntParam('options.cycles', o['cycles'], 1),
    variant: enumParam('options.variant', o['variant'], ENORM_VARIANTS, 'function-preserving'),
    asymmetry: positiveParam('options.asymmetry', o['asymmetry'], 1),
    tol: nonNegativeParam('options.tol', o['tol'], 0),
  };
}

/** Parse the options of {@link enormRescale} (`fn` names the caller in the unknown-key message). */
export function parseENormOptions(options: ENormOptions | undefined, fn = 'enormRescale'): ResolvedENormOptions {
  return enormFields(checkedOptions(fn, options, ENORM_KEYS));
}

/** Result of {@link enormRescale}. */
export interface ENormResult {
  /** The rescaled network (storage types of the input). */
  readonly mlp: LayerTensors[];
  /** Cumulative λ per hidden neuron (λ[l-1] for hidden layer l) applied to the incoming weights. */
  readonly lambda: Float64Array[];
  /** E(θ) = Σ‖W_l‖² + Σ_{l<L}‖b_l‖² before the first cycle and after every cycle. */
  readonly costTrace: number[];
  /** Cycles run. */
  readonly cycles: number;
  /** Whether the result computes the same function (always for 'function-preserving'). */
  readonly functionPreserving: boolean;
  readonly variant: ENormVariant;
}

/** ENorm energy E(θ) = Σ_l ‖W_l‖_F² + Σ_{l<L} ‖b_l‖² (hidden biases only). */
export function enormCost(mlp: Mlp): number {
  validatePlainMlp(mlp);
  return energy(mlp);
}

/** {@link enormCost} of a validated network. */
function energy(mlp: Mlp): number {
  let e = 0;
  mlp.forEach((layer, l) => {
    for (const w of layer.W) e += w * w;
    if (layer.b && l < mlp.length - 1) for (const x of layer.b) e += x * x;
  });
  return e;
}

/**
 * ENorm rescaling (see the module comment for the two variants). Pure: returns a new network.
 * Throws ShapeError / NonFiniteError for a malformed network, DomainError for bad options (before any work) or for
 * a layer with a forward `scale` ≠ 1.
 */
export function enormRescale(mlp: Mlp, options: ENormOptions = {}): ENormResult {
  validatePlainMlp(mlp);
  return enormSolve(mlp, parseENormOptions(options, 'enormRescale'));
}

/** {@link enormRescale} of a validated plain network with resolved options (internal: the registry entry reuses it). */
export function enormSolve(mlp: Mlp, o: ResolvedENormOptions): ENormResult {
  const { cycles, variant, asymmetry: c, tol } = o;
  const ref = variant === 'reference-code';
  const L = mlp.length;
  const net = toFloat64(mlp);
  const lambda: Float64Array[] = [];
  for (let l = 0; l < L - 1; l++) lambda.push(new Float64Array(mlp[l]!.shape[0]).fill(1));
  const costTrace = [energy(net)];
  let done = 0;
  for (let cyc = 0; cyc < cycles; cyc++) {
    // Reference-code quirk: squared row norms of every W_l snapshotted at the start of the cycle.
    const rowSnap = ref ? net.map((layer) => rowSquares(layer, false)) : undefined;
    let maxLog = 0;
    for (let l = 0; l < L - 1; l++) {
      const inc = net[l]!;
      const outg = net[l + 1]!;
      const inSq = rowSnap ? rowSnap[l]! : rowSquares(inc, true);
      const n = inc.shape[0];
      const outSq = new Float64Array(n);
      for (let k = 0; k < outg.shape[0]; k++) {
        for (let j = 0; j < n; j++) {
          const w = outg.W[k * n + j]!;
          outSq[j] += w * w;
        }
      }
      const W1 = inc.W as Float64Array;
      const W2 = outg.W as Float64Array;
      for (let j = 0; j < n; j++) {
        const a = inSq[j]!;
        const o = outSq[j]!;
        if (!(a > 0) || !(o > 0)) continue;
        const lam = Math.pow(o / (c * c * a), 0.25);
        if (!Number.isFinite(lam) || lam <= 0) continue;
        maxLog = Math.max(maxLog, Math.abs(Math.log(lam)));
        lambda[l]![j] *= lam;
        for (let i = 0; i < inc.shape[1]; i++) W1[j * inc.shape[1] + i] *= lam;
        if (inc.b && !ref) (inc.b as Float64Array)[j] *= lam;
        for (let k = 0; k < outg.shape[0]; k++) W2[k * n + j] /= lam;
      }
    }
    done++;
    costTrace.push(energy(net));
    if (maxLog < tol) break;
  }
  let preserving = true;
  if (ref) for (let l = 0; l < L - 1; l++) if (mlp[l]!.b && mlp[l]!.b!.some((x) => x !== 0)) preserving = false;
  return { mlp: likeStorage(mlp, net), lambda, costTrace, cycles: done, functionPreserving: preserving, variant };
}

/** Squared row norms of W (plus b² when `withBias`). */
function rowSquares(layer: LayerTensors, withBias: boolean): Float64Array {
  const { W, b, shape: [out, nin] } = layer;
  const r = new Float64Array(out);
  for (let j = 0; j < out; j++) {
    let s = withBias && b ? b[j]! * b[j]! : 0;
    for (let i = 0; i < nin; i++) s += W[j * nin + i]! * W[j * nin + i]!;
    r[j] = s;
  }
  return r;
}
