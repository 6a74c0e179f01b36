import { expect } from 'chai';
import { compareFigures } from '../../src/report/compare-plots.js';
import { compareReportFiles, compareReportHtml } from '../../src/report/compare-report.js';
import type { Figure } from '../../src/report/plots.js';
import { propagateFigures } from '../../src/report/propagate-plots.js';
import { propagateReportFiles, propagateReportHtml } from '../../src/report/propagate-report.js';
import { compileSpec, renderSvg } from '../../src/report/render.js';
import { compareLegend, compareTable, findingLines, findingsText, propagateTable, wrap } from '../../src/report/tables.js';
import { fakeCompareResult, fakePropagateResult } from '../support/compare-fixture.js';

/** Every `values` array under an `axis` key of a spec (the explicit ticks). */
function axisTicks(spec: unknown): number[][] {
  const out: number[][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'axis' && x !== null && typeof x === 'object' && Array.isArray((x as { values?: unknown }).values)) out.push((x as { values: number[] }).values);
        walk(x);
      }
    }
  };
  walk(spec);
  return out;
}

/**
 * A round tick: at most two significant digits (1/2/5 steps: 0.9, 0.92, 1e-4, 100), or an integer (a sweep's own
 * depths and widths, e.g. 256 or 1024).
 */
const round = (t: number): boolean => Number.isInteger(t) || Number(t.toPrecision(2)) === t;

/** Every data row of a spec's inline data (all panels and layers). */
function rows(spec: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const d = (v as { data?: { values?: unknown } }).data;
      if (d !== undefined && Array.isArray(d.values)) out.push(...(d.values as Record<string, unknown>[]));
      Object.values(v).forEach(walk);
    }
  };
  walk(spec);
  return out;
}

const compare = fakeCompareResult(7);
const propagate = fakePropagateResult(11);

