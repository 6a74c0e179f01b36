/**
 * Tiny dependency-free SVG line charts for the HTML reports: one series per scheme, an optional min–max band,
 * linear or log10 y axis. Deliberately small: the reports must open in any browser with no script and no network.
 */

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly y: readonly number[];
  /** Optional band drawn under the line (e.g. min and max over random draws). */
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logY?: boolean;
  /** Draw a dashed reference line at this y (e.g. 1 for "perfectly preserved"). */
  readonly refY?: number;
  readonly width?: number;
  readonly height?: number;
}

/** A qualitative palette with enough distinct hues for a dozen schemes (Okabe–Ito first, then Tableau). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C564B', '#7F7F7F', '#BCBD22', '#9467BD', '#F0E442'];

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fmtTick = (v: number, log: boolean): string => {
  if (log) return `1e${Math.round(v)}`;
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-2 ? v.toExponential(0) : String(Number(v.toPrecision(3)));
};

/** Render an SVG line chart. Non-positive values on a log axis (and non-finite values) are left out of the path. */
export function lineChart(series: readonly Series[], o: ChartOptions): string {
  const W = o.width ?? 640;
  const H = o.height ?? 300;
  const m = { l: 62, r: 12, t: 28, b: 40 };
  const log = o.logY === true;
  const tr = (v: number): number => (log ? Math.log10(v) : v);
  const ok = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && (!log || v > 0);
  const all: number[] = [];
  let n = 0;
  for (const s of series) {
    n = Math.max(n, s.y.length);
    for (const arr of [s.y, s.lo ?? [], s.hi ?? []]) for (const v of arr) if (ok(v)) all.push(tr(v));
  }
  if (o.refY !== undefined && ok(o.refY)) all.push(tr(o.refY));
  let lo = all.length > 0 ? Math.min(...all) : 0;
  let hi = all.length > 0 ? Math.max(...all) : 1;
  if (log) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
  }
  if (hi - lo < 1e-12) {
    lo -= 0.5;
    hi += 0.5;
  }
  const X = (i: number): number => m.l + (n <= 1 ? 0 : (i / (n - 1)) * (W - m.l - m.r));
  const Y = (v: number): number => H - m.b - ((tr(v) - lo) / (hi - lo)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(o.title)}">`);
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" font-size="14" font-weight="600">${escapeHtml(o.title)}</text>`);
  // y ticks: decades on a log axis (thinned to at most 8), 5 even steps otherwise
  const ticks: number[] = [];
  if (log) {
    const step = Math.max(1, Math.ceil((hi - lo) / 8));
    for (let d = lo; d <= hi; d += step) ticks.push(d);
  } else {
    for (let k = 0; k <= 5; k++) ticks.push(lo + ((hi - lo) * k) / 5);
  }
  for (const t of ticks) {
    const y = H - m.b - ((t - lo) / (hi - lo)) * (H - m.t - m.b);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.l - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#444">${fmtTick(t, log)}</text>`);
  }
  const xStep = Math.max(1, Math.ceil(n / 10));
  for (let i = 0; i < n; i += xStep) {
    parts.push(`<text x="${X(i).toFixed(1)}" y="${H - m.b + 15}" text-anchor="middle" font-size="11" fill="#444">${i}</text>`);
  }
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#888"/>`);
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#888"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">${escapeHtml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(o.yLabel)}</text>`);
  if (o.refY !== undefined && ok(o.refY)) {
    const y = Y(o.refY).toFixed(1);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#333" stroke-dasharray="4 4"/>`);
  }
  for (const s of series) {
    if (s.lo !== undefined && s.hi !== undefined) {
      const up: string[] = [];
      const down: string[] = [];
      for (let i = 0; i < s.hi.length; i++) {
        const a = s.lo[i];
        const b = s.hi[i];
        if (ok(a) && ok(b)) {
          up.push(`${X(i).toFixed(1)},${Y(b).toFixed(1)}`);
          down.unshift(`${X(i).toFixed(1)},${Y(a).toFixed(1)}`);
        }
      }
      if (up.length > 1) parts.push(`<polygon points="${[...up, ...down].join(' ')}" fill="${s.color}" fill-opacity="0.12" stroke="none"/>`);
    }
    let d = '';
    let pen = false;
    s.y.forEach((v, i) => {
      if (ok(v)) {
        d += `${pen ? 'L' : 'M'}${X(i).toFixed(1)} ${Y(v).toFixed(1)} `;
        pen = true;
      } else {
        pen = false;
      }
    });
    parts.push(`<path d="${d.trim()}" fill="none" stroke="${s.color}" stroke-width="1.8"><title>${escapeHtml(s.label)}</title></path>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** An HTML legend (outside the SVG so long labels wrap). */
export function legend(series: readonly { label: string; color: string }[]): string {
  return `<div class="legend">${series
    .map((s) => `<span><i style="background:${s.color}"></i>${escapeHtml(s.label)}</span>`)
    .join('')}</div>`;
}
