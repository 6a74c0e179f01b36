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
import { rejectionCap, rejectionExhausted } from './rejection.js';

export { rejectionCap } from './rejection.js';

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
