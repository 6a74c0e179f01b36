/**
 * Keyed random streams for experiments: the stream of a scheme is keyed by its id and the seed, never by its
 * position in a list, so listing a scheme twice gives identical draws and reordering the schemes changes nothing.
 */
import { DomainError, describe } from '../core/errors.js';
import { seedToUint64, splitMix64At, type Seed } from '../init/index.js';

const MASK64 = (1n << 64n) - 1n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/** 64-bit FNV-1a hash of the UTF-8 bytes of `key` (Fowler, Noll & Vo): a fixed, engine-independent string hash. */
export function fnv1a64(key: string): bigint {
  if (typeof key !== 'string') throw new DomainError(`key must be a string, got ${describe(key)}`);
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(key)) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK64;
  return h;
}

/**
 * The seed of the stream keyed by (`key`, `seed`): SplitMix64's first output from SplitMix64(FNV-1a(key)) XOR seed.
 * Both steps are bijective mixes of 64 bits, so distinct keys or seeds give unrelated streams, and the result
 * depends on nothing else (not on a position in a list).
 */
export function keyedSeed(key: string, seed: Seed): bigint {
  const s = seedToUint64(seed, 'seed');
  return splitMix64At(splitMix64At(fnv1a64(key), 1) ^ s, 1);
}
