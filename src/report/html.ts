/**
 * The pieces every HTML report shares: escaping, the page shell with its stylesheet (inline: the page fetches
 * nothing and runs no script), the scheme palette, and small blocks (key–value tables, figure blocks, lists).
 */

/** Escape text for HTML content and attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Sixteen distinguishable colours for up to ~15 schemes side by side (Okabe–Ito first, then Tableau's darker
 * hues); a scheme keeps its colour in every figure of a report.
 */
export const PALETTE: readonly string[] = [
  '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C564B',
  '#7F7F7F', '#BCBD22', '#9467BD', '#17BECF', '#B2182B', '#2E7D32', '#F781BF', '#4D4D9F',
];

/** Colour of the i-th scheme of a report. */
export const colorAt = (i: number): string => PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length] as string;

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1240px;margin:2em auto;padding:0 1em;color:#1d1d1f}
h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.meta{color:#555} table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5em 0}
td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right;vertical-align:top} td.l,th.l{text-align:left}
table.kv td:first-child{text-align:left;color:#555} table.kv td{text-align:left}
.prov{font-size:.8em;padding:1px 6px;border-radius:8px;background:#eee;white-space:nowrap}
.prov.reconstruction{background:#ffe3c2}.prov.derived{background:#e2ecff}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
figure{margin:1.2em 0} figure svg{max-width:100%;height:auto} figcaption{color:#444;font-size:.92em;max-width:960px}
ul.find li{margin:.3em 0} .beats,.preserves{color:#1b5e20} .noise{color:#555} .fails-to-preserve{color:#b71c1c}
.clipped{color:#b71c1c;font-weight:600} code{background:#f4f4f4;padding:0 4px;border-radius:3px}
pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:.85em}
`;

/** A complete, self-contained HTML page. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style></head><body>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

/** A two-column table of labelled values (values are escaped). */
export function kvTable(rows: readonly (readonly [string, string])[]): string {
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>`;
}

/** A table with a header row; `left` marks the columns aligned left (text), the others are numbers. */
export function dataTable(head: readonly string[], rows: readonly (readonly string[])[], left: readonly number[] = [0]): string {
  const cls = (j: number): string => (left.includes(j) ? ' class="l"' : '');
  return `<table><thead><tr>${head.map((h, j) => `<th${cls(j)}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, j) => `<td${cls(j)}>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n')}</tbody></table>`;
}

/** A provenance badge ('reconstruction' and 'derived' are highlighted). */
export const provenanceBadge = (p: string): string => `<span class="prov ${escapeHtml(p)}">${escapeHtml(p)}</span>`;

/** A rendered figure with its caption (the SVG is vega's output, inserted as is). */
export function figureBlock(id: string, svg: string, caption: string, clipped: readonly string[]): string {
  const clip =
    clipped.length === 0 ? '' : ` <span class="clipped">Clipped (drawn at the axis edge, marked by a triangle): ${escapeHtml(clipped.join('; '))}.</span>`;
  return `<figure id="fig-${escapeHtml(id)}" class="plot">${svg}<figcaption>${escapeHtml(caption)}${clip}</figcaption></figure>`;
}
