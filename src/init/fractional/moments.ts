/**
 * The moment M_n(s) = E[Z^{s/2}] of the fractional moment-preserving scheme (docs/schemes/fractional.md), after
 * M. Gürbüzbalaban & Y. Hu, "Fractional moment-preserving initialization schemes for training deep neural networks",
 * AISTATS 2021 (arXiv:2005.11878). Gaussian weights N(0, σ²) on an n-output layer with a positively homogeneous
 * activation give ‖x_k‖² = σ²‖x_{k−1}‖²·Z, Z = Σ_i c_i g_i² (g ~ N(0, I_n), c_i = 1 if g_i > 0 else slope²).
 *
 * Provenance: the ReLU binomial–Gamma sum is in the authors' notebooks; the linear, leaky-ReLU (Beta mixture) and RReLU
 * (Laplace integral) formulas are **derived**, checked numerically; the paper's exact statement for leaky ReLU / RReLU
 * is unverified.
 */
import { lgammaRatio, logSumExp } from '../support/special.js';
import { momentRoute, type FractionalActivationSpec, type ResolvedActivation } from './activation.js';
import { laplaceLogMoment, laplaceLogMoments } from './laplace.js';
import { betaMeans, binomialHalf } from './mixture.js';
import { parseMomentArgs } from './params.js';

/**
 * ln M_n(s) = ln E[Z^{s/2}] (exact, log space; p = s/2):
 * - linear: p·ln2 + lnΓ(n/2 + p) − lnΓ(n/2)                                     (derived)
 * - ReLU: p·ln2 + ln Σ_{k=1..n} C(n,k)2^(−n) Γ(k/2 + p)/Γ(k/2)                   (authors' notebooks)
 * - leaky(a): p·ln2 + lnΓ(n/2+p) − lnΓ(n/2) + ln Σ_k C(n,k)2^(−n) E[(a² + (1−a²)B_k)^p], B_k ~ Beta(k/2, (n−k)/2)
 *   (derived), a = 0 → ReLU, a = 1 → linear;
 * - RReLU(l, u): the Laplace integral (derived); l = u → leaky(l).
 * s = 2 gives ln(n·μ) exactly. For s < 1e-4 the cancellation-free forms of `SMALL_S` are used.
 */
export function logMomentM(act: FractionalActivationSpec, n: number, s: number): number {
  const a = parseMomentArgs('logMomentM', act, n, s);
  return exactLogMoment(a.act, a.n, a.s);
}

/** M_n(s) = E[Z^{s/2}] (see `logMomentM`). */
export function momentM(act: FractionalActivationSpec, n: number, s: number): number {
  const a = parseMomentArgs('momentM', act, n, s);
  return Math.exp(exactLogMoment(a.act, a.n, a.s));
}

/**
 * ln M_n(s) by the Laplace integral p/Γ(1−p)·∫₀^∞ (1 − ℓ(t)^n) t^(−p−1) dt (p = s/2, ℓ the per-neuron Laplace
 * transform E[exp(−t c g²)]; derived), for every activation: a cross-check of the exact forms of `logMomentM` and the
 * route it takes for RReLU.
 */
export function logMomentLaplace(act: FractionalActivationSpec, n: number, s: number): number {
  const a = parseMomentArgs('logMomentLaplace', act, n, s);
  return laplaceLogMoment(a.act, a.n, a.s);
}

/**
 * Below this moment order ln M_n(s) ≈ (s/2)·E[ln Z] + ln P(Z > 0) is tiny, and the forms above (a log-sum-exp of
 * terms near 0, then ln) lose it to rounding: absolute error ~1e-16 in ln M becomes an O(1) error in σ_s = M^(−1/s)
 * at s ~ 1e-16. `smallSLogMoment` keeps relative accuracy instead.
 */
export const SMALL_S = 1e-4;

