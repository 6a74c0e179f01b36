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
import { laplaceLogMoment } from './laplace.js';
import { betaExpect, binomialHalf } from './mixture.js';
import { parseMomentArgs } from './params.js';

/**
 * ln M_n(s) = ln E[Z^{s/2}] (exact, log space; p = s/2):
 * - linear: p·ln2 + lnΓ(n/2 + p) − lnΓ(n/2)                                     (derived)
 * - ReLU: p·ln2 + ln Σ_{k=1..n} C(n,k)2^(−n) Γ(k/2 + p)/Γ(k/2)                   (authors' notebooks)
 * - leaky(a): p·ln2 + lnΓ(n/2+p) − lnΓ(n/2) + ln Σ_k C(n,k)2^(−n) E[(a² + (1−a²)B_k)^p], B_k ~ Beta(k/2, (n−k)/2)
 *   (derived), a = 0 → ReLU, a = 1 → linear;
 * - RReLU(l, u): the Laplace integral (derived); l = u → leaky(l).
 * s = 2 gives ln(n·μ) exactly.
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

/** `logMomentM` for resolved arguments. */
export function exactLogMoment(act: ResolvedActivation, n: number, s: number): number {
  const p = s / 2;
  if (s === 2) return Math.log(n * act.mu);
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
        else e = betaExpect(k / 2, (n - k) / 2, [f])[0] as number;
        terms.push(lw + Math.log(e));
      }
      return p * Math.LN2 + lgammaRatio(n / 2, p) + logSumExp(terms);
    }
    case 'laplace':
      return laplaceLogMoment(act, n, s);
  }
}
