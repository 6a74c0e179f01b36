/**
 * The verdict on a paper's claim, computed from an interval over seeds and fixed before the run (never tuned):
 * - a predicted value: equivalence within a stated band (two one-sided tests read off the interval) —
 *   'held' when the whole interval lies inside the band around the prediction, 'did not hold' when the whole interval
 *   lies outside it, 'within noise' when it straddles a band edge (or is undefined: fewer than two seeds);
 * - a direction ("A is larger than B"): the interval of the paired difference — 'held' when it lies entirely on the
 *   claimed side of the margin, 'did not hold' when it lies entirely on the other side, 'within noise' otherwise.
 */
import { DomainError, describe } from '../../core/errors.js';
import type { Interval } from '../compare/types.js';

/** The three verdicts a report can state. */
export type Verdict = 'held' | 'did not hold' | 'within noise';

/** The band around a predicted value within which the claim counts as held. */
export type Band =
  /** |x − predicted| ≤ tol. */
  | { readonly kind: 'absolute'; readonly tol: number }
  /** predicted/factor ≤ x ≤ predicted·factor (a positive prediction; for ratios and moments). */
  | { readonly kind: 'ratio'; readonly factor: number };

/** A verdict with the sentence that explains it. */
export interface VerdictOf {
  readonly verdict: Verdict;
  readonly reason: string;
}

const fmt = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : String(v));

function checkInterval(iv: unknown, name: string): Interval {
  const o = iv as Interval;
  if (typeof iv !== 'object' || iv === null || typeof o.mean !== 'number' || typeof o.lo !== 'number' || typeof o.hi !== 'number') {
    throw new DomainError(`${name} must be an interval { mean, lo, hi, sd, n }, got ${describe(iv)}`);
  }
  return o;
}

/** [lo, hi] of `band` around `predicted` (checked: a finite prediction, tol ≥ 0, factor > 1, ratio needs predicted > 0). */
export function bandRange(predicted: number, band: Band): [number, number] {
  if (typeof predicted !== 'number' || !Number.isFinite(predicted)) throw new DomainError(`predicted must be a finite number, got ${describe(predicted)}`);
  if (typeof band !== 'object' || band === null) throw new DomainError(`band must be { kind: 'absolute', tol } or { kind: 'ratio', factor }, got ${describe(band)}`);
  if (band.kind === 'absolute') {
    if (typeof band.tol !== 'number' || !(band.tol >= 0) || !Number.isFinite(band.tol)) throw new DomainError(`band.tol must be a finite number ≥ 0, got ${describe(band.tol)}`);
    return [predicted - band.tol, predicted + band.tol];
  }
  if (band.kind === 'ratio') {
    if (typeof band.factor !== 'number' || !(band.factor > 1) || !Number.isFinite(band.factor)) throw new DomainError(`band.factor must be a finite number > 1, got ${describe(band.factor)}`);
    if (!(predicted > 0)) throw new DomainError(`a ratio band needs predicted > 0, got ${describe(predicted)}`);
    return [predicted / band.factor, predicted * band.factor];
  }
  throw new DomainError(`band.kind must be 'absolute' or 'ratio', got ${describe((band as { kind: unknown }).kind)}`);
}

/** `±0.1` or `×/÷1.25`: a band as the report writes it. */
export const bandText = (band: Band): string => (band.kind === 'absolute' ? `±${fmt(band.tol)}` : `×/÷${fmt(band.factor)}`);

/**
 * Verdict on "the quantity equals `predicted`" from its interval `iv` over seeds: held ⇔ the interval lies inside the
 * band (bandRange), did not hold ⇔ it lies entirely outside (above or below), within noise otherwise — including an
 * undefined interval (NaN bounds: fewer than two seeds or a non-finite value).
 */
export function verdictForValue(iv: Interval, predicted: number, band: Band): VerdictOf {
  const m = checkInterval(iv, 'iv');
  const [lo, hi] = bandRange(predicted, band);
  const range = `[${fmt(m.lo)}, ${fmt(m.hi)}]`;
  const target = `${fmt(predicted)} ${bandText(band)} = [${fmt(lo)}, ${fmt(hi)}]`;
  if (!(m.lo <= m.hi)) return { verdict: 'within noise', reason: `the interval is undefined (${range}), so nothing can be said` };
  if (m.lo >= lo && m.hi <= hi) return { verdict: 'held', reason: `the interval ${range} lies inside ${target}` };
  if (m.lo > hi || m.hi < lo) return { verdict: 'did not hold', reason: `the interval ${range} lies outside ${target}` };
  return { verdict: 'within noise', reason: `the interval ${range} straddles an edge of ${target}` };
}

/**
 * Verdict on "the difference is `direction` than `margin`" (default 0) from the interval `iv` of a paired difference:
 * 'greater': held ⇔ lo > margin, did not hold ⇔ hi ≤ margin; 'less': held ⇔ hi < margin, did not hold ⇔ lo ≥ margin;
 * within noise otherwise (the interval contains the margin) or when the interval is undefined.
 */
export function verdictForDirection(iv: Interval, direction: 'greater' | 'less', margin = 0): VerdictOf {
  const m = checkInterval(iv, 'iv');
  if (direction !== 'greater' && direction !== 'less') throw new DomainError(`direction must be 'greater' or 'less', got ${describe(direction)}`);
  if (typeof margin !== 'number' || !Number.isFinite(margin)) throw new DomainError(`margin must be a finite number, got ${describe(margin)}`);
  const range = `[${fmt(m.lo)}, ${fmt(m.hi)}]`;
  if (!(m.lo <= m.hi)) return { verdict: 'within noise', reason: `the interval is undefined (${range}), so nothing can be said` };
  const greater = direction === 'greater';
  if (greater ? m.lo > margin : m.hi < margin) return { verdict: 'held', reason: `the interval ${range} lies ${greater ? 'above' : 'below'} ${fmt(margin)}` };
  if (greater ? m.hi <= margin : m.lo >= margin) return { verdict: 'did not hold', reason: `the interval ${range} lies ${greater ? 'at or below' : 'at or above'} ${fmt(margin)}` };
  return { verdict: 'within noise', reason: `the interval ${range} contains ${fmt(margin)}` };
}

/** The verdict of several sub-claims that must all hold: did not hold if any did not, held if all held, else within noise. */
export function combineVerdicts(vs: readonly Verdict[]): Verdict {
  if (!Array.isArray(vs) || vs.length === 0) throw new DomainError(`vs must be a non-empty array of verdicts, got ${describe(vs)}`);
  if (vs.includes('did not hold')) return 'did not hold';
  return vs.every((v) => v === 'held') ? 'held' : 'within noise';
}
