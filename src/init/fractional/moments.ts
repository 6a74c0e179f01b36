/**
 * Fractional moment-preserving initialization (spec/fractional_moment_init.md), after M. Gürbüzbalaban & Y. Hu,
 * "Fractional moment-preserving initialization schemes for training deep neural networks", AISTATS 2021
 * (PMLR 130:2233–2241, arXiv:2005.11878); authors' code: github.com/YhHu96/Fractional-moment-preserving-
 * initialization-schemes-for-training-deep-neural-networks (`frac_init.py`, `yuanhan_normal_`).
 *
 * Gaussian weights N(0, σ²) on an n-output layer with a positively homogeneous activation φ give
 * ‖x_k‖² = σ²‖x_{k−1}‖²·Z, Z = Σ_i c_i g_i² (g ~ N(0, I_n), c_i = 1 if g_i > 0 else slope²). With
 * M_n(s) = E[Z^{s/2}], the scale
 *
 *     σ_s = M_n(s)^(−1/s),   0 < s ≤ 2                                                          (★)
 *
 * preserves E‖x‖^s exactly from layer to layer. s = 2 gives LeCun (linear), He (ReLU), He-PReLU (leaky).
 *
 * Provenance (spec §0):
 * - ReLU binomial–Gamma sum: in the authors' notebooks [V:code]; the asymptotic formulas of `compat: 'authors-code'`
 *   are those of the authors' `yuanhan_normal_` [V:code].
 * - Linear, leaky-ReLU (Beta mixture) and RReLU (Laplace integral) formulas, the log-norm drift m and variance τ²:
 *   **derived** for the spec, checked numerically; the paper's exact statement for leaky ReLU / RReLU is unverified.
 *   User-facing name: "fractional-moment σ_s for RReLU / leaky ReLU (derived; the paper's exact statement is
 *   unverified)".
 * - RReLU model (slope A ~ U[l, u] per neuron, PyTorch training mode): an inference [I].
 *
 * Numerics: everything in log space with lgamma ratios (special.ts) and log-sum-exp, stable for n up to 1e5 and
 * beyond. Precision degrades gracefully for s below ~1e-6 (M_n(s) → 1).
 */
import { DomainError, describe } from '../../core/errors.js';
import { computeFans, LAYOUTS, type Layout } from '../support/fans.js';
import { checkedOptions, enumParam, optionKeys, positiveIntParam, rangeParam } from '../support/options.js';
import { fillNormal, type RandomSource } from '../support/rng.js';
import { digamma, gaussLegendre, lgamma, lgammaRatio, trigamma } from '../support/special.js';
import { allocate, checkShape, resolveDType, type DTypeOptions, type FloatArray, type Shape } from '../../core/index.js';

/** Positively homogeneous activations covered by the scheme. */
export type FractionalActivation =
  | { readonly kind: 'linear' }
  | { readonly kind: 'relu' }
  /** Leaky ReLU with negative slope a ∈ [0, 1] (default 0.01, PyTorch). */
  | { readonly kind: 'leaky_relu'; readonly a?: number }
  /** Randomized leaky ReLU: negative slope A ~ U[l, u] per neuron and pass, 0 ≤ l ≤ u ≤ 1 (defaults 1/8, 1/3). */
  | { readonly kind: 'rrelu'; readonly l?: number; readonly u?: number };

/** An activation object or its name (`'leaky_relu'` → a = 0.01, `'rrelu'` → [1/8, 1/3]). */
export type FractionalActivationSpec = FractionalActivation | 'linear' | 'relu' | 'leaky_relu' | 'rrelu' | ResolvedActivation;

/** Validated activation with its slope moments. */
export interface ResolvedActivation {
  readonly kind: 'linear' | 'relu' | 'leaky_relu' | 'rrelu';
  /** Leaky slope (leaky_relu), or l (rrelu). */
  readonly a: number;
  /** u (rrelu); equals a otherwise. */
  readonly u: number;
  /** μ = E[c g²] = (1 + E[slope²])/2. */
  readonly mu: number;
  /** κ = Var(c g²)/μ² = 6(1 + E[slope⁴])/(1 + E[slope²])² − 1. */
  readonly kappa: number;
  /** E[slope²] and E[slope⁴]. */
  readonly slope2: number;
  readonly slope4: number;
}

/** Keys of each activation object. */
const ACT_KEYS: { readonly [K in FractionalActivation['kind']]: readonly string[] } = {
  linear: ['kind'],
  relu: ['kind'],
  leaky_relu: ['kind', 'a'],
  rrelu: ['kind', 'l', 'u'],
};

