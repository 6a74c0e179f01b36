/**
 * The `propagate` report: signal propagation at initialization over a depth × width grid, as one self-contained
 * HTML page (findings, ranked table, figures, schemes, configuration, seeds, run metadata) and results.json.
 */
import type { PropagateResult } from '../experiments/compare/types.js';
import { escapeHtml, page } from './html.js';
import { propagateFigures } from './propagate-plots.js';
import { configSection, figuresSection, findingsSection, metaSection, rankedTableHtml, schemesSection } from './sections.js';
import { propagateRows } from './tables.js';

/** Seeds that failed with an error, one line each. */
function failuresSection(r: PropagateResult): string {
  const lines = r.cells.flatMap((c) =>
    c.runs.flatMap((run) => ('error' in run ? [`${c.scheme}, depth ${c.depth}, width ${c.width}, seed ${run.seed}: ${run.error}`] : [])),
  );
  if (lines.length === 0) return '';
  return `<h2>Failures</h2><p class="meta">Statistics use the seeds that completed.</p><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`;
}

/** The propagate report as one HTML page (async: the figures are rendered by vega). */
export async function propagateReportHtml(r: PropagateResult): Promise<string> {
  const c = r.config;
  const intro =
    `<p class="meta">ReLU MLPs ${c.inputDim} → depth × width → ${c.classes}, depths ${escapeHtml(c.depths.join(', '))}, widths ${escapeHtml(c.widths.join(', '))}, ` +
    `on ${escapeHtml(c.data)} (batches of ${c.batchSize}); ${c.schemes.length} schemes × ${c.seeds.length} seeds (${escapeHtml(c.seeds.join(', '))}); ${c.dtype}; no training. ` +
    `initlab ${escapeHtml(r.meta.version)}, backend ${escapeHtml(r.meta.backend)} (${r.meta.threads} thread${r.meta.threads === 1 ? '' : 's'}), started ${escapeHtml(r.meta.started)}.</p>`;
  const body = [
    intro,
    findingsSection(r.findings),
    `<h2>Ranking</h2>${rankedTableHtml(propagateRows(r))}<p class="meta">Schemes ranked by how close their yardstick stays to the prediction over the grid (mean |log10(measured / predicted)|); intervals are ${Math.round(c.confidence * 1000) / 10}% t-intervals over seeds.</p>`,
    await figuresSection(propagateFigures(r)),
    schemesSection(c.schemes),
    configSection(c),
    metaSection(r.meta),
    failuresSection(r),
  ];
  return page('initlab propagate: signal propagation at initialization, depth × width', body.join('\n'));
}

/** The files of a propagate report folder: index.html and results.json. */
export async function propagateReportFiles(r: PropagateResult): Promise<Record<string, string>> {
  return { 'index.html': await propagateReportHtml(r), 'results.json': `${JSON.stringify(r, null, 1)}\n` };
}
