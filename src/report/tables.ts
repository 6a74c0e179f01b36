/**
 * The ranked tables of `compare` and `propagate`: the same rows for the terminal (fixed-width columns, cells cut
 * with '…', never wider than 120 characters so nothing wraps) and for the HTML report (full cells), and the
 * findings as sentences.
 */
import type { CompareResult, Finding, Interval, PreservedMeasure, PropagateCell, PropagateResult, SeedRun } from '../experiments/compare/types.js';

/** Compact number: `sig` significant digits in [0.001, 1e4), `1.1e42` beyond (no `e+`, no trailing zeros). */
export function short(v: number, sig = 3): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(sig)));
  const [m, e] = v.toExponential(Math.max(0, sig - 2)).split('e') as [string, string];
  return `${m.replace(/\.0$/, '')}e${e.replace('+', '')}`;
}

/** `1.02 [0.83, 1.25]`: an interval's mean and bounds. */
export const withCi = (iv: Interval): string => `${short(iv.mean)} [${short(iv.lo, 2)}, ${short(iv.hi, 2)}]`;

/** `96.2% ±0.35`: a fraction as a percentage with the interval's half-width in points. */
const pctCi = (iv: Interval): string => `${(100 * iv.mean).toFixed(1)}% ±${short((100 * (iv.hi - iv.lo)) / 2, 2)}`;

/** `3.8% [1.6, 6]`: a fraction's interval in percent. */
const pctRange = (iv: Interval): string => `${short(100 * iv.mean, 2)}% [${short(100 * iv.lo, 2)}, ${short(100 * iv.hi, 2)}]`;

/** A ranked table: headers, full cells per row, and each column's terminal width and alignment. */
export interface RankedTable {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly widths: readonly number[];
  readonly left: readonly number[];
}

/** Render a RankedTable as fixed-width text: every cell cut or padded to its column (cut cells end in '…'). */
export function formatTable(t: RankedTable): string {
  const cell = (s: string, j: number): string => {
    const w = t.widths[j] as number;
    const chars = [...s];
    const cut = chars.length > w ? `${chars.slice(0, w - 1).join('')}…` : s;
    const pad = ' '.repeat(Math.max(0, w - [...cut].length));
    return t.left.includes(j) ? cut + pad : pad + cut;
  };
  const line = (row: readonly string[]): string => row.map(cell).join('  ').trimEnd();
  return [line(t.head), t.widths.map((w) => '─'.repeat(w)).join('  '), ...t.rows.map(line)].join('\n');
}

/**
 * The verdict on a yardstick, as the findings word it: 'yes' when the interval lies within the factor-2 band of the
 * prediction, 'no' when it excludes the prediction, 'noise' when it contains it but is too wide to say.
 */
export const keptVerdict = (p: PreservedMeasure): string => (p.confirmed === true ? 'yes' : p.holds ? 'noise' : 'no');

const okCount = (runs: readonly SeedRun[]): string => `${runs.filter((r) => !('error' in r)).length}/${runs.length}`;

/** The compare table, ranked by mean test accuracy (CompareResult.ranking), schemes missing from it last. */
export function compareRows(r: CompareResult): RankedTable {
  const order = [...r.ranking, ...r.schemes.map((s) => s.scheme.id).filter((id) => !r.ranking.includes(id))];
  const rows = order.flatMap((id, i) => {
    const s = r.schemes.find((x) => x.scheme.id === id);
    if (s === undefined) return [];
    const stopped = s.runs.filter((x) => 'train' in x && x.train.stopped !== null).length;
    return [[
      String(i + 1),
      s.scheme.label,
      s.scheme.provenance,
      pctCi(s.testAccuracy),
      `${short(s.finalLoss.mean)} ±${short((s.finalLoss.hi - s.finalLoss.lo) / 2, 2)}`,
      withCi(s.preserved.measured),
      short(s.preserved.predicted),
      keptVerdict(s.preserved),
      okCount(s.runs) + (stopped > 0 ? '*' : ''),
    ]];
  });
  return {
    head: ['#', 'scheme', 'provenance', 'test acc', 'final loss', 'yardstick, last layer', 'pred.', 'kept', 'seeds'],
    rows,
    widths: [2, 26, 12, 12, 13, 22, 5, 5, 6],
    left: [1, 2],
  };
}