/** Validate an activation spec (slopes in [0, 1], l ≤ u) and compute its slope moments. */
export function resolveActivation(act: FractionalActivationSpec | ResolvedActivation): ResolvedActivation {
  if (typeof act === 'object' && act !== null && 'mu' in act && 'kappa' in act && 'slope2' in act) return act;
  const obj: FractionalActivation =
    typeof act === 'string'
      ? ({ kind: enumParam('act', act, ['linear', 'relu', 'leaky_relu', 'rrelu'] as const) } as FractionalActivation)
      : act;
  if (obj === null || typeof obj !== 'object') throw new DomainError(`act must be an activation name or object, got ${describe(act)}`);
  const kind = enumParam('act.kind', obj.kind, ['linear', 'relu', 'leaky_relu', 'rrelu'] as const);
  // a misspelt slope key (e.g. { kind: 'leaky_relu', slope: 0.2 }) would otherwise give the default slope
  checkedOptions('resolveActivation', obj, ACT_KEYS[kind], 'act');
  let a = 0;
  let u = 0;
  let slope2: number;
  let slope4: number;
  if (kind === 'linear') {
    a = u = 1;
    slope2 = slope4 = 1;
  } else if (kind === 'relu') {
    slope2 = slope4 = 0;
  } else if (kind === 'leaky_relu') {
    a = u = rangeParam('act.a (leaky ReLU slope)', (obj as { a?: number }).a, 0, 1, { dflt: 0.01 });
    slope2 = a * a;
    slope4 = slope2 * slope2;
  } else {
    a = rangeParam('act.l (RReLU lower slope)', (obj as { l?: number }).l, 0, 1, { dflt: 1 / 8 });
    u = rangeParam('act.u (RReLU upper slope)', (obj as { u?: number }).u, 0, 1, { dflt: 1 / 3 });
    if (a > u) throw new DomainError(`act.l must be <= act.u (RReLU slope range [l, u]), got l = ${a}, u = ${u}`);
    if (a === u) {
      slope2 = a * a;
      slope4 = slope2 * slope2;
    } else {
      slope2 = (a * a + a * u + u * u) / 3;
      slope4 = (Math.pow(u, 5) - Math.pow(a, 5)) / (5 * (u - a));
    }
  }
  const mu = (1 + slope2) / 2;
  const kappa = (6 * (1 + slope4)) / ((1 + slope2) * (1 + slope2)) - 1;
  return { kind, a, u, mu, kappa, slope2, slope4 };
}

function checkN(n: number): void {
  positiveIntParam('n (layer width)', n);
}

