/**
 * Renders a signal-propagation study (the legacy `initlab run`) as a self-contained HTML page (tables, plain-language
 * findings, and vega-lite charts rendered to inline SVG), a Markdown summary, and a fixed-width terminal table.
 */
import type { Band, SchemeResult, SignalStudyResult } from '../experiments/signal.js';
import { colorAt, escapeHtml, figureBlock } from './html.js';
import { type CurveFigureOptions, type Figure, curveFigure, layerAxis } from './plots.js';
import { renderSvgSync } from './render.js';

const sci = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) >= 1e3 || Math.abs(v) < 1e-2 ? v.toExponential(2) : v.toPrecision(3)) : String(v));
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** How far a ratio that should be 1 is from 1, in decades. */
const decades = (r: number): number => Math.abs(Math.log10(r));

/** Background colour for a "should be 1" ratio: green within 2x, amber within 100x, red beyond. */
function ratioClass(r: number, twoSided: boolean): string {
  const d = twoSided ? decades(r) : Math.log10(Math.max(r, 1));
  return !Number.isFinite(d) ? 'bad' : d <= Math.log10(2) ? 'good' : d <= 2 ? 'warn' : 'bad';
}

function columns(s: SchemeResult): { gain: string; spread: string; dead: string; gamma: string; loss: string } {
  return { gain: sci(s.forwardGain), spread: sci(s.gradSpread), dead: pct(s.maxDead), gamma: sci(s.gammaRatio), loss: s.loss.toFixed(3) };
}

/** Plain-language findings computed from the numbers (never hand-written claims). */
export function findings(r: SignalStudyResult): string[] {
  const out: string[] = [];
  const S = r.schemes;
  if (S.length === 0) return ['No scheme completed; see the failures below.'];
  const depth = r.config.depth;
  const by = (f: (s: SchemeResult) => number): SchemeResult[] => [...S].sort((a, b) => f(a) - f(b));
  const fwd = by((s) => decades(s.forwardGain));
  const best = fwd[0] as SchemeResult;
  out.push(
    `Forward signal: after ${depth} hidden layers, ${best.label} keeps the activation second moment closest to its input value ` +
      `(median gain ${sci(best.forwardGain)}); ${fwd.filter((s) => decades(s.forwardGain) <= Math.log10(2)).length} of ${S.length} schemes stay within a factor 2.`,
  );
  const vanish = S.filter((s) => s.forwardGain < 1e-3).map((s) => `${s.label} (${sci(s.forwardGain)})`);
  if (vanish.length > 0) out.push(`Vanishing forward signal (gain < 1e-3): ${vanish.join('; ')} — the 1/2 per layer that ReLU removes is not restored.`);
  const explode = S.filter((s) => s.forwardGain > 1e3).map((s) => `${s.label} (${sci(s.forwardGain)})`);
  if (explode.length > 0) out.push(`Exploding forward signal (gain > 1e3): ${explode.join('; ')}.`);
  const gam = by((s) => s.gammaRatio);
  const g0 = gam[0] as SchemeResult;
  out.push(
    `Balance across layers (scaling calculus γ, a reconstruction after Defazio & Bottou, from the measured moments): ` +
      `${g0.label} is the most balanced (max γ / min γ = ${sci(g0.gammaRatio)}), ${(gam[gam.length - 1] as SchemeResult).label} the least (${sci((gam[gam.length - 1] as SchemeResult).gammaRatio)}).`,
  );
  const wild = S.filter((s) => s.gradSpread > 1e6).map((s) => `${s.label} (${sci(s.gradSpread)})`);
  if (wild.length > 0) out.push(`Gradient scales differing by more than 10^6 between layers: ${wild.join('; ')}; one learning rate cannot suit every layer.`);
  const dead = by((s) => s.maxDead);
  const d0 = dead[0] as SchemeResult;
  out.push(
    `Dead units (a unit negative on all ${r.config.batch} inputs): worst hidden layer ranges from ${pct(d0.maxDead)} (${d0.label}) to ` +
      `${pct((dead[dead.length - 1] as SchemeResult).maxDead)} (${(dead[dead.length - 1] as SchemeResult).label}).`,
  );
  if (r.failures.length > 0) out.push(`${r.failures.length} scheme(s) failed and are listed at the end with their errors.`);
  return out;
}

