/** Helpers every preset shares: curves over seeds, claim cases from intervals, and the preset's combined verdict. */
import { tInterval } from '../stats.js';
import type { Interval } from '../compare/types.js';
import type { ClaimCase, ClaimResult, CurveData } from './types.js';
import { combineVerdicts, type VerdictOf } from './verdict.js';

/** A curve over seeds: at each x the Student-t interval at level `confidence` of the per-seed values. */
export function curveOf(name: string, x: readonly number[], perSeed: readonly { seed: number; y: readonly number[] }[], confidence: number): CurveData {
  const ivs = x.map((_, i) => tInterval(perSeed.map((p) => p.y[i]!), confidence));
  return { name, x, mean: ivs.map((v) => v.mean), lo: ivs.map((v) => v.lo), hi: ivs.map((v) => v.hi), seeds: perSeed };
}

/** A claim case from its measured interval, the prediction as text and the verdict computed on it. */
export const claimCase = (label: string, measured: Interval, predicted: string, v: VerdictOf): ClaimCase => ({
  label, measured, predicted, verdict: v.verdict, reason: v.reason,
});

/** A claim whose verdict combines its cases (every case must hold). */
export function claimOf(id: string, statement: string, provenance: string, test: string, cases: readonly ClaimCase[]): ClaimResult {
  return { id, statement, provenance, test, cases, verdict: combineVerdicts(cases.map((c) => c.verdict)) };
}

/** A number with three significant digits ('Infinity', 'NaN' as such). */
export const fmt = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : String(v));

/** `1.02 [0.83, 1.25]`: an interval's mean and bounds, for the presets' tables. */
export const ci = (iv: { mean: number; lo: number; hi: number }): string => `${fmt(iv.mean)} [${fmt(iv.lo)}, ${fmt(iv.hi)}]`;
