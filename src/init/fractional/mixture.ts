/**
 * The binomial–Beta mixture behind the exact moments of the fractional scheme (docs/schemes/fractional.md): with
 * K ~ Binomial(n, ½) active neurons, Z = Σ c_i g_i² is a χ²_n variable times a² + (1 − a²)·B_K, B_K ~ Beta(K/2, (n−K)/2)
 * (derived). Everything in log space (lgamma ratios, log-sum-exp), stable for n up to 1e5 and beyond.
 */
import { DomainError, NonFiniteError, describe } from '../../core/errors.js';
import { gaussLegendre, lgamma, logSumExp } from '../support/special.js';

/** ln of the Binomial(n, ½) pmf, normalised, on the range that matters. */
export interface BinomialTable {
  readonly k0: number;
  readonly logPmf: Float64Array; // index k − k0
}

/** The Binomial(n, ½) log-pmf by recurrence from the mode, restricted to mode ± 12√n for n > 4000. */
export function binomialHalf(n: number): BinomialTable {
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
  const lz = logSumExp(lp); // normalise (removes the common rounding error of logMode)
  for (let i = 0; i < lp.length; i++) lp[i] = (lp[i] as number) - lz;
  return { k0, logPmf: lp };
}

/**
 * Beta(α, β) expectations E[f_j(B)] (α, β ∈ {½, 1, 3/2, …}) by Gauss–Legendre in θ with b = sin²θ, on the window where
 * the density is within e^-46 of its maximum, normalised by the same quadrature. `alpha`, `beta`: positive multiples
 * of ½ (2α a safe integer); `fns`: an array of functions of b ∈ [0, 1] returning finite numbers (errors name each).
 */
export function betaExpect(alpha: number, beta: number, fns: readonly ((b: number) => number)[]): number[] {
  for (const [name, v] of [['alpha', alpha], ['beta', beta]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(2 * v) || v <= 0) {
      throw new DomainError(`${name} must be a positive multiple of 1/2 (½, 1, 3/2, …), got ${describe(v)}`);
    }
  }
  if (!Array.isArray(fns) || !fns.every((f) => typeof f === 'function')) {
    throw new DomainError(`fns must be an array of functions (b: number) => number, got ${describe(fns)}`);
  }
  const r = betaMeans(alpha, beta, fns);
  r.forEach((v, j) => {
    if (!Number.isFinite(v)) throw new NonFiniteError(`fns[${j}] must return finite numbers on [0, 1]: E[fns[${j}](B)] = ${describe(v)}`);
  });
  return r;
}

/** `betaExpect` on checked arguments: the per-term twin of the moment sums (moments.ts, drift.ts). Internal. */
export function betaMeans(alpha: number, beta: number, fns: readonly ((b: number) => number)[]): number[] {
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