function checkS(s: unknown, name = 's'): number {
  return rangeParam(name, s, 0, 2, { openLo: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Binomial(n, 1/2) log-pmf by recurrence (normalised), restricted to the range that matters.
// ---------------------------------------------------------------------------------------------------------------

interface BinomialTable {
  readonly k0: number;
  readonly logPmf: Float64Array; // index k − k0
}

function binomialHalf(n: number): BinomialTable {
  // ln C(n,k) 2^-n, built outward from the mode with ln C(n,k+1) = ln C(n,k) + ln((n−k)/(k+1)).
  const mode = Math.floor(n / 2);
  const logMode = lgamma(n + 1) - lgamma(mode + 1) - lgamma(n - mode + 1) - n * Math.LN2;
  const span = n <= 4000 ? n : Math.ceil(12 * Math.sqrt(n)); // beyond ±12√n·½ the pmf is < e^-280
  const k0 = Math.max(0, mode - span);
  const k1 = Math.min(n, mode + span);
  const lp = new Float64Array(k1 - k0 + 1);
  lp[mode - k0] = logMode;
  for (let k = mode; k < k1; k++) lp[k + 1 - k0] = (lp[k - k0] as number) + Math.log((n - k) / (k + 1));
  for (let k = mode; k > k0; k--) lp[k - 1 - k0] = (lp[k - k0] as number) + Math.log(k / (n - k + 1));
  // normalise (removes the common rounding error of logMode)
  let m = -Infinity;
  for (const v of lp) if (v > m) m = v;
  let tot = 0;
  for (const v of lp) tot += Math.exp(v - m);
  const lz = m + Math.log(tot);
  for (let i = 0; i < lp.length; i++) lp[i] = (lp[i] as number) - lz;
  return { k0, logPmf: lp };
}

// ---------------------------------------------------------------------------------------------------------------
// Beta(α, β) expectations (α, β ∈ {½, 1, 3/2, …}) by Gauss–Legendre in θ with b = sin²θ, on the window where the
// density is within e^-46 of its maximum, normalised by the same quadrature.
// ---------------------------------------------------------------------------------------------------------------

export function betaExpect(alpha: number, beta: number, fns: readonly ((b: number) => number)[]): number[] {
  const ca = 2 * alpha - 1;
  const cb = 2 * beta - 1;
  const logd = (t: number): number => (ca === 0 ? 0 : ca * Math.log(Math.sin(t))) + (cb === 0 ? 0 : cb * Math.log(Math.cos(t)));
  const H = Math.PI / 2;
  let mode: number;
  if (ca === 0 && cb === 0) mode = H / 2;
  else if (ca === 0) mode = 0;
  else if (cb === 0) mode = H;
  else mode = Math.atan(Math.sqrt(ca / cb));
  const gmax = logd(mode === 0 ? 1e-300 : mode === H ? H - 1e-16 : mode);
  const drop = 46;
  const edge = (from: number, to: number): number => {
    // point between mode (from) and boundary (to) where logd = gmax − drop; boundary if never reached
    const tEnd = to === 0 ? 0 : H;
    const gEnd = tEnd === 0 ? (ca === 0 ? 0 : -Infinity) : cb === 0 ? 0 : -Infinity;
    if (gEnd >= gmax - drop) return tEnd;
    let lo = from;
    let hi = tEnd;
    for (let i = 0; i < 80; i++) {
      const mid = 0.5 * (lo + hi);
      if (logd(mid) >= gmax - drop) lo = mid;
      else hi = mid;
    }
    return hi;
  };
  const left = mode > 0 ? edge(mode, 0) : 0;
  const right = mode < H ? edge(mode, H) : H;
  const gl = gaussLegendre(64);
  const panels: [number, number][] = [];
  if (mode - left > 0) panels.push([left, mode]);
  if (right - mode > 0) panels.push([mode, right]);
  let wsum = 0;
  const acc = new Array<number>(fns.length).fill(0);
  for (const [x0, x1] of panels) {
    const c = 0.5 * (x0 + x1);
    const h = 0.5 * (x1 - x0);
    for (let i = 0; i < gl.x.length; i++) {
      const t = c + h * (gl.x[i] as number);
      const d = h * (gl.w[i] as number) * Math.exp(logd(t) - gmax);
      if (d === 0) continue;
      const st = Math.sin(t);
      const b = st * st;
      wsum += d;
      for (let j = 0; j < fns.length; j++) acc[j] = (acc[j] as number) + d * (fns[j] as (b: number) => number)(b);
    }
  }
  return acc.map((v) => v / wsum);
}

// ---------------------------------------------------------------------------------------------------------------
// Laplace-integral route (spec §3.4), valid for every activation.
// ---------------------------------------------------------------------------------------------------------------

/** (1 + x)^(−1/2) − 1 without cancellation; −1 at x = ∞. */
function hInvSqrt(x: number): number {
  if (x === Infinity) return -1;
  const r = Math.sqrt(1 + x);
  return Math.max(-1, -x / (r * (1 + r))); // the clamp guards against rounding below −1 for huge x
}

/** ℓ(t) − 1 for the per-neuron Laplace transform ℓ(t) = E[exp(−t c g²)]. */
function ellMinus1(act: ResolvedActivation): (t: number) => number {
  switch (act.kind) {
    case 'linear':
      return (t) => hInvSqrt(2 * t);
    case 'relu':
      return (t) => 0.5 * hInvSqrt(2 * t);
    case 'leaky_relu': {
      const a2 = act.a * act.a;
      return (t) => 0.5 * (hInvSqrt(2 * t) + hInvSqrt(2 * a2 * t));
    }
    case 'rrelu': {
      const l = act.a;
      const u = act.u;
      if (l === u) {
        const a2 = l * l;
        return (t) => 0.5 * (hInvSqrt(2 * t) + hInvSqrt(2 * a2 * t));
      }
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
  }
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
 * M_n(s) = E[Z^p] (p = s/2 ∈ (0, 1)) by the Laplace integral p/Γ(1−p)·∫₀^∞ (1 − ℓ(t)^n) t^(−p−1) dt, t = e^v,
 * midpoint rule (h = 0.01) on [c₀ − 30, c₀ + 80] (c₀ = −ln(nμ)), analytic tails and the Euler–Maclaurin endpoint
 * correction −h²/24·(f′(v_hi) − f′(v_lo)) (f′ from the tail asymptotics). Returns ln M.
 */
export function logMomentLaplace(actSpec: FractionalActivationSpec, n: number, s: number): number {
  const act = resolveActivation(actSpec);
  checkN(n);
  checkS(s);
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
 * corrections as `logMomentLaplace`.
 */
function logNegMomentLaplace(act: ResolvedActivation, n: number, q: number): number {
  const em1 = ellMinus1(act);
  const nmu = n * act.mu;
  const { vlo, vhi, h, sum } = laplaceMidpoint(nmu, (v) => Math.exp(q * v + n * Math.log1p(em1(Math.exp(v)))));
  const leftTail = Math.exp(q * vlo) / q - (nmu * Math.exp((1 + q) * vlo)) / (1 + q);
  const fLo = Math.exp(q * vlo + n * Math.log1p(em1(Math.exp(vlo))));
  const fHi = Math.exp(q * vhi + n * Math.log1p(em1(Math.exp(vhi))));
  const corr = ((h * h) / 24) * ((q - n / 2) * fHi - q * fLo);
  return Math.log(sum + leftTail + corr) - lgamma(q);
}

// ---------------------------------------------------------------------------------------------------------------
// Exact moments
// ---------------------------------------------------------------------------------------------------------------

/**
 * ln M_n(s) = ln E[Z^{s/2}] (exact, log space):
 * - linear: p·ln2 + lnΓ(n/2 + p) − lnΓ(n/2)                                     (spec §3.1)
 * - ReLU: p·ln2 + ln Σ_{k=1..n} C(n,k)2^(−n) Γ(k/2 + p)/Γ(k/2)                   (spec §3.2, authors' notebooks)
 * - leaky(a): p·ln2 + lnΓ(n/2+p) − lnΓ(n/2) + ln Σ_k C(n,k)2^(−n) E[(a² + (1−a²)B_k)^p], B_k ~ Beta(k/2, (n−k)/2)
 *   (spec §3.3, derived), a = 0 → ReLU, a = 1 → linear;
 * - RReLU(l, u): the Laplace integral (spec §3.4, derived); l = u → leaky(l).
 * s = 2 gives ln(n·μ) exactly.
 */
export function logMomentM(actSpec: FractionalActivationSpec, n: number, s: number): number {
  const act = resolveActivation(actSpec);
  checkN(n);
  checkS(s);
  const p = s / 2;
  if (s === 2) return Math.log(n * act.mu);
  if (act.kind === 'linear' || (act.kind === 'leaky_relu' && act.a === 1) || (act.kind === 'rrelu' && act.a === 1)) {
    return p * Math.LN2 + lgammaRatio(n / 2, p);
  }
  if (act.kind === 'relu' || (act.kind === 'leaky_relu' && act.a === 0) || (act.kind === 'rrelu' && act.u === 0)) {
    const { k0, logPmf } = binomialHalf(n);
    const terms: number[] = [];
    for (let i = 0; i < logPmf.length; i++) {
      const k = k0 + i;
      if (k === 0) continue;
      terms.push((logPmf[i] as number) + lgammaRatio(k / 2, p));
    }
    return p * Math.LN2 + lse(terms);
  }
  if (act.kind === 'leaky_relu' || act.a === act.u) {
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
    return p * Math.LN2 + lgammaRatio(n / 2, p) + lse(terms);
  }
  return logMomentLaplace(act, n, s);
}

function lse(terms: readonly number[]): number {
  let m = -Infinity;
  for (const t of terms) if (t > m) m = t;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const t of terms) s += Math.exp(t - m);
  return m + Math.log(s);
}

/** M_n(s) = E[Z^{s/2}] (see `logMomentM`). */
export function momentM(act: FractionalActivationSpec, n: number, s: number): number {
  return Math.exp(logMomentM(act, n, s));
}

/** Compatibility mode of `sigmaS`. */
export type FractionalCompat = 'exact' | 'authors-code';

export interface SigmaSOptions {
  /**
   * `'exact'` (default): σ_s = M_n(s)^(−1/s).
   * `'authors-code'`: the asymptotic σ² of the authors' `yuanhan_normal_` (used in the published experiments):
   * relu 2/n + 5(2−s)/(2n²); linear 1/n + (2−s)/(2n²); leaky 2/((1+a²)n) + (2−s)((5s−24)a² + 10)/((2(s+2)a² + 4)n²).
   * It has no RReLU formula.
   */
  readonly compat?: FractionalCompat;
}

/**
 * σ_s, the std of N(0, σ²) weights preserving the s-th moment of the activation norm (★), for layer width n
 * (the caller passes n = fan_in by default, as the authors' code does; fan_out preserves ‖x‖ moments exactly).
 * For leaky ReLU / RReLU this is the "fractional-moment σ_s for RReLU / leaky ReLU (derived; the paper's exact
 * statement is unverified)".
 */
export function sigmaS(act: FractionalActivationSpec, n: number, s: number, options: SigmaSOptions = {}): number {
  const o = checkedOptions('sigmaS', options, optionKeys<SigmaSOptions>({ compat: true }));
  const compat = enumParam<FractionalCompat>('compat', o['compat'], ['exact', 'authors-code'], 'exact');
  const r = resolveActivation(act);
  checkN(n);
  checkS(s);
  if (compat === 'authors-code') return Math.sqrt(authorsCodeVariance(r, n, s));
  return Math.exp(-logMomentM(r, n, s) / s);
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
 * Large-n expansion of σ_s² (spec §3.7, derived): (1/(nμ))·[1 + (2−s)·κ/(4n)], error O(n⁻³).
 */
export function sigmaSSquaredExpansion(act: FractionalActivationSpec, n: number, s: number): number {
  const r = resolveActivation(act);
  checkN(n);
  checkS(s);
  return (1 / (n * r.mu)) * (1 + ((2 - s) * r.kappa) / (4 * n));
}

/** ρ(r) = σ_s^r·M_n(r): per-layer growth factor of E‖x‖^r under σ_s (ρ(s) = 1; spec §4.3). */
export function momentRatio(act: FractionalActivationSpec, n: number, s: number, r: number): number {
  checkS(r, 'r');
  return Math.exp(r * Math.log(sigmaS(act, n, s)) + logMomentM(act, n, r));
}

/** Per-layer log-norm statistics (spec §4). */
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

/**
 * Log-norm drift m and variance τ² per layer (spec §4.1–4.2, derived): ln‖x_L‖ − ln‖x_0‖ has mean L·m and
 * variance L·τ² exactly (Gaussian limit by the CLT).
 * - linear: E ln Z = ln2 + ψ(n/2), Var ln Z = ψ′(n/2);
 * - ReLU (conditional on K ≥ 1): E ln Z = ln2 + E[ψ(K/2) | K≥1], Var = E[ψ′(K/2) | K≥1] + Var[ψ(K/2) | K≥1];
 * - leaky(a): ln2 + ψ(n/2) + E ln(a² + (1−a²)B_K), Var = ψ′(n/2) + Var ln(a² + (1−a²)B_K) (Beta quadrature);
 * - RReLU: derivatives at 0 of K(p) = ln E[Z^p] by 5-point central differences (h = 0.01) of the Laplace
 *   integrals (accuracy about 1e-8).
 * @param options.sigma use this σ instead of σ_s (e.g. He: sqrt(2/n)); `s` is then only used for the default.
 * @param options.method `'laplace'` forces the finite-difference route for any activation with Z > 0 a.s.
 *   (a cross-check of the closed forms); default `'auto'`.
 */
export function logNormDrift(
  actSpec: FractionalActivationSpec,
  n: number,
  s: number,
  options: { sigma?: number; method?: 'auto' | 'laplace' } = {},
): LogNormDrift {
  const act = resolveActivation(actSpec);
  checkN(n);
  checkS(s);
  const o = checkedOptions('logNormDrift', options, ['sigma', 'method']);
  const sigma = o['sigma'] === undefined ? sigmaS(act, n, s) : rangeParam('sigma', o['sigma'], 0, Infinity, { openLo: true, openHi: true });
  let meanLogZ: number;
  let varLogZ: number;
  let pAlive = 1;
  let method: 'closed-form' | 'finite-difference' = 'closed-form';
  const forceLaplace = enumParam<'auto' | 'laplace'>('method', o['method'], ['auto', 'laplace'], 'auto') === 'laplace';
  if (forceLaplace && (act.kind === 'relu' || act.u === 0)) {
    throw new DomainError(`method "laplace" needs Z > 0 almost surely (not ReLU / slope 0)`);
  }
  const isLinear = act.kind === 'linear' || (act.kind !== 'relu' && act.a === 1);
  const isRelu = act.kind === 'relu' || (act.kind === 'leaky_relu' && act.a === 0) || (act.kind === 'rrelu' && act.u === 0);
  if (forceLaplace) {
    ({ meanLogZ, varLogZ } = finiteDifferenceLogMoments(act, n));
    method = 'finite-difference';
  } else if (isLinear) {
    meanLogZ = Math.LN2 + digamma(n / 2);
    varLogZ = trigamma(n / 2);
  } else if (isRelu) {
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
    meanLogZ = Math.LN2 + m1;
    varLogZ = tri + Math.max(0, m2 - m1 * m1);
    pAlive = -Math.expm1(-n * Math.LN2);
  } else if (act.kind === 'leaky_relu' || act.a === act.u) {
    const a2 = act.a * act.a;
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
        const r = betaExpect(k / 2, (n - k) / 2, [f1, f2]);
        v1 = r[0] as number;
        v2 = r[1] as number;
      }
      wsum += w;
      e1 += w * v1;
      e2 += w * v2;
    }
    e1 /= wsum;
    e2 /= wsum;
    meanLogZ = Math.LN2 + digamma(n / 2) + e1;
    varLogZ = trigamma(n / 2) + Math.max(0, e2 - e1 * e1);
  } else {
    method = 'finite-difference';
    ({ meanLogZ, varLogZ } = finiteDifferenceLogMoments(act, n));
  }
  return { m: Math.log(sigma) + 0.5 * meanLogZ, tau2: varLogZ / 4, meanLogZ, varLogZ, sigma, pAlive, method };
}

/** E ln Z = K′(0), Var ln Z = K″(0) of K(p) = ln E[Z^p] by 5-point central differences (h = 0.01). */
function finiteDifferenceLogMoments(act: ResolvedActivation, n: number): { meanLogZ: number; varLogZ: number } {
  const h = 0.01;
  const K = (pp: number): number => (pp > 0 ? logMomentLaplace(act, n, 2 * pp) : logNegMomentLaplace(act, n, -pp));
  const kp1 = K(h);
  const km1 = K(-h);
  const kp2 = K(2 * h);
  const km2 = K(-2 * h);
  return {
    meanLogZ: (8 * (kp1 - km1) - (kp2 - km2)) / (12 * h),
    varLogZ: (-kp2 + 16 * kp1 + 16 * km1 - km2) / (12 * h * h),
  };
}

export interface FractionalMomentOptions extends DTypeOptions, SigmaSOptions {
  /** Activation; default `'relu'`. */
  readonly act?: FractionalActivationSpec;
  /** Moment order s ∈ (0, 2]; default 1. */
  readonly s?: number;
  /** Width n = fan_in (default, as the authors' code) or fan_out. */
  readonly mode?: 'fan_in' | 'fan_out';
  readonly layout?: Layout;
}

/** Keys of `FractionalMomentOptions`. */
export const FRACTIONAL_KEYS = optionKeys<FractionalMomentOptions>({ act: true, s: true, mode: true, layout: true, compat: true, dtype: true });

/**
 * Fractional moment-preserving init: N(0, σ_s²) with σ_s = sigmaS(act, n, s, {compat}), n = fan_in (default) or
 * fan_out of `shape`. Row-major draws from `rng`. For leaky ReLU / RReLU the exact σ_s is derived (the paper's exact
 * statement is unverified); `compat: 'authors-code'` uses the authors' asymptotic formulas.
 */
export function fractionalMomentNormal(shape: Shape, rng: RandomSource, options: FractionalMomentOptions = {}): FloatArray {
  const o = checkedOptions('fractionalMomentNormal', options, FRACTIONAL_KEYS);
  const size = checkShape(shape, 'shape', 2);
  const layout = enumParam<Layout>('layout', o['layout'], LAYOUTS, 'torch');
  const mode = enumParam<'fan_in' | 'fan_out'>('mode', o['mode'], ['fan_in', 'fan_out'], 'fan_in');
  const s = checkS(o['s'] === undefined ? 1 : (o['s'] as number));
  const act = (o['act'] ?? 'relu') as FractionalActivationSpec;
  const [fanIn, fanOut] = computeFans(shape, layout);
  const sigma = sigmaS(act, mode === 'fan_in' ? fanIn : fanOut, s, { compat: o['compat'] as FractionalCompat | undefined });
  return fillNormal(allocate(size, resolveDType(o['dtype'])), rng, 0, sigma);
}
