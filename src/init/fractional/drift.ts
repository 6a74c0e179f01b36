/**
 * Log-norm behaviour with depth of the fractional moment-preserving scheme (docs/schemes/fractional.md; derived):
 * ln‖x_L‖ − ln‖x_0‖ = Σ_k (ln σ + ½ ln Z_k) is a sum of i.i.d. terms, so it has mean L·m and variance L·τ² exactly,
 * with m = ln σ + ½E[ln Z] and τ² = ¼Var[ln Z], and is Gaussian in the limit (the log-normal limit; the existence claim
 * is in the paper's abstract).
 */
import { DomainError } from '../../core/errors.js';
import { checkedOptions, enumParam, optionKeys, positiveParam } from '../support/options.js';
import { digamma, trigamma } from '../support/special.js';
import { momentRoute, type FractionalActivationSpec, type ResolvedActivation } from './activation.js';
import { laplaceLogMoments } from './laplace.js';
import { betaMeans, binomialHalf } from './mixture.js';
import { parseMomentArgs } from './params.js';
import { sigmaFor } from './sigma.js';

/** Per-layer log-norm statistics. */
export interface LogNormDrift {
  /** m = ln σ + ½E[ln Z], the per-layer drift of ln‖x‖ ("Lyapunov exponent"). */
  readonly m: number;
  /** τ² = ¼ Var[ln Z] (independent of σ). */
  readonly tau2: number;
  readonly meanLogZ: number;
  readonly varLogZ: number;
  /** The σ used (σ_s unless `sigma` was given). */
  readonly sigma: number;
  /** P(layer output not identically 0): 1 − 2^(−n) for ReLU (statistics are conditional on survival), else 1. */
  readonly pAlive: number;
  /** 'closed-form' (linear, ReLU, leaky via ψ, ψ′ and Beta quadrature) or 'finite-difference' (RReLU). */
  readonly method: 'closed-form' | 'finite-difference';
}

/** Options of `logNormDrift`. */
export interface LogNormDriftOptions {
  /** Use this σ instead of σ_s (e.g. He: sqrt(2/n)); `s` is then only used for the default. */
  readonly sigma?: number;
  /** `'laplace'` forces the finite-difference route for any activation with Z > 0 a.s.; default `'auto'`. */
  readonly method?: 'auto' | 'laplace';
}

const DRIFT_KEYS = optionKeys<LogNormDriftOptions>({ sigma: true, method: true });

/**
 * Log-norm drift m and variance τ² per layer (derived): ln‖x_L‖ − ln‖x_0‖ has mean L·m and variance L·τ² exactly
 * (Gaussian limit by the CLT).
 * - linear: E ln Z = ln2 + ψ(n/2), Var ln Z = ψ′(n/2);
 * - ReLU (conditional on K ≥ 1): E ln Z = ln2 + E[ψ(K/2) | K≥1], Var = E[ψ′(K/2) | K≥1] + Var[ψ(K/2) | K≥1];
 * - leaky(a): ln2 + ψ(n/2) + E ln(a² + (1−a²)B_K), Var = ψ′(n/2) + Var ln(a² + (1−a²)B_K) (Beta quadrature);
 * - RReLU: derivatives at 0 of K(p) = ln E[Z^p] by 5-point central differences (h = 0.01) of the Laplace
 *   integrals (accuracy about 1e-8).
 * @param options.sigma use this σ instead of σ_s (e.g. He: sqrt(2/n)); `s` is then only used for the default.
 * @param options.method `'laplace'` forces the finite-difference route for any activation with Z > 0 a.s.
 *   (a cross-check of the closed forms); default `'auto'`.
 */
export function logNormDrift(act: FractionalActivationSpec, n: number, s: number, options: LogNormDriftOptions = {}): LogNormDrift {
  const a = parseMomentArgs('logNormDrift', act, n, s);
  const o = checkedOptions('logNormDrift', options, DRIFT_KEYS);
  const sigma = o['sigma'] === undefined ? undefined : positiveParam('sigma', o['sigma']);
  const method = enumParam('method', o['method'], ['auto', 'laplace'] as const, 'auto');
  const route = momentRoute(a.act);
  if (method === 'laplace' && route === 'relu') {
    throw new DomainError(`method "laplace" needs Z > 0 almost surely (not ReLU / slope 0)`);
  }
  const stats = method === 'laplace' ? finiteDifferenceLogMoments(a.act, a.n) : logMomentsOf(a.act, a.n);
  const { meanLogZ, varLogZ, pAlive } = stats;
  const sig = sigma ?? sigmaFor(a.act, a.n, a.s, 'exact');
  return { m: Math.log(sig) + 0.5 * meanLogZ, tau2: varLogZ / 4, meanLogZ, varLogZ, sigma: sig, pAlive, method: stats.method };
}

