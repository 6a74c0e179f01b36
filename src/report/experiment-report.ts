/**
 * The `initlab experiment` report: one page with a summary table of verdicts and, per preset, the claims (in our
 * words, with their provenance), the cases measured with their intervals over seeds, the verdicts and why, the setup,
 * the tables and the figures; results.json holds every number.
 */
import type { ClaimResult, FigureData, PresetResult } from '../experiments/papers/types.js';
import { colorAt, dataTable, escapeHtml, figureBlock, kvTable, page } from './html.js';
import { curveFigure, layerAxis, type Figure } from './plots.js';
import { renderSvg } from './render.js';
import { short } from './tables.js';

/** A preset's figure data as a curve figure (each curve keeps one colour across the panels). */
export function experimentFigure(f: FigureData): Figure {
  const names = [...new Set(f.panels.flatMap((p) => p.curves.map((c) => c.name)))];
  const xMax = Math.max(...f.panels.flatMap((p) => p.curves.flatMap((c) => c.x)));
  const xs = [...new Set(f.panels.flatMap((p) => p.curves.flatMap((c) => c.x)))].sort((a, b) => a - b);
  // A log x axis needs explicit ticks (curveFigure reads logX only with xTicks): the measured x values themselves.
  const layerTicks = f.logX === true ? { xTicks: xs, xDomain: [xs[0]!, xs[xs.length - 1]!] as [number, number] } : f.xTitle === 'layer' ? layerAxis(xMax) : {};
  return curveFigure(
    f.panels.map((p) => ({
      title: p.title,
      series: p.curves.map((c) => ({
        name: c.name,
        color: colorAt(names.indexOf(c.name)),
        center: { x: c.x, y: c.mean },
        seeds: c.seeds.map((s) => ({ seed: s.seed, x: c.x, y: s.y })),
        band: { x: c.x, lo: c.lo, hi: c.hi },
      })),
    })),
    {
      id: f.id, title: f.title, caption: f.caption, xTitle: f.xTitle, yTitle: f.yTitle, logY: f.logY, ...layerTicks,
      ...(f.logX === true ? { logX: true } : {}),
      ...(f.reference === undefined ? {} : { reference: f.reference }),
      ...(f.floor === undefined ? {} : { floor: f.floor }),
      ...(f.ceil === undefined ? {} : { ceil: f.ceil }),
      ...(f.legendTitle === undefined ? {} : { legendTitle: f.legendTitle }),
    },
  );
}

const VERDICT_CLASS = { held: 'preserves', 'did not hold': 'fails-to-preserve', 'within noise': 'noise' } as const;

/** A verdict word, coloured. */
const verdictSpan = (v: ClaimResult['verdict']): string => `<strong class="${VERDICT_CLASS[v]}">${escapeHtml(v)}</strong>`;

/** One claim: statement, provenance, test, the cases with their intervals and verdicts. */
export function claimHtml(c: ClaimResult): string {
  const rows = c.cases.map((k) => [k.label, short(k.measured.mean), `[${short(k.measured.lo)}, ${short(k.measured.hi)}]`, short(k.measured.sd), String(k.measured.n), k.predicted, k.verdict, k.reason]);
  return `<h3>Claim: ${escapeHtml(c.id)} — ${verdictSpan(c.verdict)}</h3>
<p>${escapeHtml(c.statement)}</p>
<p class="meta">Provenance: ${escapeHtml(c.provenance)}.<br>Verdict rule (fixed before the run): ${escapeHtml(c.test)}.</p>
${dataTable(['case', 'mean', 'interval', 'sd over seeds', 'seeds', 'predicted', 'verdict', 'why'], rows, [0, 5, 6, 7])}`;
}

/** The summary table: one row per claim of every preset, and each preset's verdict. */
export function summaryHtml(results: readonly PresetResult[]): string {
  const rows = results.flatMap((r) => r.claims.map((c) => [r.name, c.id, c.provenance, c.verdict, `${r.verdict} (${(r.meta.millis / 1000).toFixed(1)} s)`]));
  return `<h2>Summary of verdicts</h2>${dataTable(['preset', 'claim', 'provenance', 'verdict', 'preset verdict (run time)'], rows, [0, 1, 2, 3, 4])}
<p class="meta">held: the interval over seeds lies inside the claim's band (or on the claimed side of the paired difference);
did not hold: it lies entirely outside; within noise: it straddles the edge. Bands are fixed in the code, never tuned to the outcome.</p>`;
}

/** One preset's section (async: figures are rendered by vega). */
export async function presetSection(r: PresetResult): Promise<string> {
  const figs: string[] = [];
  for (const f of r.figures) {
    const fig = experimentFigure(f);
    figs.push(figureBlock(fig.id, await renderSvg(fig.spec), fig.caption, fig.clipped));
  }
  return `<h2 id="preset-${escapeHtml(r.name)}">${escapeHtml(r.name)}: ${escapeHtml(r.title)} — ${verdictSpan(r.verdict)}</h2>
<p class="meta">${escapeHtml(r.paper)}. ${r.quick ? 'Quick size (a smoke run: expect wide intervals).' : 'Full size.'} Run time ${(r.meta.millis / 1000).toFixed(1)} s.</p>
<h3>Setup</h3>${kvTable(r.setup)}
${r.claims.map(claimHtml).join('\n')}
${r.tables.map((t) => `<h3>${escapeHtml(t.title)}</h3>${dataTable(t.head, t.rows, [0, 1])}`).join('\n')}
${figs.join('\n')}`;
}

/** The whole report page of one or more presets. */
export async function experimentReportHtml(results: readonly PresetResult[], command: string): Promise<string> {
  const sections: string[] = [];
  for (const r of results) sections.push(await presetSection(r));
  const m = results[0]?.meta;
  const run = m === undefined ? '' : `<p class="meta">initlab ${escapeHtml(m.version)}, backend ${escapeHtml(m.backend)}, Node ${escapeHtml(m.node)}, started ${escapeHtml(m.started)}; command: <code>${escapeHtml(command)}</code></p>`;
  return page(`initlab experiment: ${results.map((r) => r.name).join(', ')}`, [run, summaryHtml(results), ...sections].join('\n'));
}

/** The files of an experiment report folder: index.html and results.json. */
export async function experimentReportFiles(results: readonly PresetResult[], command: string): Promise<Record<string, string>> {
  return { 'index.html': await experimentReportHtml(results, command), 'results.json': `${JSON.stringify(results, null, 1)}\n` };
}
