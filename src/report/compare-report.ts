/**
 * The `compare` report: one self-contained HTML page (findings, ranked table, figures as inline SVG, schemes with
 * their provenance, configuration, seeds, run metadata, failures) and results.json, the CompareResult itself.
 */
import type { CompareResult } from '../experiments/compare/types.js';
import { compareFigures } from './compare-plots.js';
import { escapeHtml, page } from './html.js';
import { configSection, figuresSection, findingsSection, metaSection, rankedTableHtml, schemesSection } from './sections.js';
import { compareLegend, compareRows } from './tables.js';

/** Seeds that failed with an error and training runs that stopped, one line each. */
function failuresSection(r: CompareResult): string {
  const lines: string[] = [];
  for (const s of r.schemes) {
    for (const run of s.runs) {
      if ('error' in run) lines.push(`${s.scheme.id}, seed ${run.seed}: failed: ${run.error}`);
      else if (run.train.stopped !== null) lines.push(`${s.scheme.id}, seed ${run.seed}: training stopped: ${run.train.stopped}`);
    }
  }
  if (lines.length === 0) return '';
  return `<h2>Failures and stopped runs</h2><p class="meta">Statistics use the seeds that completed.</p><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`;
}

/** The compare report as one HTML page (async: the figures are rendered by vega). */
export async function compareReportHtml(r: CompareResult): Promise<string> {
  const c = r.config;
  const depth = c.widths.length - 2;
  const intro =
    `<p class="meta">ReLU MLP ${escapeHtml(c.widths.join('–'))} (${depth} hidden layers) on ${escapeHtml(c.data)}; ${c.schemes.length} schemes × ` +
    `${c.seeds.length} seeds (${escapeHtml(c.seeds.join(', '))}); ${c.steps} training steps each; ${c.dtype}. ` +
    `initlab ${escapeHtml(r.meta.version)}, backend ${escapeHtml(r.meta.backend)} (${r.meta.threads} thread${r.meta.threads === 1 ? '' : 's'}), started ${escapeHtml(r.meta.started)}.</p>`;
  const body = [
    intro,
    findingsSection(r.findings),
    `<h2>Ranking</h2>${rankedTableHtml(compareRows(r))}<p class="meta">${escapeHtml(compareLegend(r))}</p>`,
    await figuresSection(compareFigures(r)),
    schemesSection(c.schemes),
    configSection(c),
    metaSection(r.meta),
    failuresSection(r),
  ];
  return page('initlab compare: initialization schemes side by side', body.join('\n'));
}

/** The files of a compare report folder: index.html and results.json (every number behind every table and plot). */
export async function compareReportFiles(r: CompareResult): Promise<Record<string, string>> {
  return { 'index.html': await compareReportHtml(r), 'results.json': `${JSON.stringify(r, null, 1)}\n` };
}
