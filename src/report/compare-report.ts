/**
 * The `compare` report: one self-contained HTML page (findings, ranked table, figures as inline SVG, schemes with
 * their provenance, configuration, seeds, run metadata, failures) and results.json, the CompareResult itself.
 */
import type { CompareResult } from '../experiments/compare/types.js';
import { compareFigures } from './compare-plots.js';
import { failuresSection, reportPage } from './sections.js';
import { compareLegend, compareRows } from './tables.js';

/** Seeds that failed with an error and training runs that stopped, one line each. */
function failureLines(r: CompareResult): string[] {
  return r.schemes.flatMap((s) =>
    s.runs.flatMap((run) => {
      if ('error' in run) return [`${s.scheme.id}, seed ${run.seed}: failed: ${run.error}`];
      return run.train.stopped !== null ? [`${s.scheme.id}, seed ${run.seed}: training stopped: ${run.train.stopped}`] : [];
    }),
  );
}

/** The compare report as one HTML page (async: the figures are rendered by vega). */
export async function compareReportHtml(r: CompareResult): Promise<string> {
  const c = r.config;
  return reportPage({
    title: 'initlab compare: initialization schemes side by side',
    intro:
      `ReLU MLP ${c.widths.join('–')} (${c.widths.length - 2} hidden layers) on ${c.data}; ${c.schemes.length} schemes × ` +
      `${c.seeds.length} seeds (${c.seeds.join(', ')}); ${c.steps} training steps each; ${c.dtype}.`,
    meta: r.meta,
    findings: r.findings,
    ranking: compareRows(r),
    rankingNote: compareLegend(r),
    figures: compareFigures(r),
    schemes: c.schemes,
    config: c,
    failures: failuresSection('Failures and stopped runs', failureLines(r)),
  });
}

/** The files of a compare report folder: index.html and results.json (every number behind every table and plot). */
export async function compareReportFiles(r: CompareResult): Promise<Record<string, string>> {
  return { 'index.html': await compareReportHtml(r), 'results.json': `${JSON.stringify(r, null, 1)}\n` };
}
