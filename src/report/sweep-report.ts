/**
 * The `sweep` report: one HTML page (the width findings, a table per (scheme, depth, width), loss vs width, the μP
 * coordinate check for every scheme, the schemes, configuration and failed jobs) and results.json (the SweepResult
 * with its per-cell statistics). The records themselves stay in the sweep's JSONL log.
 */
import { sweepCells, widthFindings, type SweepCell, type SweepResult } from '../experiments/sweep/index.js';
import { failuresSection, reportPage } from './sections.js';
import { sweepFigures } from './sweep-plots.js';
import { short, type RankedTable } from './tables.js';

const ci = (mean: number, lo: number, hi: number, scale = 1): string =>
  Number.isFinite(lo) ? `${short(scale * mean)} ±${short((scale * (hi - lo)) / 2, 2)}` : short(scale * mean);

/** One row per (scheme, depth, width): final loss and test accuracy (mean ± half-width of the t-interval), seeds. */
export function sweepTable(cells: readonly SweepCell[]): RankedTable {
  return {
    head: ['scheme', 'depth', 'width', 'final loss', 'test acc %', 'seeds ok'],
    rows: cells.map((c) => [
      c.scheme, String(c.depth), String(c.width), ci(c.finalLoss.mean, c.finalLoss.lo, c.finalLoss.hi),
      ci(c.testAccuracy.mean, c.testAccuracy.lo, c.testAccuracy.hi, 100), `${c.lossBySeed.length}/${c.lossBySeed.length + c.failed}`,
    ]),
    widths: [26, 5, 6, 14, 12, 8],
    left: [0],
  };
}

/** The sweep report page (async: the figures are rendered by vega). */
export async function sweepReportHtml(r: SweepResult, cells: readonly SweepCell[] = sweepCells(r)): Promise<string> {
  const c = r.config;
  const failures = r.records.flatMap((x) => ('error' in x ? [`${x.job.scheme.id}, depth ${x.job.depth}, width ${x.job.width}, seed ${x.job.seed}: ${x.error}`] : []));
  return reportPage({
    title: 'initlab sweep: widths × depths × schemes × seeds',
    intro:
      `ReLU MLPs of hidden widths ${c.widths.join(', ')} and depths ${c.depths.join(', ')} on ${c.data}; ${c.schemes.length} schemes × ` +
      `${c.seeds.length} seeds; ${c.steps} ${c.optimizer} steps of batch ${c.batchSize} at lr ${c.lr}; ${r.records.length} jobs ` +
      `(${r.ran} run now on ${r.meta.workers} worker threads, ${r.skipped} from the log ${r.log}).`,
    meta: r.meta,
    findings: widthFindings(r, cells),
    ranking: sweepTable(cells),
    rankingNote: `± is the half-width of the ${Math.round(c.confidence * 1000) / 10}% t-interval over the seeds that completed.`,
    figures: sweepFigures(r, cells),
    schemes: c.schemes,
    config: c,
    failures: failuresSection('Failed jobs', failures),
  });
}

/** The files of a sweep report folder: index.html and results.json (the result with its per-cell statistics). */
export async function sweepReportFiles(r: SweepResult): Promise<Record<string, string>> {
  const cells = sweepCells(r);
  return { 'index.html': await sweepReportHtml(r, cells), 'results.json': `${JSON.stringify({ ...r, cells }, null, 1)}\n` };
}
