/**
 * The sentences of a comparison, each printed only when the numbers support it: "X beats Y on test accuracy" when
 * the paired interval of X − Y over the common seeds excludes 0, otherwise "within noise"; and per scheme whether
 * its yardstick's interval supports the theory's prediction, contradicts it, or is within noise.
 */
import { pairedDifference, sideOf, type SeedValue } from '../stats.js';
import type { Finding, Interval, SchemeResult } from './types.js';
import { PRESERVE_BAND } from './yardstick.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}`;
const num = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(3) : x.toExponential(2)) : String(x));
const level = (c: number): string => `${Math.round(c * 1000) / 10}%`;

/** Test accuracy per seed of the runs that completed without error. */
export function accuracies(r: SchemeResult): SeedValue[] {
  return r.runs.flatMap((run) => ('train' in run ? [{ seed: run.seed, value: run.train.testAccuracy }] : []));
}

function negate(iv: Interval): Interval {
  return { mean: -iv.mean, lo: -iv.hi, hi: -iv.lo, sd: iv.sd, n: iv.n };
}

/**
 * The finding on test accuracy between `a` and `b`: the paired difference a − b over their common seeds in an interval
 * of level 1 − (1 − confidence)/comparisons (Bonferroni: with `comparisons` findings drawn from one comparison, all
 * their intervals hold together with probability ≥ `confidence`); 'beats' (winner first, its difference positive)
 * when the interval excludes 0, else 'noise' (also when fewer than two seeds pair up, where no interval exists).
 */
export function accuracyFinding(a: SchemeResult, b: SchemeResult, confidence: number, comparisons = 1): Finding {
  const d = pairedDifference(accuracies(a), accuracies(b), 1 - (1 - confidence) / comparisons);
  const side = sideOf(d, 0);
  const lvl = comparisons === 1 ? `${level(confidence)} CI` : `${level(confidence)} simultaneous CI over ${comparisons} comparisons`;
  const ci = `${lvl} ${pct(d.lo)} to ${pct(d.hi)}`;
  if (side !== 0) {
    const [win, lose, diff] = side > 0 ? [a, b, d] : [b, a, negate(d)];
    return {
      kind: 'beats', metric: 'testAccuracy', a: win.scheme.id, b: lose.scheme.id, difference: diff,
      text: `${win.scheme.label} beats ${lose.scheme.label} on test accuracy by ${pct(diff.mean)} points (${lvl} ${pct(diff.lo)} to ${pct(diff.hi)}, paired over ${d.n} seeds)`,
    };
  }
  const why = d.n < 2 ? `only ${d.n} common seed(s) completed, no interval` : `${pct(d.mean)} points, ${ci}, paired over ${d.n} seeds`;
  return {
    kind: 'noise', metric: 'testAccuracy', a: a.scheme.id, b: b.scheme.id, difference: d,
    text: `The difference in test accuracy between ${a.scheme.label} and ${b.scheme.label} is within noise (${why})`,
  };
}

/**
 * The yardstick finding of one scheme: 'preserves' when its interval lies within a factor PRESERVE_BAND of the
 * prediction (`confirmed`), 'fails-to-preserve' when it excludes the prediction, otherwise 'noise' (consistent with
 * the theory, but too wide to support it).
 */
export function preservedFinding(r: SchemeResult, confidence: number): Finding {
  const p = r.preserved;
  const m = p.measured;
  const what = `${p.quantity}: ${num(m.mean)} (${level(confidence)} CI ${num(m.lo)} to ${num(m.hi)}, ${m.n} seeds), theory ${num(p.predicted)}`;
  const base = { metric: 'preserved' as const, a: r.scheme.id };
  if (p.holds && p.confirmed === true) return { ...base, kind: 'preserves', text: `${r.scheme.label} keeps what it promises. ${what}` };
  if (!p.holds && m.n >= 2 && m.lo <= m.hi) return { ...base, kind: 'fails-to-preserve', text: `${r.scheme.label} does not keep what it promises. ${what}` };
  const why = p.holds ? `the interval contains the theory's value but reaches beyond a factor ${PRESERVE_BAND} of it` : 'no interval (fewer than two seeds completed, or a non-finite value)';
  return { ...base, kind: 'noise', text: `Whether ${r.scheme.label} keeps what it promises is within noise (${why}). ${what}` };
}

/**
 * The findings of a comparison: the top-ranked scheme against every other, then the first scheme of the config
 * (the baseline, e.g. He) against every other not yet compared, on test accuracy — with Bonferroni-corrected
 * intervals, so that all these "beats" hold together at level `confidence` and a marginal one is not a multiplicity
 * artefact — then each scheme's yardstick (one test per scheme, at level `confidence`).
 */
export function compareFindings(results: readonly SchemeResult[], ranking: readonly string[], confidence: number): Finding[] {
  const byId = new Map(results.map((r) => [r.scheme.id, r]));
  const pairs: [SchemeResult, SchemeResult][] = [];
  const done = new Set<string>();
  const pair = (a: SchemeResult | undefined, b: SchemeResult): void => {
    if (a === undefined || a === b) return;
    const key = [a.scheme.id, b.scheme.id].sort().join('\u0000');
    if (done.has(key)) return;
    done.add(key);
    pairs.push([a, b]);
  };
  const top = ranking.length > 0 ? byId.get(ranking[0]!) : undefined;
  for (const r of results) pair(top, r);
  for (const r of results) pair(results[0], r);
  return [
    ...pairs.map(([a, b]) => accuracyFinding(a, b, confidence, pairs.length)),
    ...results.map((r) => preservedFinding(r, confidence)),
  ];
}