/**
 * ln M_n(s) for s < SMALL_S, with p = s/2 (derived):
 * - linear: p·ln2 + lnΓ(n/2 + p) − lnΓ(n/2) (lgammaRatio is relative-accurate as p → 0);
 * - ReLU: ln(1 − 2^(−n)) + p·ln2 + log1p(Σ_{k≥1} w_k·expm1(lnΓ(k/2 + p) − lnΓ(k/2))), w_k the Binomial(n, ½) pmf
 *   renormalised over k ≥ 1;
 * - leaky(a): p·ln2 + lnΓ(n/2 + p) − lnΓ(n/2) + log1p(Σ_k w_k·E[expm1(p·ln(a² + (1 − a²)B_k))]);
 * - RReLU (l < u): the cumulant expansion p·E[ln Z] + p²/2·Var[ln Z] (error O(p³); E, Var by `laplaceLogMoments`).
 * As s → 0, ln M_n(s)/s → ½E[ln Z] when Z > 0 a.s., so σ_s → exp(−½E[ln Z]); for ReLU the term ln(1 − 2^(−n))/s
 * makes σ_s → ∞ (P(Z = 0) = 2^(−n) > 0).
 */
function smallSLogMoment(act: ResolvedActivation, n: number, s: number): number {
  const p = s / 2;
  switch (momentRoute(act)) {
    case 'linear':
      return p * Math.LN2 + lgammaRatio(n / 2, p);
    case 'relu': {
      const { k0, logPmf } = binomialHalf(n);
      let wsum = 0;
      let acc = 0;
      for (let i = 0; i < logPmf.length; i++) {
        const k = k0 + i;
        const w = Math.exp(logPmf[i] as number);
        if (k === 0 || w === 0) continue;
        wsum += w;
        acc += w * Math.expm1(lgammaRatio(k / 2, p));
      }
      return Math.log1p(-Math.pow(2, -n)) + p * Math.LN2 + Math.log1p(acc / wsum);
    }
    case 'beta-mixture': {
      const a2 = act.a * act.a;
      const { k0, logPmf } = binomialHalf(n);
      const f = (b: number): number => Math.expm1(p * Math.log(a2 + (1 - a2) * b));
      let wsum = 0;
      let acc = 0;
      for (let i = 0; i < logPmf.length; i++) {
        const k = k0 + i;
        const lw = logPmf[i] as number;
        if (lw < -700) continue;
        const w = Math.exp(lw);
        const e = k === 0 ? Math.expm1(p * Math.log(a2)) : k === n ? 0 : (betaMeans(k / 2, (n - k) / 2, [f])[0] as number);
        wsum += w;
        acc += w * e;
      }
      return p * Math.LN2 + lgammaRatio(n / 2, p) + Math.log1p(acc / wsum);
    }
    case 'laplace': {
      const { meanLogZ, varLogZ } = laplaceLogMoments(act, n);
      return p * meanLogZ + ((p * p) / 2) * varLogZ;
    }
  }
}

/** `logMomentM` for resolved arguments. */
export function exactLogMoment(act: ResolvedActivation, n: number, s: number): number {
  const p = s / 2;
  if (s === 2) return Math.log(n * act.mu);
  if (s < SMALL_S) return smallSLogMoment(act, n, s);
  switch (momentRoute(act)) {
    case 'linear':
      return p * Math.LN2 + lgammaRatio(n / 2, p);
    case 'relu': {
      const { k0, logPmf } = binomialHalf(n);
      const terms: number[] = [];
      for (let i = 0; i < logPmf.length; i++) {
        const k = k0 + i;
        if (k === 0) continue;
        terms.push((logPmf[i] as number) + lgammaRatio(k / 2, p));
      }
      return p * Math.LN2 + logSumExp(terms);
    }
    case 'beta-mixture': {
      const a2 = act.a * act.a;
      const { k0, logPmf } = binomialHalf(n);
      const terms: number[] = [];
      const f = (b: number): number => Math.pow(a2 + (1 - a2) * b, p);
      for (let i = 0; i < logPmf.length; i++) {
        const k = k0 + i;
        const lw = logPmf[i] as number;
        if (lw < -700) continue;
        let e: number;
        if (k === 0) e = Math.pow(a2, p);
        else if (k === n) e = 1;
        else e = betaMeans(k / 2, (n - k) / 2, [f])[0] as number;
        terms.push(lw + Math.log(e));
      }
      return p * Math.LN2 + lgammaRatio(n / 2, p) + logSumExp(terms);
    }
    case 'laplace':
      return laplaceLogMoment(act, n, s);
  }
}
