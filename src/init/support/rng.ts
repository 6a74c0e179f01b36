/**
 * The seeded random source shared by every initializer (docs/schemes/support.md).
 *
 * - Generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/), four uint32 state words, only 32-bit
 *   operations, so the uint32 stream is bit-identical on every JS engine.
 * - Seeding: SplitMix64 (Steele, Lea & Flood 2014; as in Vigna's reference seeding) from a seed in [0, 2^64) (a
 *   non-negative safe integer or a bigint; anything else is a DomainError, so two different seeds never alias);
 *   two outputs o1, o2 give the state `[lo32(o1), hi32(o1), lo32(o2), hi32(o2)]`.
 * - `nextFloat64`: 53-bit uniform on [0, 1) from two draws (`(a >>> 5) * 2^26 + (b >>> 6)) / 2^53`.
 * - `nextInt(k)`: unbiased by rejection (`limit = 2^32 − (2^32 mod k)`).
 * - `nextNormal`: Marsaglia polar method with the second value cached (the cache is generator state).
 * - Independent streams: the seed of stream k (k = 0, 1, …) is output k+1 of a SplitMix64 stream started at the
 *   master seed, so adding a tensor never changes the draws of the others.
 *
 * Changing any of these (generator, normal sampler, draw order) changes every golden value: a breaking change.
 * `nextNormal` uses `Math.log` and `Math.sqrt`; its output is bit-identical within one engine (ECMAScript leaves
 * `Math.log` implementation-approximated), the integer and uniform streams everywhere.
 */
import { DomainError, NonFiniteError, describe } from '../../core/errors.js';
import { finiteParam, positiveIntParam } from './options.js';
import { normalCdf } from './special.js';

/** A source of random numbers; every random initializer takes one explicitly (no global state). */
export interface RandomSource {
  /** Uniform on [0, 2^32). */
  nextUint32(): number;
  /** Uniform on [0, 1), 53-bit resolution. */
  nextFloat64(): number;
  /** Uniform on {0, …, k−1}, unbiased; 1 ≤ k ≤ 2^32. */
  nextInt(k: number): number;
  /** Standard normal N(0, 1). */
  nextNormal(): number;
}

/** A seed: a non-negative safe integer `number` or a `bigint` in [0, 2^64). */
export type Seed = number | bigint;

const MASK64 = (1n << 64n) - 1n;
const GOLDEN64 = 0x9e3779b97f4a7c15n;
const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

/**
 * Validate a seed: a `number` must be a safe integer in [0, 2^53 − 1], a `bigint` must lie in [0, 2^64). Values
 * outside are rejected (DomainError stating the range) rather than reduced modulo 2^64, which would silently make
 * `createRng(2n ** 64n)` equal `createRng(0)` and `createRng(-1)` equal `createRng(2n ** 64n - 1n)`.
 */
export function seedToUint64(seed: Seed, name = 'seed'): bigint {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed > MASK64) throw new DomainError(`${name} must be a bigint in [0, 2^64 - 1], got ${seed}n`);
    return seed;
  }
  if (typeof seed !== 'number') throw new DomainError(`${name} must be an integer number or a bigint, got ${describe(seed)}`);
  if (!Number.isFinite(seed)) throw new NonFiniteError(`${name} must be a finite integer, got ${describe(seed)}`);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new DomainError(`${name} must be an integer in [0, 2^53-1] (or a bigint in [0, 2^64 - 1]), got ${describe(seed)}`);
  }
  return BigInt(seed);
}

const RNG_METHODS = ['nextUint32', 'nextFloat64', 'nextInt', 'nextNormal'] as const;

/**
 * Check that `rng` is a RandomSource (an object with the methods nextUint32, nextFloat64, nextInt, nextNormal, e.g.
 * `createRng(seed)`), so that `null`, `undefined` or `Math.random` give a DomainError naming the argument before any
 * work instead of a TypeError deep inside a sampler. Returns `rng`.
 */