/** What the compare table's columns mean (printed under it). */
export function compareLegend(r: CompareResult): string {
  const c = `${Math.round(r.config.confidence * 1000) / 10}%`;
  return (
    `Ranked by mean test accuracy over ${r.config.seeds.length} seeds; ± is the half-width of the ${c} t-interval. Yardstick: ` +
    `the quantity the scheme promises to preserve, at the last hidden layer, mean [${c} CI], against the prediction (pred.). ` +
    `kept: yes when the interval lies within a factor 2 of the prediction, no when it excludes it, noise otherwise. ` +
    `seeds: runs that completed; * a training run stopped on a non-finite loss.`
  );
}

/** Ranked plain-text table of a comparison (at most 120 characters wide). */
export const compareTable = (r: CompareResult): string => formatTable(compareRows(r));

/** How far a cell is from its promise, in decades: |log10(measured mean / predicted)| (∞ when not comparable). */
function miss(c: PropagateCell): number {
  const q = c.preserved.measured.mean / c.preserved.predicted;
  return Number.isFinite(q) && q > 0 ? Math.abs(Math.log10(q)) : Infinity;
}

/**
 * The propagate table: one row per scheme × depth × width, schemes ranked by how close their yardstick stays to its
 * prediction (mean over cells of |log10(measured / predicted)|; a non-comparable cell ranks last).
 */
export function propagateRows(r: PropagateResult): RankedTable {
  const score = (id: string): number => {
    const cs = r.cells.filter((c) => c.scheme === id).map(miss);
    return cs.length === 0 ? Infinity : cs.reduce((a, v) => a + v, 0) / cs.length;
  };
  const ranked = [...r.config.schemes].sort((a, b) => score(a.id) - score(b.id) || a.id.localeCompare(b.id));
  const rows = ranked.flatMap((s, i) =>
    r.cells
      .filter((c) => c.scheme === s.id)
      .sort((a, b) => a.depth - b.depth || a.width - b.width)
      .map((c) => [String(i + 1), s.id, String(c.depth), String(c.width), withCi(c.preserved.measured), short(c.preserved.predicted), keptVerdict(c.preserved), pctRange(c.lastDead)]),
  );
  return {
    head: ['#', 'scheme', 'depth', 'width', 'yardstick, last layer', 'pred.', 'kept', 'dead, last layer'],
    rows,
    widths: [2, 26, 5, 5, 22, 5, 5, 22],
    left: [1],
  };
}

/** Ranked plain-text table of a depth × width sweep (at most 120 characters wide). */
export const propagateTable = (r: PropagateResult): string => formatTable(propagateRows(r));

const MARK: Record<Finding['kind'], string> = { beats: '✓', preserves: '✓', noise: '≈', 'fails-to-preserve': '✗' };

/** The findings as sentences, supported claims first, each marked ✓ (supported), ≈ (within noise) or ✗ (fails). */
export function findingLines(findings: readonly Finding[]): string[] {
  const rank: Record<Finding['kind'], number> = { beats: 0, preserves: 1, 'fails-to-preserve': 2, noise: 3 };
  return [...findings].sort((a, b) => rank[a.kind] - rank[b.kind]).map((f) => `${MARK[f.kind]} ${f.text}`);
}

/** Word-wrap `text` to lines of at most `width` characters (a longer word stays whole), continuing with `indent`. */
export function wrap(text: string, width = 120, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    const next = line.length === 0 ? word : `${line} ${word}`;
    if ([...next].length > width && line.length > 0) {
      lines.push(line);
      line = indent + word;
    } else {
      line = next;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.join('\n');
}

/** The findings for the terminal: one per paragraph, wrapped at `width` with a hanging indent. */
export const findingsText = (findings: readonly Finding[], width = 120): string =>
  findingLines(findings)
    .map((l) => wrap(l, width, '  '))
    .join('\n');
