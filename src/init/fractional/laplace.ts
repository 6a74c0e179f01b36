/**
 * The Laplace-integral route of the fractional scheme (docs/schemes/fractional.md; derived), valid for every
 * activation and the only one for RReLU with l < u: with the per-neuron Laplace transform ℓ(t) = E[exp(−t c g²)],
 *
 *     E[Z^p]  = p/Γ(1−p) · ∫₀^∞ (1 − ℓ(t)^n) t^(−p−1) dt        (0 < p < 1)
 *     E[Z^−q] = 1/Γ(q)   · ∫₀^∞ ℓ(t)^n t^(q−1) dt               (0 < q < 1, Z > 0 a.s.)
 *
 * computed in v = ln t on one shared grid. Callers pass resolved arguments (see params.ts).
 */
import { gaussLegendre, lgamma } from '../support/special.js';
import type { ResolvedActivation } from './activation.js';

/** (1 + x)^(−1/2) − 1 without cancellation; −1 at x = ∞. */
function hInvSqrt(x: number): number {
  if (x === Infinity) return -1;
  const r = Math.sqrt(1 + x);
  return Math.max(-1, -x / (r * (1 + r))); // the clamp guards against rounding below −1 for huge x
}

/** ℓ(t) − 1 for the per-neuron Laplace transform ℓ(t) = E[exp(−t c g²)]. */
function ellMinus1(act: ResolvedActivation): (t: number) => number {
  if (act.kind === 'linear') return (t) => hInvSqrt(2 * t);
  if (act.kind === 'relu') return (t) => 0.5 * hInvSqrt(2 * t);
  if (act.kind === 'leaky_relu' || act.a === act.u) {
    const a2 = act.a * act.a;
    return (t) => 0.5 * (hInvSqrt(2 * t) + hInvSqrt(2 * a2 * t));
  }
  const l = act.a;
  const u = act.u;
  const gl = gaussLegendre(32);
  const c = 0.5 * (l + u);
  const hw = 0.5 * (u - l);
  return (t) => {
    let avg: number;
    if (2 * u * u * t <= 1) {
      // (1/(u−l)) ∫_l^u [(1 + 2α²t)^(−1/2) − 1] dα by Gauss–Legendre (analytic, cancellation-free)
      let sum = 0;
      for (let i = 0; i < gl.x.length; i++) {
        const al = c + hw * (gl.x[i] as number);
        sum += (gl.w[i] as number) * hInvSqrt(2 * al * al * t);
      }
      avg = 0.5 * sum;
    } else {
      const y = Math.sqrt(2 * t);
      avg = y === Infinity ? -1 : Math.max(-1, (Math.asinh(u * y) - Math.asinh(l * y)) / ((u - l) * y) - 1);
    }
    return 0.5 * (hInvSqrt(2 * t) + avg);
  };
}

const LAPLACE_H = 0.01;

/**
 * The shared grid of the Laplace integrals in v = ln t: midpoint rule with step ≈ LAPLACE_H on
 * [c₀ − 30, c₀ + 80], c₀ = −ln(nμ); returns the bounds, the step and h·Σ f(midpoints).
 */
function laplaceMidpoint(nmu: number, f: (v: number) => number): { vlo: number; vhi: number; h: number; sum: number } {
  const c0 = -Math.log(nmu);
  const vlo = c0 - 30;
  const vhi = c0 + 80;
  const steps = Math.round((vhi - vlo) / LAPLACE_H);
  const h = (vhi - vlo) / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += f(vlo + (i + 0.5) * h);
  return { vlo, vhi, h, sum: sum * h };
}

/**
 * ln M_n(s) = ln E[Z^p] (p = s/2) by the Laplace integral p/Γ(1−p)·∫₀^∞ (1 − ℓ(t)^n) t^(−p−1) dt, t = e^v, midpoint
 * rule (h = 0.01) on [c₀ − 30, c₀ + 80] (c₀ = −ln(nμ)), analytic tails and the Euler–Maclaurin endpoint correction
 * −h²/24·(f′(v_hi) − f′(v_lo)) (f′ from the tail asymptotics); s = 2 gives ln(n·μ) exactly.
 */
export function laplaceLogMoment(act: ResolvedActivation, n: number, s: number): number {
  if (s === 2) return Math.log(n * act.mu);
  const p = s / 2;
  const em1 = ellMinus1(act);
  const nmu = n * act.mu;
  const { vlo, vhi, h, sum } = laplaceMidpoint(nmu, (v) => -Math.expm1(n * Math.log1p(em1(Math.exp(v)))) * Math.exp(-p * v));
  const ellInf = act.kind === 'relu' ? 0.5 : 0;
  const oneInf = ellInf === 0 ? 1 : -Math.expm1(n * Math.log1p(ellInf - 1));
  const fLo = nmu * Math.exp((1 - p) * vlo);
  const fHi = oneInf * Math.exp(-p * vhi);
  const leftTail = fLo / (1 - p);
  const rightTail = fHi / p;
  // Euler–Maclaurin correction of the midpoint rule: ∫ − h Σ f(mid) ≈ (h²/24)(f′(b) − f′(a))
  const corr = ((h * h) / 24) * (-p * fHi - (1 - p) * fLo);
  const integral = sum + leftTail + rightTail + corr;
  return Math.log(p) - lgamma(1 - p) + Math.log(integral);
}

/**
 * ln E[Z^(−q)] (0 < q < 1) by ∫ t^(q−1) ℓ(t)^n dt / Γ(q), valid when Z > 0 a.s. (not ReLU). Same grid and
 * corrections as `laplaceLogMoment`.
 */
export function laplaceLogNegMoment(act: ResolvedActivation, n: number, q: number): number {
  const em1 = ellMinus1(act);
  const nmu = n * act.mu;
  const { vlo, vhi, h, sum } = laplaceMidpoint(nmu, (v) => Math.exp(q * v + n * Math.log1p(em1(Math.exp(v)))));
  const leftTail = Math.exp(q * vlo) / q - (nmu * Math.exp((1 + q) * vlo)) / (1 + q);
  const fLo = Math.exp(q * vlo + n * Math.log1p(em1(Math.exp(vlo))));
  const fHi = Math.exp(q * vhi + n * Math.log1p(em1(Math.exp(vhi))));
  const corr = ((h * h) / 24) * ((q - n / 2) * fHi - q * fLo);
  return Math.log(sum + leftTail + corr) - lgamma(q);
}

/**
 * E ln Z = K′(0) and Var ln Z = K″(0) of K(p) = ln E[Z^p], by 5-point central differences (h = 0.01) of the Laplace
 * integrals (valid when Z > 0 a.s., i.e. not ReLU): the log-norm statistics of RReLU with l < u (drift.ts) and the
 * small-s expansion of ln M_n(s) on that route (moments.ts).
 */
export function laplaceLogMoments(act: ResolvedActivation, n: number): { meanLogZ: number; varLogZ: number } {
  const h = 0.01;
  const K = (pp: number): number => (pp > 0 ? laplaceLogMoment(act, n, 2 * pp) : laplaceLogNegMoment(act, n, -pp));
  const kp1 = K(h);
  const km1 = K(-h);
  const kp2 = K(2 * h);
  const km2 = K(-2 * h);
  return {
    meanLogZ: (8 * (kp1 - km1) - (kp2 - km2)) / (12 * h),
    varLogZ: (-kp2 + 16 * kp1 + 16 * km1 - km2) / (12 * h * h),
  };
}
