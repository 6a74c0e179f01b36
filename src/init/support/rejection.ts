/** Iteration caps of rejection samplers, so that a degenerate random source ends in a typed error instead of a hang. */
import { DomainError, describe } from '../../core/errors.js';

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
export function rejectionExhausted(sampler: string, tries: number, accept: number, detail: string): DomainError {
  return new DomainError(
    `${sampler}: no draw accepted in ${tries} tries (acceptance probability ${accept.toPrecision(6)}${detail}; a correct ` +
      `generator fails this with probability < 1e-30): rng is a degenerate random source`,
  );
}
