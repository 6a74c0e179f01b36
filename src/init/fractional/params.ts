/**
 * Argument parsers of the fractional moment-preserving scheme (docs/schemes/fractional.md). Every public function
 * parses its arguments here once, at its boundary; the numerical routines behind it take resolved values and do not
 * validate again.
 */
import { DomainError } from '../../core/errors.js';
import { enumParam, positiveIntParam, rangeParam } from '../support/options.js';
import { parseActivation, type ResolvedActivation } from './activation.js';

/** Compatibility mode of `sigmaS`. */
export type FractionalCompat = 'exact' | 'authors-code';

const COMPATS: readonly FractionalCompat[] = ['exact', 'authors-code'];

/** A compat option (`'exact'` when undefined). */
export function compatParam(name: string, value: unknown): FractionalCompat {
  return enumParam(name, value, COMPATS, 'exact');
}

/** A moment order s ∈ (0, 2] (`dflt` when undefined, if given). */
export function momentOrderParam(name: string, value: unknown, dflt?: number): number {
  return rangeParam(name, value, 0, 2, { openLo: true, dflt });
}

/**
 * Largest layer width of the exact moments: they sum ~24√n binomial terms, each a Beta quadrature for leaky ReLU
 * (about 1 s at n = 1e6, 50 s at 2^31). Beyond it σ_s agrees with the large-n expansion (`sigmaSSquaredExpansion`,
 * relative error O(n⁻²) < 1e-12) anyway.
 */
export const MAX_MOMENT_WIDTH = 1e6;

/** The arguments (act, n, s) shared by the moment functions, resolved. */
export interface MomentArgs {
  readonly act: ResolvedActivation;
  /** Layer width, a positive integer. */
  readonly n: number;
  /** Moment order in (0, 2]. */
  readonly s: number;
}

/** Parse the (act, n, s) arguments of the public function `fn`, in that order. */
export function parseMomentArgs(fn: string, act: unknown, n: unknown, s: unknown): MomentArgs {
  const resolved = parseActivation(act, 'act', fn);
  const width = positiveIntParam('n (layer width)', n);
  if (width > MAX_MOMENT_WIDTH) throw new DomainError(`n (layer width) must be an integer in [1, ${MAX_MOMENT_WIDTH}], got ${width}`);
  return { act: resolved, n: width, s: momentOrderParam('s', s) };
}