export function checkRng(rng: unknown, name = 'rng'): RandomSource {
  if (rng === null || typeof rng !== 'object') {
    throw new DomainError(`${name} must be a RandomSource (an object with methods ${RNG_METHODS.join(', ')}, e.g. createRng(seed)), got ${describe(rng)}`);
  }
  const missing = RNG_METHODS.filter((m) => typeof (rng as Record<string, unknown>)[m] !== 'function');
  if (missing.length > 0) {
    throw new DomainError(`${name} must be a RandomSource (e.g. createRng(seed)); method(s) ${missing.join(', ')} missing, got ${describe(rng)}`);
  }
  return rng as RandomSource;
}

/**
 * Iteration cap of a rejection sampler whose acceptance probability is `accept`: the smallest k with
 * (1 − accept)^k < 1e-30, so a correct generator exceeds it with probability below 1e-30 and only a degenerate
 * source (e.g. one whose nextNormal always returns 3) hits it. `accept` a number, not NaN (DomainError otherwise);
 * accept ≤ 0 gives Infinity (no finite cap: callers reject such windows first, see MIN_TRUNCATION_MASS).
 */
export function rejectionCap(accept: number): number {
  if (typeof accept !== 'number' || Number.isNaN(accept)) throw new DomainError(`accept must be a probability (a number), got ${describe(accept)}`);
  if (!(accept > 0)) return Infinity;
  if (accept >= 1) return 1;
  return Math.ceil((30 * Math.LN10) / -Math.log1p(-accept));
}

/** The typed error of a rejection sampler that hit its cap. */
function rejectionExhausted(sampler: string, tries: number, accept: number, detail: string): DomainError {
  return new DomainError(
    `${sampler}: no draw accepted in ${tries} tries (acceptance probability ${accept.toPrecision(6)}${detail}; a correct ` +
      `generator fails this with probability < 1e-30): rng is a degenerate random source`,
  );
}

function mix64(z0: bigint): bigint {
  let z = z0;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** SplitMix64 (used only for seeding; BigInt arithmetic modulo 2^64). */
export class SplitMix64 {
  private x: bigint;
  constructor(seed: Seed) {
    this.x = seedToUint64(seed);
  }
  /** Next 64-bit output as a bigint in [0, 2^64). */
  next(): bigint {
    this.x = (this.x + GOLDEN64) & MASK64;
    return mix64(this.x);
  }
}

/** The k-th output (k = 1, 2, …) of SplitMix64 started at `seed`, computed in O(1). */
export function splitMix64At(seed: Seed, k: number | bigint): bigint {
  // BigInt(k) of a string, a fraction or null would be a SyntaxError / RangeError / TypeError: check the kind first
  const ok = typeof k === 'bigint' ? k >= 0n : typeof k === 'number' && Number.isSafeInteger(k) && k >= 0;
  if (!ok) throw new DomainError(`k must be a non-negative safe integer or bigint, got ${typeof k === 'bigint' ? `${k}n` : describe(k)}`);
  return mix64((seedToUint64(seed) + BigInt(k) * GOLDEN64) & MASK64);
}

/** Cap of the polar method's loop (acceptance probability π/4). */
const POLAR_CAP = rejectionCap(Math.PI / 4);

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** xoshiro128** 1.1 seeded by SplitMix64, with a Marsaglia-polar normal sampler. */
export class Xoshiro128StarStar implements RandomSource {
  /** The seed this generator was created from (modulo 2^64). */
  readonly seed: bigint;
  private readonly s: Uint32Array;
  private hasSpare = false;
  private spare = 0;

  constructor(seed: Seed) {
    this.seed = seedToUint64(seed);
    const sm = new SplitMix64(this.seed);
    const o1 = sm.next();
    const o2 = sm.next();
    this.s = new Uint32Array([
      Number(o1 & 0xffffffffn),
      Number(o1 >> 32n),
      Number(o2 & 0xffffffffn),
      Number(o2 >> 32n),
    ]);
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) {
      throw new DomainError(`seed ${this.seed} gives the all-zero xoshiro128** state`);
    }
  }

  /** A copy of the four state words. */
  getState(): Uint32Array {
    return Uint32Array.from(this.s);
  }

  nextUint32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }

  nextFloat64(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / TWO53;
  }

  nextInt(k: number): number {
    if (!Number.isInteger(k) || k < 1 || k > TWO32) {
      throw new DomainError(`k must be an integer in [1, 2^32], got ${describe(k)}`);
    }
    const limit = TWO32 - (TWO32 % k);
    const cap = rejectionCap(limit / TWO32);
    let u = this.nextUint32();
    for (let i = 1; u >= limit; i++) {
      if (i >= cap) throw rejectionExhausted('nextInt rejection sampler', i, limit / TWO32, '');
      u = this.nextUint32();
    }
    return u % k;
  }

  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    for (let i = 0; i < POLAR_CAP; i++) {
      const u = 2 * this.nextFloat64() - 1;
      const v = 2 * this.nextFloat64() - 1;
      const q = u * u + v * v;
      if (q > 0 && q < 1) {
        const f = Math.sqrt((-2 * Math.log(q)) / q);
        this.spare = v * f;
        this.hasSpare = true;
        return u * f;
      }
    }
    throw rejectionExhausted('nextNormal (Marsaglia polar) rejection sampler', POLAR_CAP, Math.PI / 4, '');
  }

  /** Independent stream k of this generator's seed: same as `createStream(this.seed, k)`. */
  stream(k: number): Xoshiro128StarStar {
    return createStream(this.seed, k);
  }

  /** A generator in exactly the same state (including the cached normal). */
  clone(): Xoshiro128StarStar {
    const c = new Xoshiro128StarStar(this.seed);
    c.s.set(this.s);
    c.hasSpare = this.hasSpare;
    c.spare = this.spare;
    return c;
  }
}

