/**
 * Sampling helpers shared by every scheme: uniform, normal and truncated-normal draws and fills (one place; the draw
 * order is part of the reproducibility contract, docs/schemes/support.md).
 */

import { DomainError, describe } from '../../core/errors.js';
import { finiteParam, positiveIntParam } from './options.js';
import { rejectionCap, rejectionExhausted } from './rejection.js';
import { checkRng, type RandomSource } from './rng.js';
import { normalCdf } from './special.js';

/** Std of N(0, 1) truncated to [−2, 2]: sqrt(1 − 4φ(2)/(2Φ(2) − 1)) (Keras / JAX variance-scaling correction). */
export const TRUNCATED_NORMAL_STD_2 = 0.87962566103423978;

/**
 * Smallest probability mass N(mean, std²) may keep in a truncation window [a, b]: below it the rejection sampler
 * would need ~1/mass draws per value (and the closed-form moments lose every digit), so it is a DomainError.
 */
export const MIN_TRUNCATION_MASS = 1e-6;

/** A Float32Array or Float64Array to fill (DomainError naming `name` otherwise). */
function checkFillTarget(out: unknown, name = 'out'): void {
  if (!(out instanceof Float32Array || out instanceof Float64Array)) {
    throw new DomainError(`${name} must be a Float32Array or Float64Array to fill, got ${describe(out)}`);
  }
}

/** Finite `a` < `b` (the window of a uniform or truncated draw). */
function checkWindow(a: unknown, b: unknown): void {
  finiteParam('a', a);
  finiteParam('b', b);
  if (!((a as number) < (b as number))) throw new DomainError(`a must be < b (the interval [a, b] must not be empty), got a = ${describe(a)}, b = ${describe(b)}`);
}

/** Finite mean and std ≥ 0 (> 0 when `positive`: a truncation window needs a spread) of a normal draw. */
function checkNormal(mean: unknown, std: unknown, positive = false): void {
  finiteParam('mean', mean);
  finiteParam('std', std);
  const s = std as number;
  if (positive ? !(s > 0) : !(s >= 0)) throw new DomainError(`std must be a finite number ${positive ? '>' : '>='} 0, got ${describe(std)}`);
}

/** Mass of the truncation window, checked against MIN_TRUNCATION_MASS (arguments already checked). */
function checkedMass(mean: number, std: number, a: number, b: number): number {
  const mass = normalMass(mean, std, a, b);
  if (!(mass >= MIN_TRUNCATION_MASS)) {
    throw new DomainError(
      `truncation window [a, b] = [${a}, ${b}] keeps probability ${mass} of N(${mean}, ${std}²); must be >= MIN_TRUNCATION_MASS = ${MIN_TRUNCATION_MASS}`,
    );
  }
  return mass;
}

/** `sampleUniform` without argument checks: the per-draw twin for validated callers. */
function uniformDraw(rng: RandomSource, a: number, b: number): number {
  const w = b - a;
  const u = rng.nextFloat64();
  return Number.isFinite(w) ? a + w * u : a - u * a + u * b;
}

/**
 * One draw `a + (b − a)·U`, U = nextFloat64() ∈ [0, 1). When b − a overflows (finite bounds such as ±1e308) it is
 * computed as `(a − U·a) + U·b`, which stays finite. `a`, `b` finite (a = b allowed: the draw is a); DomainError
 * otherwise.
 */
export function sampleUniform(rng: RandomSource, a: number, b: number): number {
  checkRng(rng);
  finiteParam('a', a);
  finiteParam('b', b);
  return uniformDraw(rng, a, b);
}

/** One draw `mean + std·nextNormal()`; mean finite, std finite and ≥ 0 (DomainError otherwise). */
export function sampleNormal(rng: RandomSource, mean: number, std: number): number {
  checkRng(rng);
  checkNormal(mean, std);
  return mean + std * rng.nextNormal();
}

/** Probability that N(mean, std²) falls in [a, b] (the tail that is more accurate). */
function normalMass(mean: number, std: number, a: number, b: number): number {
  const al = (a - mean) / std;
  const be = (b - mean) / std;
  return al > 0 ? normalCdf(-al) - normalCdf(-be) : normalCdf(be) - normalCdf(al);
}

/** `sampleTruncatedNormal` without argument checks, with the caller's cap: the per-draw twin. */
function truncatedDraw(rng: RandomSource, mean: number, std: number, a: number, b: number, limit: number): number {
  for (let i = 0; i < limit; i++) {
    const x = mean + std * rng.nextNormal();
    if (x >= a && x <= b) return x;
  }
  throw rejectionExhausted('truncated-normal rejection sampler', limit, normalMass(mean, std, a, b), ` for [${a}, ${b}] under N(${mean}, ${std}²)`);
}

/**
 * One draw of N(mean, std²) truncated to the absolute bounds [a, b] by rejection: draw z = nextNormal() until
 * a ≤ mean + std·z ≤ b. Exact and deterministic given the RNG. The window must keep at least MIN_TRUNCATION_MASS
 * (1e-6) of the probability (DomainError otherwise, before any draw). The loop is capped at `rejectionCap(mass)`
 * tries (`cap`, a positive integer, when given); past it a DomainError names the sampler.
 */
export function sampleTruncatedNormal(rng: RandomSource, mean: number, std: number, a: number, b: number, cap?: number): number {
  checkRng(rng);
  checkNormal(mean, std, true);
  checkWindow(a, b);
  if (cap !== undefined) positiveIntParam('cap', cap);
  const mass = checkedMass(mean, std, a, b);
  return truncatedDraw(rng, mean, std, a, b, cap ?? rejectionCap(mass));
}

/**
 * Fill `out` (Float32Array or Float64Array) in index order with U[a, b) draws (float64 arithmetic, rounded on
 * assignment). `a`, `b` finite; DomainError otherwise.
 */
export function fillUniform<T extends Float32Array | Float64Array>(out: T, rng: RandomSource, a: number, b: number): T {
  checkFillTarget(out);
  checkRng(rng);
  finiteParam('a', a);
  finiteParam('b', b);
  const w = b - a;
  if (Number.isFinite(w)) for (let i = 0; i < out.length; i++) out[i] = a + w * rng.nextFloat64();
  else for (let i = 0; i < out.length; i++) out[i] = uniformDraw(rng, a, b); // b − a overflows: see sampleUniform
  return out;
}

/** Fill `out` in index order with N(mean, std²) draws; mean finite, std finite and ≥ 0 (DomainError otherwise). */
export function fillNormal<T extends Float32Array | Float64Array>(out: T, rng: RandomSource, mean: number, std: number): T {
  checkFillTarget(out);
  checkRng(rng);
  checkNormal(mean, std);
  for (let i = 0; i < out.length; i++) out[i] = mean + std * rng.nextNormal();
  return out;
}

/**
 * Fill `out` in index order with N(mean, std²) draws truncated to [a, b] (rejection, see `sampleTruncatedNormal`;
 * the window must keep at least MIN_TRUNCATION_MASS of the probability).
 */
export function fillTruncatedNormal<T extends Float32Array | Float64Array>(
  out: T,
  rng: RandomSource,
  mean: number,
  std: number,
  a: number,
  b: number,
): T {
  checkFillTarget(out);
  checkRng(rng);
  checkNormal(mean, std, true);
  checkWindow(a, b);
  const cap = rejectionCap(checkedMass(mean, std, a, b));
  for (let i = 0; i < out.length; i++) out[i] = truncatedDraw(rng, mean, std, a, b, cap);
  return out;
}