describe('report: figures', () => {
  const figs: Figure[] = [...compareFigures(compare), ...propagateFigures(propagate)];

  it('builds the figures the issue asks for', () => {
    expect(compareFigures(compare).map((f) => f.id)).to.deep.equal(['second-moment', 's-moment', 'dead-units', 'gamma', 'loss', 'accuracy']);
    expect(propagateFigures(propagate).map((f) => f.id)).to.deep.equal(['preserved-vs-depth', 'dead-vs-depth', 'preserved-vs-width', 'dead-vs-width']);
  });

  it('every spec compiles with vega-lite without a warning', () => {
    for (const f of figs) expect(() => compileSpec(f.spec), f.id).to.not.throw();
  });

  it('a spec that vega-lite warns about is rejected (the check above can fail)', () => {
    const bad = { data: { values: [{ x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative', scale: { type: 'log', zero: true } } } };
    expect(() => compileSpec(bad as never)).to.throw(/compiles with warnings/);
  });

  it('the outliers (LPS-R up to ~1e42, mean-field γ = 1 down to ~1e-14) are clipped and marked, the others not', () => {
    const m = figs.find((f) => f.id === 'second-moment') as Figure;
    const lps = compare.schemes.find((s) => s.scheme.name === 'lps_r')?.scheme.label as string;
    const mf = compare.schemes.find((s) => s.scheme.name === 'meanfield')?.scheme.label as string;
    expect(m.clipped).to.have.members([lps, mf]);
    const data = rows(m.spec);
    const names = new Set(data.map((r) => r.s));
    expect(names).to.include(`${lps} (clipped)`).and.include(`${mf} (clipped)`);
    expect(names).to.include('kaiming_normal'); // not marked
    expect(data.some((r) => r.s === `${lps} (clipped)` && r.clip === 'high')).to.equal(true);
    expect(data.some((r) => r.s === `${mf} (clipped)` && r.clip === 'low')).to.equal(true);
    expect(JSON.stringify(m.spec)).to.include('triangle-up').and.include('clipped beyond axis');
    // Every drawn value lies inside the axis range: nothing sets the axis but the typical schemes.
    const [ticks] = axisTicks(m.spec).filter((t) => t.every((v) => v > 0 && Number.isInteger(Math.log10(v))));
    expect(ticks).to.not.equal(undefined);
    const hi = Math.max(...(ticks as number[]));
    expect(hi).to.be.at.most(1e6);
    for (const r of data) if (typeof r.y === 'number') expect(r.y).to.be.at.most(hi * (1 + 1e-9));
  });

  it('every axis has round ticks', () => {
    for (const f of figs) {
      const all = axisTicks(f.spec);
      expect(all.length, f.id).to.be.above(0);
      for (const t of all) for (const v of t) expect(round(v), `${f.id}: ${v}`).to.equal(true);
    }
  });

  it('every figure shows the spread over seeds and a reference line', () => {
    for (const f of figs) {
      const s = JSON.stringify(f.spec);
      const spread = s.includes(`"kind":"seed"`) || s.includes(`"kind":"band"`) || s.includes(`"kind":"ci"`);
      expect(spread, f.id).to.equal(true);
      if (f.id !== 'accuracy') expect(s, f.id).to.include('strokeDash'); // the reference rule
    }
    // Accuracy (≈ 0.95) and chance (0.1) do not share a readable axis: the caption says where chance is instead.
    expect((figs.find((f) => f.id === 'accuracy') as Figure).caption).to.match(/chance = 0\.1 lies outside the axis range/);
  });

  it('renders to SVG with marks and axis labels that read as round numbers', async function () {
    this.timeout(30000);
    for (const f of figs.slice(0, 2)) {
      const svg = await renderSvg(f.spec);
      expect(svg.startsWith('<svg')).to.equal(true);
      expect(svg.match(/class="mark-line/g)?.length ?? 0, f.id).to.be.above(0);
      const labels = [...svg.matchAll(/role-axis-label[^>]*>([\s\S]*?)<\/g>/g)].flatMap((m) => [...(m[1] as string).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((x) => x[1] as string));
      expect(labels.length, f.id).to.be.above(3);
      for (const l of labels) expect(l, f.id).to.match(/^(-?\d+(\.\d{1,2})?|1e-?\d+)$/);
    }
  });
});

describe('report: tables and findings', () => {
  it('the compare table is ranked, fixed-width and at most 120 characters wide', () => {
    const t = compareTable(compare).split('\n');
    expect(t).to.have.length(compare.schemes.length + 2);
    for (const line of t) expect([...line].length, line).to.be.at.most(120);
    // The scheme column shows each scheme's label (cut to the column with …), in the order of the ranking.
    const cells = t.slice(2).map((l) => l.slice(4, 30).replace(/…$/, '').trim());
    const labelOf = (id: string): string => compare.schemes.find((s) => s.scheme.id === id)!.scheme.label;
    compare.ranking.forEach((id, i) => expect(labelOf(id).startsWith(cells[i] as string), `${labelOf(id)} vs ${cells[i]}`).to.equal(true));
    // Fixed columns: the accuracy column ends at the same position on every line.
    const end = (t[0] as string).indexOf('test acc') + 'test acc'.length;
    for (const line of t.slice(2)) expect(line[end - 1], line).to.match(/\d/);
  });

  it('the propagate table is at most 120 characters wide with one row per scheme × depth × width', () => {
    const t = propagateTable(propagate).split('\n');
    expect(t).to.have.length(propagate.cells.length + 2);
    for (const line of t) expect([...line].length).to.be.at.most(120);
    // LPS-R, far from its prediction, ranks last.
    expect(t[t.length - 1]).to.match(/^ ?\d+ {2}lps_r /);
  });

  it('text for the terminal wraps at 120 characters without losing a word', () => {
    for (const text of [findingsText(compare.findings), wrap(compareLegend(compare))]) {
      for (const line of text.split('\n')) expect([...line].length, line).to.be.at.most(120);
    }
    const words = (t: string): string[] => t.split(/\s+/).filter((w) => w.length > 0);
    expect(words(findingsText(compare.findings))).to.deep.equal(words(findingLines(compare.findings).join(' ')));
    expect(wrap('aaa bbb ccc', 7, '  ')).to.equal('aaa bbb\n  ccc');
  });

  it('findings are sentences, supported ones first, noise marked as such', () => {
    const lines = findingLines(compare.findings);
    expect(lines).to.have.length(compare.findings.length);
    expect(lines[0]).to.match(/^✓ /);
    expect(lines[lines.length - 1]).to.match(/^≈ .*within noise/);
  });
});

describe('report: HTML', function () {
  this.timeout(60000);
  let html = '';
  before(async () => {
    html = await compareReportHtml(compare);
  });

  it('inlines one SVG per figure and fetches nothing at view time', () => {
    expect(html.match(/<figure id="fig-/g)).to.have.length(compareFigures(compare).length);
    expect(html.match(/<svg[\s>]/g)).to.have.length(compareFigures(compare).length);
    expect(html).to.not.match(/<script|<link|<iframe|<img|@import/i);
    expect(html).to.not.match(/\b(src|href|srcset|action|poster)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).to.not.match(/url\(\s*["']?(https?:|\/\/)/i);
    // Every absolute URL left is an XML namespace name, which is an identifier, not a fetch.
    const urls = [...html.matchAll(/(\S{0,20})(https?:\/\/[^"'\s)]+)/g)];
    for (const m of urls) expect(m[1], m[0]).to.match(/xmlns(:\w+)?="$/);
  });

  it('shows config, seeds, meta, provenance (reconstruction named), every finding and the ranked table', () => {
    for (const k of ['steps', 'batchSize', 'optimizer', 'signalBatches', 'confidence']) expect(html).to.include(`<td>${k}</td>`);
    expect(html).to.include(compare.config.seeds.join(', '));
    expect(html).to.include(compare.meta.backend).and.include(compare.meta.version).and.include(compare.meta.command);
    expect(html).to.match(/<td>threads<\/td><td>1<\/td>/);
    expect(html).to.match(/class="prov reconstruction">reconstruction</);
    expect(html).to.include("a reconstruction: initlab's best guess".replace("'", '&#39;'));
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const f of compare.findings) expect(html).to.include(esc(f.text));
    for (const id of compare.ranking) expect(html).to.include(`<td class="l">${esc(compare.schemes.find((s) => s.scheme.id === id)!.scheme.label)}</td>`);
    expect(html).to.include('enorm_after_he, seed 3: failed');
    expect(html).to.include('lps_r, seed 2: training stopped');
  });

  it('escapes scheme labels', async () => {
    const r = fakeCompareResult(7, { schemes: 2 });
    const evil = { ...r, schemes: r.schemes.map((s, i) => (i === 0 ? { ...s, scheme: { ...s.scheme, label: 'He <b>&</b>' } } : s)) };
    const h = await compareReportHtml({ ...evil, config: { ...evil.config, schemes: evil.schemes.map((s) => s.scheme) } });
    expect(h).to.include('He &lt;b&gt;&amp;&lt;/b&gt;');
    expect(h).to.not.include('<b>&</b>');
  });

  it('report files are index.html and results.json, the result itself', async () => {
    const files = await compareReportFiles(fakeCompareResult(7, { schemes: 3 }));
    expect(Object.keys(files).sort()).to.deep.equal(['index.html', 'results.json']);
    expect(JSON.parse(files['results.json'] as string).ranking).to.deep.equal(fakeCompareResult(7, { schemes: 3 }).ranking);
    const pf = await propagateReportFiles(fakePropagateResult(11, { schemes: 2 }));
    expect(Object.keys(pf).sort()).to.deep.equal(['index.html', 'results.json']);
    expect(JSON.parse(pf['results.json'] as string).cells).to.have.length(2 * 4 * 3);
  });

  it('the propagate report has its four figures and the ranked table', async () => {
    const h = await propagateReportHtml(propagate);
    expect(h.match(/<figure id="fig-/g)).to.have.length(4);
    expect(h).to.include('<th class="l">scheme</th><th>depth</th><th>width</th>');
    for (const f of propagate.findings) expect(h).to.include(f.text);
  });
});