/** The four per-layer charts: median over draws as the line, min–max over draws as the band. */
export function signalFigures(r: SignalStudyResult): Figure[] {
  const colored = r.schemes.map((s, i) => ({ s, color: colorAt(i) }));
  const chart = (id: string, pick: (s: SchemeResult) => Band, o: Omit<CurveFigureOptions, 'id' | 'caption' | 'xTicks' | 'xDomain'>): Figure => {
    const n = Math.max(1, ...r.schemes.map((s) => pick(s).median.length));
    return curveFigure(
      [
        {
          series: colored.map(({ s, color }) => {
            const b = pick(s);
            const x = b.median.map((_, i) => i + 1);
            return { name: s.label, color, center: { x, y: b.median }, band: { x, lo: b.min, hi: b.max } };
          }),
        },
      ],
      { id, caption: 'Line: median over draws; band: min–max over draws.', ...layerAxis(n), ...o },
    );
  };
  return [
    chart('preact', (s) => s.bands.preact, { title: 'Pre-activation second moment E[y_l²]', xTitle: 'layer', yTitle: 'E[y²]', logY: true, reference: { value: 1, label: 'E[y²] = 1' } }),
    chart('output-grad', (s) => s.bands.outputGrad, { title: 'Back-propagated gradient E[(∂ℓ/∂y_l)²] per sample', xTitle: 'layer', yTitle: 'E[g²]', logY: true }),
    chart('gamma', (s) => s.bands.gamma, { title: 'Scaling constant γ_l (reconstruction after Defazio & Bottou)', xTitle: 'layer', yTitle: 'γ', logY: true }),
    chart('dead', (s) => s.bands.dead, { title: 'Dead units per hidden layer', xTitle: 'hidden layer', yTitle: 'fraction dead', logY: false, floor: 0, ceil: 1, fence: Infinity }),
  ];
}

