/**
 * HTML sections shared by the compare and propagate reports: findings, the schemes with their provenance, the run's
 * metadata, the configuration, and the figures rendered by vega.
 */
import type { Finding, RunMeta, SchemeSpec } from '../experiments/compare/types.js';
import { dataTable, escapeHtml, figureBlock, kvTable, page, provenanceBadge } from './html.js';
import type { Figure } from './plots.js';
import { renderSvg } from './render.js';
import { type RankedTable, findingLines } from './tables.js';

/** Every finding as a sentence, marked ✓ / ≈ / ✗ and coloured by kind. */
export function findingsSection(findings: readonly Finding[]): string {
  if (findings.length === 0) return '<h2>Findings</h2><p>No finding: the engine reported none for this run.</p>';
  const lines = findingLines(findings);
  const kinds = [...findings].sort((a, b) => order(a) - order(b)).map((f) => f.kind);
  return `<h2>Findings</h2><ul class="find">${lines.map((l, i) => `<li class="${kinds[i]}">${escapeHtml(l)}</li>`).join('')}</ul>
<p class="meta">✓ supported by the confidence interval (the accuracy comparisons' intervals are simultaneous: Bonferroni-corrected over their number); ≈ within noise (the interval of the paired difference contains 0); ✗ the scheme's promise does not hold.</p>`;
}

// Same order as findingLines (supported, preserves, fails, noise).
const order = (f: Finding): number => ({ beats: 0, preserves: 1, 'fails-to-preserve': 2, noise: 3 })[f.kind];

/** What each provenance label means, for the schemes table. */
const PROVENANCE: Record<string, string> = {
  verified: "restates a library's public behaviour or a verified statement of the paper",
  derived: "derived for initlab's spec and checked numerically, not confirmed as the paper's own formula",
  reconstruction: "a reconstruction: initlab's best guess at what the paper does, not the authors' method verbatim",
  'authors-code': "reproduces the formulas of the authors' public code",
  inferred: 'an unchecked inference',
};

/** The schemes compared: label, id, registry name, options, provenance (reconstructions are flagged as such). */
export function schemesSection(schemes: readonly SchemeSpec[]): string {
  const rows = schemes
    .map(
      (s) =>
        `<tr><td class="l">${escapeHtml(s.label)}</td><td class="l"><code>${escapeHtml(s.id)}</code></td><td class="l">${provenanceBadge(s.provenance)}</td>` +
        `<td class="l">${escapeHtml(s.preserves)}</td><td class="l">${escapeHtml(s.lrRule)}</td><td class="l"><code>${escapeHtml(JSON.stringify(s.options))}</code></td></tr>`,
    )
    .join('\n');
  const used = [...new Set(schemes.map((s) => s.provenance))];
  const notes = used.map((p) => `<li>${provenanceBadge(p)} ${escapeHtml(PROVENANCE[p] ?? 'as recorded in the registry')}</li>`).join('');
  return `<h2>Schemes</h2><table><thead><tr><th class="l">label</th><th class="l">id</th><th class="l">provenance</th><th class="l">judged by</th><th class="l">learning-rate rule</th><th class="l">options</th></tr></thead>
<tbody>${rows}</tbody></table><ul>${notes}</ul>`;
}

/** How the result was made: version, backend, threads, Node, start time, wall time, command. */
export function metaSection(meta: RunMeta): string {
  return `<h2>Run</h2>${kvTable([
    ['initlab version', meta.version],
    ['backend', meta.backend],
    ['threads', String(meta.threads)],
    ['Node.js', meta.node],
    ['started', meta.started],
    ['wall time', `${(meta.millis / 1000).toFixed(1)} s`],
    ['command', meta.command],
  ])}`;
}

/** Every field of a configuration record (arrays joined, schemes by id). */
export function configSection(config: object): string {
  const show = (v: unknown): string => {
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null && 'id' in x ? String((x as { id: unknown }).id) : String(x))).join(', ');
    return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  };
  return `<h2>Configuration</h2>${kvTable(Object.entries(config).map(([k, v]) => [k, show(v)]))}`;
}

/** A ranked table in HTML (full cells, not cut). */
export const rankedTableHtml = (t: RankedTable): string => dataTable(t.head, t.rows, t.left);

/** Render every figure to SVG (vega, in Node) and wrap each with its caption. */
export async function figuresSection(figs: readonly Figure[]): Promise<string> {
  const blocks: string[] = [];
  for (const f of figs) blocks.push(figureBlock(f.id, await renderSvg(f.spec), f.caption, f.clipped));
  return `<h2>Figures</h2>${blocks.join('\n')}`;
}

/** `initlab 0.1.0, backend cpu (1 thread), started …`: how the run was made, in one sentence. */
export const runLine = (m: RunMeta): string =>
  `initlab ${m.version}, backend ${m.backend} (${m.threads} thread${m.threads === 1 ? '' : 's'}), started ${m.started}.`;

/** Failed or stopped seeds as a list under `title`; nothing when there are none. */
export function failuresSection(title: string, lines: readonly string[]): string {
  if (lines.length === 0) return '';
  return `<h2>${escapeHtml(title)}</h2><p class="meta">Statistics use the seeds that completed.</p><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`;
}

/** The parts of a report page, in reading order (intro and rankingNote are plain text). */
export interface ReportParts {
  readonly title: string;
  readonly intro: string;
  readonly meta: RunMeta;
  readonly findings: readonly Finding[];
  readonly ranking: RankedTable;
  readonly rankingNote: string;
  readonly figures: readonly Figure[];
  readonly schemes: readonly SchemeSpec[];
  readonly config: object;
  readonly failures: string;
}

/** A whole report page: intro, findings, ranked table, figures, schemes, configuration, run metadata, failures. */
export async function reportPage(p: ReportParts): Promise<string> {
  const body = [
    `<p class="meta">${escapeHtml(p.intro)} ${escapeHtml(runLine(p.meta))}</p>`,
    findingsSection(p.findings),
    `<h2>Ranking</h2>${rankedTableHtml(p.ranking)}<p class="meta">${escapeHtml(p.rankingNote)}</p>`,
    await figuresSection(p.figures),
    schemesSection(p.schemes),
    configSection(p.config),
    metaSection(p.meta),
    p.failures,
  ];
  return page(p.title, body.join('\n'));
}
