/**
 * The statistics of a sweep over seeds: per (scheme, depth, width) the final training loss and the test accuracy
 * with their Student-t intervals and the coordinate check averaged over seeds; and per (scheme, depth) the finding
 * "does wider train better?" from the paired difference of the final loss between the narrowest and widest width.
 */
import type { Finding, Interval } from '../compare/types.js';
import { pairedDifference, sideOf, tInterval, type SeedValue } from '../stats.js';
import type { SweepJobResult, SweepRecord, SweepResult } from './types.js';

/** One (scheme, depth, width) over its seeds. */
export interface SweepCell {
  readonly scheme: string;
  readonly depth: number;
  readonly width: number;
  /** Final training loss (the last window) and test accuracy over the seeds that completed. */
  readonly finalLoss: Interval;
  readonly testAccuracy: Interval;
  readonly lossBySeed: readonly SeedValue[];
  readonly failed: number;
  /** Coordinate check: steps recorded by every completed seed, and coord[t][l] = mean over seeds of meanAbs[t][l]. */
  readonly coordSteps: readonly number[];
  readonly coordBySeed: readonly (readonly (readonly number[])[])[];
  readonly coord: readonly (readonly number[])[];
}

type Ok = Extract<SweepRecord, { result: SweepJobResult }>;

/** The cells of a sweep, in grid order (schemes, depths, widths). */
export function sweepCells(r: SweepResult): SweepCell[] {
  const c = r.config;
  return c.schemes.flatMap((s) => c.depths.flatMap((depth) => c.widths.map((width): SweepCell => {
    const recs = r.records.filter((x) => x.job.scheme.id === s.id && x.job.depth === depth && x.job.width === width);
    const ok = recs.filter((x): x is Ok => 'result' in x);
    const lossBySeed = ok.map((x) => ({ seed: x.job.seed, value: x.result.train.loss[x.result.train.loss.length - 1] ?? NaN }));
    const steps = Math.min(...ok.map((x) => x.result.coord.steps.length));
    const coordBySeed = ok.map((x) => x.result.coord.meanAbs.slice(0, steps));
    const coord = Array.from({ length: ok.length === 0 ? 0 : steps }, (_, t) =>
      Array.from({ length: depth + 1 }, (_, l) => coordBySeed.reduce((a, m) => a + (m[t]![l] as number), 0) / coordBySeed.length));
    return {
      scheme: s.id, depth, width,
      finalLoss: tInterval(lossBySeed.map((v) => v.value).filter(Number.isFinite), c.confidence),
      testAccuracy: tInterval(ok.map((x) => x.result.train.testAccuracy).filter(Number.isFinite), c.confidence),
      lossBySeed, failed: recs.length - ok.length,
      coordSteps: ok.length === 0 ? [] : ok[0]!.result.coord.steps.slice(0, steps),
      coordBySeed, coord,
    };
  })));
}

/**
 * Per scheme and depth (when the grid has two widths or more): the paired difference over seeds of the final loss at
 * the narrowest width minus the widest. Its interval above 0: the wider net trains better ('beats'); below 0: the
 * narrower does; containing 0 (or fewer than two common seeds): within noise.
 */
export function widthFindings(r: SweepResult, cells: readonly SweepCell[]): Finding[] {
  const c = r.config;
  if (c.widths.length < 2) return [];
  const lo = Math.min(...c.widths);
  const hi = Math.max(...c.widths);
  return c.schemes.flatMap((s) => c.depths.map((depth): Finding => {
    const at = (w: number): SweepCell => cells.find((x) => x.scheme === s.id && x.depth === depth && x.width === w)!;
    const finite = (v: readonly SeedValue[]): SeedValue[] => v.filter((x) => Number.isFinite(x.value));
    const d = pairedDifference(finite(at(lo).lossBySeed), finite(at(hi).lossBySeed), c.confidence);
    const side = sideOf(d, 0);
    const pct = `${Math.round(c.confidence * 1000) / 10}%`;
    const diff = `loss(width ${lo}) − loss(width ${hi}) = ${d.mean.toPrecision(3)} [${d.lo.toPrecision(2)}, ${d.hi.toPrecision(2)}] (${pct}, ${d.n} seeds)`;
    const who = `${s.id}, depth ${depth}`;
    const text = side > 0 ? `${who}: wider trains better — ${diff}`
      : side < 0 ? `${who}: narrower trains better — ${diff}`
        : `${who}: width ${hi} vs ${lo} is within noise — ${diff}`;
    return { kind: side === 0 ? 'noise' : 'beats', metric: 'finalLoss', a: `${s.id} width ${side < 0 ? lo : hi}`, b: `${s.id} width ${side < 0 ? hi : lo}`, difference: d, text };
  }));
}
