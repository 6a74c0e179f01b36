/**
 * Argument parsers of the fractional moment-preserving scheme (docs/schemes/fractional.md). Every public function
 * parses its arguments here once, at its boundary; the numerical routines behind it take resolved values and do not
 * validate again.
 */
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
  return { act: resolved, n: positiveIntParam('n (layer width)', n), s: momentOrderParam('s', s) };
}