/** Create the project's seeded random source (xoshiro128** 1.1 seeded by SplitMix64). */
export function createRng(seed: Seed): Xoshiro128StarStar {
  return new Xoshiro128StarStar(seed);
}

/**
 * Seed of independent stream k (k = 0, 1, …) of `masterSeed`: output k+1 of SplitMix64 started at `masterSeed`
 * (docs/schemes/support.md, streams).
 */
export function streamSeed(masterSeed: Seed, k: number): bigint {
  if (!Number.isSafeInteger(k) || k < 0) throw new DomainError(`stream index k must be a non-negative integer, got ${describe(k)}`);
  return splitMix64At(masterSeed, k + 1);
}

/** Generator for independent stream k of `masterSeed` (e.g. one per tensor, indexed by layer). */
export function createStream(masterSeed: Seed, k: number): Xoshiro128StarStar {
  return new Xoshiro128StarStar(streamSeed(masterSeed, k));
}

/** Generators for streams 0..count−1 of `masterSeed`. */
export function createStreams(masterSeed: Seed, count: number): Xoshiro128StarStar[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new DomainError(`count must be a non-negative integer, got ${describe(count)}`);
  const out: Xoshiro128StarStar[] = [];
  for (let k = 0; k < count; k++) out.push(createStream(masterSeed, k));
  return out;
}

/**
 * Derive a master seed from any RandomSource (two `nextUint32` draws → 64 bits), e.g. for a network-level
 * initializer that received one `rng` and wants one independent stream per layer:
 * `const m = deriveSeed(rng); const rngK = createStream(m, k);`.
 */
export function deriveSeed(rng: RandomSource): bigint {
  checkRng(rng);
  const lo = BigInt(rng.nextUint32());
  const hi = BigInt(rng.nextUint32());
  return (hi << 32n) | lo;
}

// ---------------------------------------------------------------------------------------------------------------
// Sampling helpers shared by every scheme (one place; draw order is part of the reproducibility contract).
// ---------------------------------------------------------------------------------------------------------------

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
