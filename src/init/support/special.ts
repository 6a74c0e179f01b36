/**
 * Special functions used by the initializers (float64): log-gamma, digamma, trigamma, erf / erfc, the standard normal
 * cdf, log-sum-exp, Gauss–Legendre nodes. Written for this project (used by docs/schemes/fractional.md).
 */
import { DomainError, describe } from '../../core/errors.js';

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.91893853320467274178;

/**
 * ln|Γ(x)| (Lanczos, g = 7, 9 coefficients; reflection for x < 0.5). Relative accuracy about 1e-15 away from the
 * zeros of lgamma (x = 1, 2), absolute accuracy about 1e-15 near them. Exact integers not special-cased.
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0.5) {
    // Γ(x)Γ(1−x) = π / sin(πx)
    const s = Math.sin(Math.PI * x);
    if (s === 0) return Infinity;
    return Math.log(Math.PI / Math.abs(s)) - lgamma(1 - x);
  }
  if (x === 1 || x === 2) return 0;
  if (x > 1e7) {
    // Stirling series, avoids cancellation in the Lanczos form for huge x
    const z = 1 / (x * x);
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + (1 / (12 * x)) * (1 - z * (1 / 30 - z / 105));
  }
  const xm = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS_G + 2; i++) sum += (LANCZOS[i] as number) / (xm + i);
  const t = xm + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (xm + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * lgamma(a + p) − lgamma(a) for a > 0, a + p > 0, without cancellation: shift a up to b ≥ 20 with
 * ln Γ(x+1) = ln Γ(x) + ln x (summing log1p(p/(a+j))), then the Stirling series at b written in terms of
 * x = p/b: p·ln b + b·(log1p(x) − x) + (p − ½)·log1p(x) + Σ_k B_2k/(2k(2k−1))·b^{1−2k}·expm1((1−2k)·log1p(x)).
 * Relative accuracy ~1e-15 for every a (also a ~ 1e5 and p ~ 1e-6, where exp(lgamma difference) would not be).
 */
export function lgammaRatio(a: number, p: number): number {
  if (p === 0) return 0;
  let corr = 0;
  let b = a;
  while (b < 20) {
    corr += Math.log1p(p / b);
    b += 1;
  }
  const x = p / b;
  const L = Math.log1p(x);
  let LmX: number;
  if (Math.abs(x) < 0.1) {
    // log1p(x) − x = Σ_{k≥2} (−1)^{k+1} x^k / k
    let term = x * x;
    LmX = 0;
    for (let k = 2; k < 60; k++) {
      const add = (k % 2 === 0 ? -term : term) / k;
      LmX += add;
      if (Math.abs(add) < 1e-18 * Math.abs(LmX)) break;
      term *= x;
    }
  } else {
    LmX = L - x;
  }
  let res = p * Math.log(b) + b * LmX + (p - 0.5) * L;
  const C = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360];
  let bp = 1 / b;
  const ib2 = 1 / (b * b);
  for (let k = 1; k <= C.length; k++) {
    const m = 2 * k - 1;
    res += (C[k - 1] as number) * bp * Math.expm1(-m * L);
    bp *= ib2;
  }
  return res - corr;
}

/** Digamma ψ(x) for x > 0: recurrence up to x ≥ 20, then the asymptotic series. */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return NaN;
  if (x < 0) return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  let acc = 0;
  let y = x;
  while (y < 20) {
    acc -= 1 / y;
    y += 1;
  }
  const z = 1 / (y * y);
  return (
    acc + Math.log(y) - 0.5 / y - z * (1 / 12 - z * (1 / 120 - z * (1 / 252 - z * (1 / 240 - z * (1 / 132)))))
  );
}

/** Trigamma ψ′(x) for x > 0: recurrence up to x ≥ 20, then the asymptotic series. */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  let acc = 0;
  let y = x;
  while (y < 20) {
    acc += 1 / (y * y);
    y += 1;
  }
  const iy = 1 / y;
  const z = iy * iy;
  return acc + iy + z / 2 + iy * z * (1 / 6 - z * (1 / 30 - z * (1 / 42 - z * (1 / 30))));
}

/** erf(x), about 1e-15 absolute (Taylor series for |x| < 2.5, continued fraction for erfc beyond). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf x = 2/√π Σ (−1)^n x^{2n+1} / (n! (2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  const c = erfcPositiveLarge(ax);
  return x > 0 ? 1 - c : c - 1;
}

/** erfc(x) = 1 − erf(x), accurate in the tails (relative ~1e-14 for x ≥ 2.5). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 2.5) return erfcPositiveLarge(x);
  if (x <= -2.5) return 2 - erfcPositiveLarge(-x);
  return 1 - erf(x);
}

function erfcPositiveLarge(x: number): number {
  if (x > 27) return 0;
  // Continued fraction (Lentz): erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  const tiny = 1e-300;
  let f = x;
  let C = x;
  let D = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    D = x + a * D;
    if (D === 0) D = tiny;
    C = x + a / C;
    if (C === 0) C = tiny;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Standard normal cdf Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal pdf φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * ln Σ exp(v_i), stable. Empty or all −∞ gives −∞. `values`: an array of numbers or a float typed array; a non-number
 * or NaN entry is a DomainError naming it (±Infinity allowed).
 */
export function logSumExp(values: ArrayLike<number>): number {
  if (!(Array.isArray(values) || values instanceof Float64Array || values instanceof Float32Array)) {
    throw new DomainError(`values must be an array of numbers or a Float64Array / Float32Array, got ${describe(values)}`);
  }
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || Number.isNaN(v)) throw new DomainError(`values[${i}] must be a number (not NaN), got ${describe(v)}`);
    if (v > m) m = v;
  }
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.exp((values[i] as number) - m);
  return m + Math.log(s);
}

/** ln C(n, k) via lgamma. */
export function lnChoose(n: number, k: number): number {
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/** P_n(z) by the three-term recurrence, and P_n'(z) = n (z P_n − P_{n−1}) / (z² − 1). */
function legendre(n: number, z: number): { p: number; dp: number } {
  let p1 = 1;
  let p2 = 0;
  for (let j = 1; j <= n; j++) {
    const p3 = p2;
    p2 = p1;
    p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
  }
  return { p: p1, dp: (n * (z * p1 - p2)) / (z * z - 1) };
}

const glCache = new Map<number, { x: Float64Array; w: Float64Array }>();

/**
 * Most nodes `gaussLegendre` computes: its Newton iterations cost O(n²) (each evaluates P_n by an n-term recurrence),
 * about half a second at this bound and four times that at twice it; quadratures in src/init use at most 200.
 */
export const MAX_GAUSS_LEGENDRE_NODES = 5000;

/**
 * Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_n, Golub-free; cached). `n` an integer in
 * [1, MAX_GAUSS_LEGENDRE_NODES = 5000] (DomainError otherwise, before any work).
 */
export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_GAUSS_LEGENDRE_NODES) {
    throw new DomainError(`n (number of nodes) must be an integer in [1, ${MAX_GAUSS_LEGENDRE_NODES}], got ${describe(n)}`);
  }
  const hit = glCache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let it = 0; it < 100; it++) {
      const { p, dp } = legendre(n, z);
      const z1 = z;
      z = z1 - p / dp;
      if (Math.abs(z - z1) < 1e-16) break;
    }
    const pp = legendre(n, z).dp; // derivative at the converged node
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = 2 / ((1 - z * z) * pp * pp);
    w[n - 1 - i] = w[i] as number;
  }
  const r = { x, w };
  glCache.set(n, r);
  return r;
}
