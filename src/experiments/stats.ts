/**
 * Statistics over seeds: mean, sample standard deviation, the two-sided Student-t confidence interval (on the log scale
 * for positive ratios), and paired differences over the seeds two schemes share (common random numbers make the pairs
 * comparable).
 */
import { DomainError, describe } from '../core/errors.js';
import type { Interval } from './compare/types.js';
import { studentTQuantile } from './student-t.js';

function checkValues(values: unknown, name: string): readonly number[] {
  if (!Array.isArray(values)) throw new DomainError(`${name} must be an array of numbers, got ${describe(values)}`);
  values.forEach((v: unknown, i) => {
    if (typeof v !== 'number') throw new DomainError(`${name}[${i}] must be a number, got ${describe(v)}`);
  });
  return values as number[];
}

/** Arithmetic mean (NaN for no values; a non-finite value makes it non-finite, as it should). */
export function mean(values: readonly number[]): number {
  const v = checkValues(values, 'values');
  let s = 0;
  for (const x of v) s += x;
  return v.length === 0 ? NaN : s / v.length;
}

/** Sample standard deviation √(Σ (x − x̄)² / (n − 1)) (NaN for fewer than two values). */
export function sampleSd(values: readonly number[]): number {
  const v = checkValues(values, 'values');
  if (v.length < 2) return NaN;
  const m = mean(v);
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return Math.sqrt(s / (v.length - 1));
}

/** `confidence` must be a number in (0, 1). */
export function checkConfidence(confidence: unknown, name = 'confidence'): number {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new DomainError(`${name} must be a number in (0, 1), e.g. 0.95, got ${describe(confidence)}`);
  }
  return confidence;
}

/**
 * Mean with its two-sided Student-t confidence interval at level `confidence`:
 * x̄ ± t_{(1+c)/2, n−1} · s / √n (s the sample sd). With one value the interval is undefined (lo = hi = sd = NaN);
 * with none the mean is NaN too. Assumes the values are i.i.d. draws of a roughly normal quantity (seeds).
 */
export function tInterval(values: readonly number[], confidence: number): Interval {
  const v = checkValues(values, 'values');
  const c = checkConfidence(confidence);
  const n = v.length;
  const m = mean(v);
  if (n < 2) return { mean: m, lo: NaN, hi: NaN, sd: NaN, n };
  const sd = sampleSd(v);
  const half = studentTQuantile((1 + c) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean: m, lo: m - half, hi: m + half, sd, n };
}

/**
 * Interval for a positive ratio (a moment ratio, max/min of scaling constants): the Student-t interval of ln x mapped
 * back, exp(mean(ln x) ± t_{(1+c)/2, n−1} · s_ln / √n), around the geometric mean exp(mean(ln x)). A ratio is skewed
 * and bounded below by 0: the plain t-interval can reach below 0 (a moment) or below 1 (max/min), while this one stays
 * positive and treats ×k and ÷k alike, as a ratio band ×/÷k does. `sd` is the sample sd of the values themselves (their
 * spread as reported). A value ≤ 0 or non-finite leaves the interval undefined (NaN bounds; mean NaN).
 */
export function ratioInterval(values: readonly number[], confidence: number): Interval {
  const v = checkValues(values, 'values');
  const c = checkConfidence(confidence);
  const sd = sampleSd(v);
  if (!v.every((x) => x > 0 && Number.isFinite(x))) return { mean: NaN, lo: NaN, hi: NaN, sd, n: v.length };
  const ln = tInterval(v.map(Math.log), c);
  return { mean: Math.exp(ln.mean), lo: Math.exp(ln.lo), hi: Math.exp(ln.hi), sd, n: v.length };
}

/** A value measured at one seed. */
export interface SeedValue {
  readonly seed: number;
  readonly value: number;
}

/**
 * The paired difference a − b over the seeds present in both (each seed at most once per side: a repeated seed is a
 * DomainError), with its Student-t interval (`tInterval`). Pairing over common seeds removes the variation the two
 * share (the same data batches, the same training order).
 */
export function pairedDifference(a: readonly SeedValue[], b: readonly SeedValue[], confidence: number): Interval {
  const index = (xs: readonly SeedValue[], name: string): Map<number, number> => {
    if (!Array.isArray(xs)) throw new DomainError(`${name} must be an array of { seed, value }, got ${describe(xs)}`);
    const m = new Map<number, number>();
    xs.forEach((x: SeedValue, i) => {
      if (typeof x !== 'object' || x === null || typeof x.seed !== 'number' || typeof x.value !== 'number') {
        throw new DomainError(`${name}[${i}] must be { seed: number, value: number }, got ${describe(x)}`);
      }
      if (m.has(x.seed)) throw new DomainError(`${name} holds seed ${x.seed} twice`);
      m.set(x.seed, x.value);
    });
    return m;
  };
  const ma = index(a, 'a');
  const mb = index(b, 'b');
  const d: number[] = [];
  for (const [seed, va] of ma) {
    const vb = mb.get(seed);
    if (vb !== undefined) d.push(va - vb);
  }
  return tInterval(d, confidence);
}

/** Whether an interval lies entirely above (1), entirely below (−1) `x` or contains it (0); 0 when undefined. */
export function sideOf(iv: Interval, x: number): -1 | 0 | 1 {
  if (!(iv.lo <= iv.hi)) return 0;
  if (iv.lo > x) return 1;
  if (iv.hi < x) return -1;
  return 0;
}