interface LogMoments {
  readonly meanLogZ: number;
  readonly varLogZ: number;
  readonly pAlive: number;
  readonly method: 'closed-form' | 'finite-difference';
}

/** E ln Z and Var ln Z by the route of the activation (closed forms; finite differences for RReLU with l < u). */
function logMomentsOf(act: ResolvedActivation, n: number): LogMoments {
  switch (momentRoute(act)) {
    case 'linear':
      return { meanLogZ: Math.LN2 + digamma(n / 2), varLogZ: trigamma(n / 2), pAlive: 1, method: 'closed-form' };
    case 'relu':
      return reluLogMoments(n);
    case 'beta-mixture':
      return betaMixtureLogMoments(act.a * act.a, n);
    case 'laplace':
      return finiteDifferenceLogMoments(act, n);
  }
}

/** ReLU, conditional on K ≥ 1 active neurons: ln2 + E[ψ(K/2)], E[ψ′(K/2)] + Var[ψ(K/2)]; P(K ≥ 1) = 1 − 2^(−n). */
function reluLogMoments(n: number): LogMoments {
  const { k0, logPmf } = binomialHalf(n);
  // conditional on K ≥ 1: renormalise the weights over k ≥ 1
  let wsum = 0;
  let m1 = 0;
  let m2 = 0;
  let tri = 0;
  for (let i = 0; i < logPmf.length; i++) {
    const k = k0 + i;
    if (k === 0) continue;
    const w = Math.exp(logPmf[i] as number);
    if (w === 0) continue;
    const ps = digamma(k / 2);
    wsum += w;
    m1 += w * ps;
    m2 += w * ps * ps;
    tri += w * trigamma(k / 2);
  }
  m1 /= wsum;
  m2 /= wsum;
  tri /= wsum;
  return {
    meanLogZ: Math.LN2 + m1,
    varLogZ: tri + Math.max(0, m2 - m1 * m1),
    pAlive: -Math.expm1(-n * Math.LN2),
    method: 'closed-form',
  };
}

/** One slope a (a2 = a²): ln2 + ψ(n/2) + E ln(a² + (1−a²)B_K), ψ′(n/2) + Var ln(a² + (1−a²)B_K) (Beta quadrature). */
function betaMixtureLogMoments(a2: number, n: number): LogMoments {
  const { k0, logPmf } = binomialHalf(n);
  const f1 = (b: number): number => Math.log(a2 + (1 - a2) * b);
  const f2 = (b: number): number => {
    const l = Math.log(a2 + (1 - a2) * b);
    return l * l;
  };
  let e1 = 0;
  let e2 = 0;
  let wsum = 0;
  for (let i = 0; i < logPmf.length; i++) {
    const k = k0 + i;
    const w = Math.exp(logPmf[i] as number);
    if (w === 0) continue;
    let v1: number;
    let v2: number;
    if (k === 0) {
      v1 = Math.log(a2);
      v2 = v1 * v1;
    } else if (k === n) {
      v1 = 0;
      v2 = 0;
    } else {
      const r = betaMeans(k / 2, (n - k) / 2, [f1, f2]);
      v1 = r[0] as number;
      v2 = r[1] as number;
    }
    wsum += w;
    e1 += w * v1;
    e2 += w * v2;
  }
  e1 /= wsum;
  e2 /= wsum;
  return {
    meanLogZ: Math.LN2 + digamma(n / 2) + e1,
    varLogZ: trigamma(n / 2) + Math.max(0, e2 - e1 * e1),
    pAlive: 1,
    method: 'closed-form',
  };
}

/** E ln Z = K′(0), Var ln Z = K″(0) of K(p) = ln E[Z^p] by 5-point central differences (laplace.ts). */
function finiteDifferenceLogMoments(act: ResolvedActivation, n: number): LogMoments {
  return { ...laplaceLogMoments(act, n), pAlive: 1, method: 'finite-difference' };
}
