/**
 * σ_s of the fractional moment-preserving scheme (docs/schemes/fractional.md), after M. Gürbüzbalaban & Y. Hu,
 * "Fractional moment-preserving initialization schemes for training deep neural networks", AISTATS 2021
 * (PMLR 130:2233–2241, arXiv:2005.11878); authors' code: github.com/YhHu96/Fractional-moment-preserving-
 * initialization-schemes-for-training-deep-neural-networks (`frac_init.py`, `yuanhan_normal_`).
 *
 * With M_n(s) = E[Z^{s/2}] (moments.ts), the scale
 *
 *     σ_s = M_n(s)^(−1/s),   0 < s ≤ 2                                                          (★)
 *
 * preserves E‖x‖^s exactly from layer to layer. s = 2 gives LeCun (linear), He (ReLU), He-PReLU (leaky).
 * Provenance: the asymptotic formulas of `compat: 'authors-code'` are those of the authors' `yuanhan_normal_`; the
 * exact σ_s for leaky ReLU / RReLU and the large-n expansion are **derived** (the paper's exact statement is
 * unverified).
 */
import { DomainError, describe } from '../../core/errors.js';
import { checkedOptions, optionKeys } from '../support/options.js';
import type { FractionalActivationSpec, ResolvedActivation } from './activation.js';
import { exactLogMoment } from './moments.js';
import { compatParam, momentOrderParam, parseMomentArgs, type FractionalCompat } from './params.js';

export interface SigmaSOptions {
  /**
   * `'exact'` (default): σ_s = M_n(s)^(−1/s).
   * `'authors-code'`: the asymptotic σ² of the authors' `yuanhan_normal_` (used in the published experiments):
   * relu 2/n + 5(2−s)/(2n²); linear 1/n + (2−s)/(2n²); leaky 2/((1+a²)n) + (2−s)((5s−24)a² + 10)/((2(s+2)a² + 4)n²).
   * It has no RReLU formula.
   */
  readonly compat?: FractionalCompat;
}

const SIGMA_S_KEYS = optionKeys<SigmaSOptions>({ compat: true });

/**
 * σ_s, the std of N(0, σ²) weights preserving the s-th moment of the activation norm (★), for layer width n
 * (the caller passes n = fan_in by default, as the authors' code does; fan_out preserves ‖x‖ moments exactly).
 * For leaky ReLU / RReLU this is the "fractional-moment σ_s for RReLU / leaky ReLU (derived; the paper's exact
 * statement is unverified)".
 *
 * Small s: ln M_n(s)/s is evaluated without cancellation (moments.ts `SMALL_S`); as s → 0, σ_s → exp(−½E[ln Z])
 * when Z > 0 a.s. (linear, leaky with a > 0, RReLU with u > 0). For ReLU, σ_s = exp(−ln(1 − 2^(−n))/s − ½E[ln Z | Z>0]
 * + O(s)) grows without bound as s → 0; beyond about s < −ln(1 − 2^(−n))/709 (s < 1e-3 at n = 1) the true value
 * exceeds float64 and the result is Infinity: IEEE overflow is the honest answer there (the initializer
 * `fractionalMomentNormal` rejects it with a NonFiniteError).
 * `compat: 'authors-code'`: the asymptotic leaky-ReLU variance can be ≤ 0 for small n (e.g. a = 0.98, n = 1,
 * s = 0.05); no σ exists then and a DomainError says so.
 */
export function sigmaS(act: FractionalActivationSpec, n: number, s: number, options: SigmaSOptions = {}): number {
  const o = checkedOptions('sigmaS', options, SIGMA_S_KEYS);
  const compat = compatParam('compat', o['compat']);
  const a = parseMomentArgs('sigmaS', act, n, s);
  return sigmaFor(a.act, a.n, a.s, compat);
}

/** `sigmaS` for resolved arguments. */
export function sigmaFor(act: ResolvedActivation, n: number, s: number, compat: FractionalCompat): number {
  if (compat === 'authors-code') {
    const v = authorsCodeVariance(act, n, s);
    if (!(v > 0)) {
      throw new DomainError(
        `compat "authors-code": the authors' asymptotic variance σ² = ${describe(v)} is not positive for ` +
          `act = ${act.kind}${act.kind === 'leaky_relu' ? ` (a = ${act.a})` : ''}, n = ${n}, s = ${s}; the formula is a large-n ` +
          `expansion and has no σ here (use compat "exact" or a larger n)`,
      );
    }
    return Math.sqrt(v);
  }
  return Math.exp(-exactLogMoment(act, n, s) / s);
}

function authorsCodeVariance(act: ResolvedActivation, n: number, s: number): number {
  if (act.kind === 'relu') return 2 / n + (5 * (2 - s)) / (2 * n * n);
  if (act.kind === 'linear') return 1 / n + (2 - s) / (2 * n * n);
  if (act.kind === 'leaky_relu') {
    const a2 = act.a * act.a;
    return 2 / ((1 + a2) * n) + ((2 - s) * ((5 * s - 24) * a2 + 10)) / ((2 * (s + 2) * a2 + 4) * n * n);
  }
  throw new DomainError(`compat "authors-code" has no RReLU formula (the authors' code covers relu, linear, leaky_relu); use compat "exact"`);
}

/**
 * Large-n expansion of σ_s² (derived): (1/(nμ))·[1 + (2−s)·κ/(4n)], error O(n⁻³), with μ and κ the slope moments of
 * `ResolvedActivation`.
 */
export function sigmaSSquaredExpansion(act: FractionalActivationSpec, n: number, s: number): number {
  const a = parseMomentArgs('sigmaSSquaredExpansion', act, n, s);
  return (1 / (a.n * a.act.mu)) * (1 + ((2 - a.s) * a.act.kappa) / (4 * a.n));
}

/** ρ(r) = σ_s^r·M_n(r): per-layer growth factor of E‖x‖^r under σ_s (ρ(s) = 1; derived). */
export function momentRatio(act: FractionalActivationSpec, n: number, s: number, r: number): number {
  const rr = momentOrderParam('r', r);
  const a = parseMomentArgs('momentRatio', act, n, s);
  // ln σ_s = −ln M_n(s)/s directly: σ_s itself may overflow (ReLU, tiny s) while ρ(r) stays finite
  return Math.exp(rr * (-exactLogMoment(a.act, a.n, a.s) / a.s) + exactLogMoment(a.act, a.n, rr));
}
