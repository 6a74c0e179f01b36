/**
 * Student's t distribution through the regularized incomplete beta function: its cdf and its quantile, for the
 * confidence intervals over seeds (src/experiments/stats.ts). Float64 throughout.
 */
import { DomainError, describe } from '../core/errors.js';
import { lgamma } from '../init/index.js';

const EPS = 1e-16;
const TINY = 1e-300;
/** Iterations of the continued fraction; it converges in O(√max(a, b)) terms for x on the convergent side. */
const CF_MAX = 10_000;

/** The continued fraction of I_x(a, b) (modified Lentz; Numerical Recipes §6.4), for x < (a + 1)/(a + b + 2). */
function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= CF_MAX; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  throw new DomainError(`regularizedBeta: the continued fraction did not converge for x = ${x}, a = ${a}, b = ${b}`);
}

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b) for x ∈ [0, 1], a, b > 0, by its
 * continued fraction (Abramowitz & Stegun 26.5.8) on the side where it converges fast, and the symmetry
 * I_x(a, b) = 1 − I_{1−x}(b, a) on the other. Relative accuracy about 1e-14 on the side evaluated directly.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw new DomainError(`x must be a number in [0, 1], got ${describe(x)}`);
  if (typeof a !== 'number' || !(a > 0) || !Number.isFinite(a)) throw new DomainError(`a must be a finite number > 0, got ${describe(a)}`);
  if (typeof b !== 'number' || !(b > 0) || !Number.isFinite(b)) throw new DomainError(`b must be a finite number > 0, got ${describe(b)}`);
  if (x === 0 || x === 1) return x;
  const lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaFraction(1 - x, b, a)) / b;
}

function checkDf(df: unknown): number {
  if (typeof df !== 'number' || !(df > 0) || !Number.isFinite(df)) throw new DomainError(`df must be a finite number > 0 (degrees of freedom), got ${describe(df)}`);
  return df;
}

/** Upper tail P(T > t) for t ≥ 0: ½·I_{ν/(ν+t²)}(ν/2, ½) (A&S 26.7.1). */
function upperTail(t: number, df: number): number {
  return 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(T ≤ t) of Student's t with `df` > 0 degrees of freedom: ½·I_{ν/(ν+t²)}(ν/2, ½) in the tail of t's sign. */
export function studentTCdf(t: number, df: number): number {
  const v = checkDf(df);
  if (typeof t !== 'number' || Number.isNaN(t)) throw new DomainError(`t must be a number, got ${describe(t)}`);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  return t >= 0 ? 1 - upperTail(t, v) : upperTail(-t, v);
}

/**
 * The p-quantile t_{p,ν} of Student's t with ν = `df` > 0 degrees of freedom (p ∈ (0, 1)): the t with
 * P(T ≤ t) = p, found by bisection on ln t of the upper tail ½·I_{ν/(ν+t²)}(ν/2, ½) = min(p, 1 − p) (the tail is
 * monotone, so bisection cannot fail), then the sign. Closed forms where they exist: ν = 1 (Cauchy, tan(π(p − ½)))
 * and ν = 2 ((2p − 1)/√(2p(1 − p))); the tests check the bisection against both and against table values.
 */
export function studentTQuantile(p: number, df: number): number {
  const v = checkDf(df);
  if (typeof p !== 'number' || !(p > 0 && p < 1)) throw new DomainError(`p must be a probability in (0, 1), got ${describe(p)}`);
  if (p === 0.5) return 0;
  const tail = Math.min(p, 1 - p);
  // ln t in [−60, 710]: P(T > e^−60) rounds to ½ and e^710 overflows; the tail at e^710 is below any float64 p
  let lo = -60;
  let hi = 709;
  if (upperTail(Math.exp(hi), v) > tail) throw new DomainError(`p = ${p} is too close to 0 or 1 for ν = ${v}: the quantile exceeds e^709`);
  for (let k = 0; k < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo), Math.abs(hi)); k++) {
    const mid = 0.5 * (lo + hi);
    if (upperTail(Math.exp(mid), v) > tail) lo = mid;
    else hi = mid;
  }
  const t = Math.exp(0.5 * (lo + hi));
  return p > 0.5 ? t : -t;
}