/** The HTML report (synchronous: the charts are rendered by vega in a child process, see render.ts). */
export function signalReportHtml(r: SignalStudyResult, meta: { generated: string; command: string; version: string }): string {
  const c = r.config;
  const colored = r.schemes.map((s, i) => ({ s, color: colorAt(i) }));
  const figs = signalFigures(r);
  const svgs = renderSvgSync(figs.map((f) => f.spec));
  const charts = figs.map((f, i) => figureBlock(f.id, svgs[i] as string, f.caption, f.clipped)).join('\n');
  const rows = colored
    .map(({ s, color }) => {
      const v = columns(s);
      return `<tr><td><i class="dot" style="background:${color}"></i>${escapeHtml(s.label)}</td><td><span class="prov ${escapeHtml(s.provenance)}">${escapeHtml(s.provenance)}</span></td>
<td class="${ratioClass(s.forwardGain, true)}">${v.gain}</td><td class="${ratioClass(s.gradSpread, false)}">${v.spread}</td>
<td class="${ratioClass(s.gammaRatio, false)}">${v.gamma}</td><td>${v.dead}</td><td>${v.loss}</td><td>${(s.millis / 1000).toFixed(1)} s</td></tr>`;
    })
    .join('\n');
  const failures =
    r.failures.length === 0
      ? ''
      : `<h2>Failures</h2><ul>${r.failures.map((f) => `<li><b>${escapeHtml(f.name)}</b>: ${escapeHtml(f.error)}</li>`).join('')}</ul>`;
  const schemesList = r.schemes
    .map((s) => `<dt>${escapeHtml(s.label)} <code>${escapeHtml(s.name)}</code></dt><dd>${escapeHtml(s.description)}<br><small>Source: ${escapeHtml(s.source)}</small></dd>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>initlab — signal propagation at initialization</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d1d1f}
h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.meta{color:#555} table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
td,th{padding:4px 8px;border-bottom:1px solid #eee;text-align:right} td:first-child,th:first-child,td:nth-child(2){text-align:left}
.good{background:#e3f4e1}.warn{background:#fff3d6}.bad{background:#fde2df}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
.prov{font-size:.8em;padding:1px 6px;border-radius:8px;background:#eee}.prov.reconstruction{background:#ffe3c2}.prov.derived{background:#e2ecff}
figure{margin:1.2em 0} figure svg{max-width:100%;height:auto} figcaption{color:#444;font-size:.92em} .clipped{color:#b71c1c;font-weight:600}
ul.find li{margin:.35em 0} dt{font-weight:600;margin-top:.6em} dd{margin-left:1.2em} code{background:#f4f4f4;padding:0 4px;border-radius:3px}
</style></head><body>
<h1>Signal propagation at initialization</h1>
<p class="meta">A ReLU MLP ${c.inputDim} → ${c.depth} × ${c.width} → ${c.classes}, a batch of ${c.batch} standard-normal inputs with random labels,
${c.draws} independent weight draw(s) per scheme, ${c.dtype}, seed ${c.seed}. Backend: ${escapeHtml(r.backend)}.
Generated ${escapeHtml(meta.generated)} by initlab ${escapeHtml(meta.version)} (<code>${escapeHtml(meta.command)}</code>) in ${(r.millis / 1000).toFixed(1)} s.</p>

<h2>What the numbers say</h2>
<ul class="find">${findings(r).map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>

<h2>Summary (medians over draws)</h2>
<table><thead><tr><th>scheme</th><th>provenance</th><th title="E[x_L²]/E[x_0²]; 1 is ideal">forward gain</th>
<th title="max/min over layers of E[(∂L/∂W_l)²]; 1 is ideal">grad spread</th><th title="max γ_l / min γ_l; 1 is balanced">γ ratio</th>
<th title="largest fraction of units dead on the whole batch">max dead</th><th>loss at init</th><th>time</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="meta">Green: within 2× of the ideal 1; amber: within 100×; red: beyond. ${escapeHtml(r.gammaTitle)}: γ_l = E[x_l²]·E[(∂ℓ/∂y_l)²]/E[W_l²] from the measured moments.</p>

<h2>Per layer</h2>
${charts}
<p class="meta">The dashed line marks E[y²] = 1.</p>

<h2>Schemes</h2><dl>${schemesList}</dl>
${failures}
</body></html>
`;
}

/** Fixed-width table for the terminal. */
export function signalReportTable(r: SignalStudyResult): string {
  const head = ['scheme', 'fwd gain', 'grad spread', 'γ ratio', 'max dead', 'loss'];
  const body = r.schemes.map((s) => {
    const v = columns(s);
    return [s.name, v.gain, v.spread, v.gamma, v.dead, v.loss];
  });
  const w = head.map((h, j) => Math.max(h.length, ...body.map((row) => (row[j] as string).length)));
  const line = (row: string[]): string => row.map((x, j) => (j === 0 ? x.padEnd(w[j] as number) : x.padStart(w[j] as number))).join('  ');
  return [line(head), w.map((n) => '─'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

/** Markdown summary (for pasting into notes and issues). */
export function signalReportMarkdown(r: SignalStudyResult): string {
  const c = r.config;
  const rows = r.schemes.map((s) => {
    const v = columns(s);
    return `| ${s.label} | ${s.provenance} | ${v.gain} | ${v.spread} | ${v.gamma} | ${v.dead} | ${v.loss} |`;
  });
  return [
    `# Signal propagation at initialization`,
    ``,
    `ReLU MLP ${c.inputDim} → ${c.depth} × ${c.width} → ${c.classes}, batch ${c.batch}, ${c.draws} draws, ${c.dtype}, seed ${c.seed}; backend ${r.backend}.`,
    ``,
    ...findings(r).map((f) => `- ${f}`),
    ``,
    `| scheme | provenance | forward gain | grad spread | γ ratio | max dead | loss |`,
    `|---|---|---|---|---|---|---|`,
    ...rows,
    ...(r.failures.length > 0 ? ['', '## Failures', ...r.failures.map((f) => `- ${f.name}: ${f.error}`)] : []),
    ``,
  ].join('\n');
}
