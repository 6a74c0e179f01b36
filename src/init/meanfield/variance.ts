/**
 * Variance of the mean-field nets at initialization [I + V-num] (docs/schemes/meanfield.md): the output variance
 * N_L^{1−2γ_L}·E[C²]·E[σ(Z^L)²] and the inner pre-activation variances.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { activate } from '../support/mlp.js';
import { checkedOptions, enumParam, nonNegativeParam, optionKeys, rangeParam } from '../support/options.js';
import {
  CENTERED_OUTPUT_SECOND_MOMENT,
  checkGammas,
  checkMeanFieldWidths,
  checkRows,
  MEANFIELD_ACTIVATIONS,
  type Gammas,
  type MeanFieldActivation,
} from './network.js';

/** Options of `gaussianActivationSecondMoment`. */
export interface GaussianMomentOptions {
  readonly activation?: MeanFieldActivation;
}
const GAUSS_KEYS = optionKeys<GaussianMomentOptions>({ activation: true });

/**
 * Largest variance `gaussianActivationSecondMoment` integrates: the trapezoid rule needs 2·⌈100·√v⌉ + 1 points past
 * v = 0.0064, so this bound caps the work at about 2·10^6 evaluations of σ.
 */
export const MAX_GAUSSIAN_MOMENT_VARIANCE = 1e8;

/**
 * E[σ(Z)²] for Z ~ N(0, v), by the trapezoid rule on z ∈ [−40, 40] (standardized). For an integrand analytic in a
 * strip and Gaussian-decaying the trapezoid rule converges geometrically; the step is shrunk with √v because σ's
 * poles (at ±iπ/√v in the standardized variable for sigmoid) narrow that strip, keeping the error near 1e-15.
 * `variance` in [0, MAX_GAUSSIAN_MOMENT_VARIANCE = 1e8] (DomainError otherwise, before any work).
 */
export function gaussianActivationSecondMoment(variance: number, options: GaussianMomentOptions = {}): number {
  const o = checkedOptions('gaussianActivationSecondMoment', options, GAUSS_KEYS);
  const act = enumParam('options.activation', o['activation'], MEANFIELD_ACTIVATIONS, 'sigmoid');
  const s = Math.sqrt(rangeParam('variance', variance, 0, MAX_GAUSSIAN_MOMENT_VARIANCE));
  if (s === 0) return activate(act, 0) ** 2;
  const h = Math.min(0.05, 0.4 / s);
  const n = Math.ceil(40 / h);
  const step = 40 / n;
  let sum = 0;
  for (let k = -n; k <= n; k++) {
    const z = k * step;
    const v = activate(act, s * z);
    sum += v * v * Math.exp(-0.5 * z * z);
  }
  return (sum * step) / Math.sqrt(2 * Math.PI);
}

/** Options of `initOutputVariance`. */
export interface InitOutputVarianceOptions {
  /**
   * E[σ(Z^L_1(x))²], the mean square of one last-hidden-layer unit at init. Required for L ≥ 2 (no closed form; e.g.
   * estimate it from the last hidden activations of a forward pass). For L = 1 it may be omitted if `x` is given.
   */
  readonly activationSecondMoment?: number;
  /** The input; for L = 1 with no hidden bias, Z^1 = W^1·x ~ N(0, ‖x‖²) and the moment is computed exactly. */
  readonly x?: ArrayLike<number>;
  /** E[C²] of the mean-zero output init; default 1/3 (`outputInit: 'centered'`, U(−1, 1)); 1 for N(0, 1). */
  readonly outputSecondMoment?: number;
  readonly activation?: MeanFieldActivation;
}
const OUTVAR_KEYS = optionKeys<InitOutputVarianceOptions>({ activationSecondMoment: true, x: true, outputSecondMoment: true, activation: true });

/**
 * Exact output variance at initialization [I + V-num] (the paper's own statement was not found): for any
 * finite widths, if C is mean-zero with E[C²] = `outputSecondMoment`, independent of the hidden layers, and there is
 * no output bias, then
 *
 *     Var[g_0(x)] = N_L^{1−2γ_L} · E[C²] · E[σ(Z^L_1(x))²]
 *
 * (cross terms vanish since E[C_i C_j] = 0; the N_L hidden units are exchangeable). The inner γ's and widths enter
 * only through E[σ(Z^L)²]. Not valid for `outputInit: 'authors-code'` (U(0, 1) has mean 1/2).
 */
export function initOutputVariance(widths: readonly number[], gammas: Gammas, options: InitOutputVarianceOptions = {}): number {
  const o = checkedOptions('initOutputVariance', options, OUTVAR_KEYS);
  const w = checkMeanFieldWidths(widths);
  const L = w.length - 2;
  const g = checkGammas(gammas, L);
  const act = enumParam('options.activation', o['activation'], MEANFIELD_ACTIVATIONS, 'sigmoid');
  const ec2 = nonNegativeParam('options.outputSecondMoment', o['outputSecondMoment'], CENTERED_OUTPUT_SECOND_MOMENT);
  let m: number;
  if (o['activationSecondMoment'] !== undefined) {
    m = nonNegativeParam('options.activationSecondMoment', o['activationSecondMoment']);
  } else if (o['x'] !== undefined && L === 1) {
    checkRows(o['x'], w[0]!, 'options.x');
    const x = o['x'] as ArrayLike<number>;
    if (x.length !== w[0]) throw new ShapeError(`options.x must be one sample of length ${w[0]}, got length ${x.length}`);
    let sq = 0;
    for (let i = 0; i < x.length; i++) sq += x[i]! * x[i]!;
    if (sq > MAX_GAUSSIAN_MOMENT_VARIANCE) {
      throw new DomainError(`options.x must have ‖x‖² <= MAX_GAUSSIAN_MOMENT_VARIANCE = ${MAX_GAUSSIAN_MOMENT_VARIANCE} (the variance of Z^1), got ${sq}`);
    }
    m = gaussianActivationSecondMoment(sq, { activation: act });
  } else {
    throw new DomainError(
      L === 1
        ? 'initOutputVariance needs options.activationSecondMoment or options.x'
        : `initOutputVariance needs options.activationSecondMoment for ${L} hidden layers (E[σ(Z^L)²] has no closed form beyond one hidden layer)`,
    );
  }
  return Math.pow(w[L]!, 1 - 2 * g[L - 1]!) * ec2 * m;
}

/**
 * Variance of an inner pre-activation at init [I + V-num]: with mean-zero unit-variance W^{ℓ+1} and no
 * bias, Var[Z^{ℓ+1}_i(x)] = N_ℓ^{1−2γ_ℓ} · E[(H^ℓ_1(x))²] for ℓ = 1 … L−1 (so for γ_ℓ > 1/2, Z^{ℓ+1} → 0 and
 * H^{ℓ+1} → σ(0) as N_ℓ grows). `layer` is ℓ (1-based, the layer whose units are summed).
 */
export function initPreactivationVariance(widths: readonly number[], gammas: Gammas, layer: number, hiddenSecondMoment: number): number {
  const w = checkMeanFieldWidths(widths);
  const L = w.length - 2;
  const g = checkGammas(gammas, L);
  if (typeof layer !== 'number' || !Number.isInteger(layer) || layer < 1 || layer > L - 1) {
    throw new DomainError(`layer must be an integer in [1, ${L - 1}] (a hidden layer feeding another hidden layer), got ${describe(layer)}`);
  }
  const m = nonNegativeParam('hiddenSecondMoment', hiddenSecondMoment);
  return Math.pow(w[layer]!, 1 - 2 * g[layer - 1]!) * m;
}
