/**
 * The `propagate` report: signal propagation at initialization over a depth × width grid, as one self-contained
 * HTML page (findings, ranked table, figures, schemes, configuration, seeds, run metadata) and results.json.
 */
import type { PropagateResult } from '../experiments/compare/types.js';
import { propagateFigures } from './propagate-plots.js';
import { failuresSection, reportPage } from './sections.js';
import { propagateRows } from './tables.js';

/** The propagate report as one HTML page (async: the figures are rendered by vega). */
export async function propagateReportHtml(r: PropagateResult): Promise<string> {
  const c = r.config;
  const failures = r.cells.flatMap((cell) =>
    cell.runs.flatMap((run) => ('error' in run ? [`${cell.scheme}, depth ${cell.depth}, width ${cell.width}, seed ${run.seed}: ${run.error}`] : [])),
  );
  return reportPage({
    title: 'initlab propagate: signal propagation at initialization, depth × width',
    intro:
      `ReLU MLPs ${c.inputDim} → depth × width → ${c.classes}, depths ${c.depths.join(', ')}, widths ${c.widths.join(', ')}, on ${c.data} ` +
      `(batches of ${c.batchSize}); ${c.schemes.length} schemes × ${c.seeds.length} seeds (${c.seeds.join(', ')}); ${c.dtype}; no training.`,
    meta: r.meta,
    findings: r.findings,
    ranking: propagateRows(r),
    rankingNote:
      'Schemes ranked by how close their yardstick stays to the prediction over the grid (mean |log10(measured / predicted)|); ' +
      `intervals are ${Math.round(c.confidence * 1000) / 10}% t-intervals over seeds.`,
    figures: propagateFigures(r),
    schemes: c.schemes,
    config: c,
    failures: failuresSection('Failures', failures),
  });
}

/** The files of a propagate report folder: index.html and results.json. */
export async function propagateReportFiles(r: PropagateResult): Promise<Record<string, string>> {
  return { 'index.html': await propagateReportHtml(r), 'results.json': `${JSON.stringify(r, null, 1)}\n` };
}
