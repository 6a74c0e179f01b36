/**
 * What every suite of `npm run bench` shares: benny settings, the rows of summary.json and how one suite runs.
 */
import b from 'benny';
import { fileURLToPath } from 'node:url';
import type { Summary } from 'benny/lib/internal/common-types.js';
import { INITLAB_CPU, type Contender } from './contenders.js';

export const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
export const quick = process.argv.includes('--quick');

/**
 * Benchmark.js settings: at least 3 samples, at most ~2 s per case (1 s in quick mode), so the
 * slowest peers at 1024^3 (~2 s an operation) still get their samples and the whole run stays near
 * 3 minutes.
 */
export const CASE_OPTIONS = quick ? { minSamples: 3, maxTime: 1 } : { minSamples: 3, maxTime: 2 };

/** A backend from the registry that could not be used here, and why. */
export interface Unavailable {
  name: string;
  reason: string;
}

export interface CaseRow {
  name: string;
  opsPerSec: number;
  marginPct: number;
  samples: number;
  gflops: number | null;
  gelemPerSec: number | null;
  ratioVsInitlabCpu: number | null;
}

export interface SuiteRow {
  suite: string;
  file: string;
  shape: { m: number; k: number; n: number } | { length: number } | { batch: number; widths: number[] };
  cases: CaseRow[];
  /** Training suites: each contender's loss before its first update (they must agree). */
  firstStepLoss?: Record<string, number>;
}

/** Operations per second from the mean sample time (benny's `ops` is rounded for display). */
function opsOf(r: Summary['results'][number]): number {
  return r.details.mean > 0 ? 1 / r.details.mean : r.ops;
}

export function rows(summary: Summary, flopsPerOp: number | null, elemsPerOp: number | null): CaseRow[] {
  const base = summary.results.find((r) => r.name === INITLAB_CPU);
  const baseOps = base === undefined ? 0 : opsOf(base);
  return summary.results.map((r) => {
    const ops = opsOf(r);
    return {
      name: r.name,
      opsPerSec: ops,
      marginPct: r.margin,
      samples: r.samples,
      gflops: flopsPerOp === null ? null : (flopsPerOp * ops) / 1e9,
      gelemPerSec: elemsPerOp === null ? null : (elemsPerOp * ops) / 1e9,
      ratioVsInitlabCpu: baseOps === 0 ? null : ops / baseOps,
    };
  });
}

/** Run one benny suite over the contenders that implement `pick`, saving benny's JSON. */
export async function runSuite(
  suite: string,
  file: string,
  contenders: Contender[],
  build: (c: Contender) => (() => unknown) | undefined,
): Promise<Summary> {
  const cases = [];
  for (const c of contenders) {
    // Build (and thereby convert inputs) once: benny calls the outer function several times.
    const run = build(c);
    if (run !== undefined) cases.push(b.add(c.name, () => run));
  }
  return b.suite(
    suite,
    b.configure({ cases: CASE_OPTIONS, minDisplayPrecision: 4 }),
    ...cases,
    b.cycle(),
    b.complete(),
    b.save({ file, folder: RESULTS, format: 'json', details: false }),
  );
}

