/**
 * Axis ranges and ticks for the report's plots: round tick values (1, 2 or 5 × 10^k on a linear axis, whole
 * decades on a log axis), and a robust range so that an outlier scheme (LPS-R's moments reach 1e50, mean-field's
 * 1e-14) cannot squash every other scheme into one band: values beyond the range are clipped to its edge and the
 * series is marked as clipped.
 */

/** Round ticks covering [lo, hi] on a linear axis: multiples of 1, 2 or 5 × 10^k, at most `maxTicks` of them. */
export function linearTicks(lo: number, hi: number, maxTicks = 6): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo))) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo -= pad;
    hi += pad;
  }
  const n = Math.max(2, Math.floor(maxTicks));
  const raw = (hi - lo) / (n - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  // 1, 2, 5 × mag, and on up: a range whose ends sit just past a multiple of 10·mag needs 20·mag to fit in n ticks.
  const fits = (s: number): boolean => Math.ceil(hi / s - 1e-9) - Math.floor(lo / s + 1e-9) + 1 <= n;
  const step = ([1, 2, 5, 10, 20, 50, 100].map((m) => m * mag).find(fits) ?? 100 * mag) as number;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const out: number[] = [];
  // Rounding k·step through toPrecision keeps 0.1·3 from printing as 0.30000000000000004.
  for (let k = first; k <= last; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Whole-decade ticks 10^k for exponents lo..hi, thinned to at most `maxTicks` (every 2nd, 5th, 10th … decade). */
export function decadeTicks(loExp: number, hiExp: number, maxTicks = 8): number[] {
  const lo = Math.floor(loExp);
  const hi = Math.ceil(hiExp);
  const span = Math.max(1, hi - lo);
  const step = [1, 2, 5, 10, 20, 50, 100].find((s) => Math.floor(span / s) + 1 <= maxTicks) ?? Math.ceil(span / (maxTicks - 1));
  const out: number[] = [];
  for (let e = Math.ceil(lo / step) * step; e <= hi; e += step) out.push(Number(`1e${e}`));
  return out;
}

/** Linear quantile of sorted values (q ∈ [0, 1]). */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const i = Math.floor(pos);
  const a = sorted[i] as number;
  const b = sorted[Math.min(i + 1, sorted.length - 1)] as number;
  return a + (b - a) * (pos - i);
}

/** A plotting range: [lo, hi] in data units, its ticks, and whether it is log-scaled. */
export interface AxisRange {
  readonly lo: number;
  readonly hi: number;
  readonly ticks: readonly number[];
  readonly log: boolean;
}

export interface RangeOptions {
  readonly log: boolean;
  /** A reference value (the theory's prediction) that must stay inside the range. */
  readonly reference?: number;
  /** Hard limits of the quantity (e.g. [0, 1] for a fraction). */
  readonly floor?: number;
  readonly ceil?: number;
  /** Tukey fence multiplier: values beyond Q1 − k·IQR … Q3 + k·IQR (in log10 on a log axis) count as outliers. */
  readonly fence?: number;
}

/**
 * A robust range for `typical` values (e.g. each scheme's mean per layer; on a log axis only finite positive values
 * count): the data's extent cut at Tukey's far-out fences Q1 − 3·IQR, Q3 + 3·IQR (in decades on a log axis, with
 * the IQR taken as at least one decade so a tight cluster does not clip the rest), widened to contain the reference,
 * rounded outward to round ticks. Whatever lies beyond is an outlier, to be clipped and marked.
 */
export function robustRange(typical: readonly number[], o: RangeOptions): AxisRange {
  const tr = (v: number): number => (o.log ? Math.log10(v) : v);
  const ok = (v: number): boolean => Number.isFinite(v) && (!o.log || v > 0);
  const vals = typical.filter(ok).map(tr).sort((a, b) => a - b);
  const ref = o.reference !== undefined && ok(o.reference) ? tr(o.reference) : undefined;
  let lo: number;
  let hi: number;
  if (vals.length === 0) {
    lo = ref ?? 0;
    hi = ref ?? 1;
  } else {
    const q1 = quantile(vals, 0.25);
    const q3 = quantile(vals, 0.75);
    const k = o.fence ?? 3;
    const iqr = Math.max(q3 - q1, o.log ? 1 : 0);
    // k = Infinity: the data's extent (Infinity·0 would be NaN for a zero IQR).
    lo = k === Infinity ? (vals[0] as number) : Math.max(vals[0] as number, q1 - k * iqr);
    hi = k === Infinity ? (vals[vals.length - 1] as number) : Math.min(vals[vals.length - 1] as number, q3 + k * iqr);
  }
  if (ref !== undefined) {
    lo = Math.min(lo, ref);
    hi = Math.max(hi, ref);
  }
  if (o.log) {
    lo = Math.floor(lo + 1e-9);
    hi = Math.ceil(hi - 1e-9);
    if (hi <= lo) {
      lo -= 1;
      hi += 1;
    }
    if (o.floor !== undefined && o.floor > 0) lo = Math.max(lo, Math.floor(Math.log10(o.floor)));
    if (o.ceil !== undefined && o.ceil > 0) hi = Math.min(hi, Math.ceil(Math.log10(o.ceil)));
    const ticks = decadeTicks(lo, hi);
    return { lo: Number(`1e${lo}`), hi: Number(`1e${hi}`), ticks, log: true };
  }
  if (o.floor !== undefined) lo = Math.max(lo, o.floor);
  if (o.ceil !== undefined) hi = Math.min(hi, o.ceil);
  const ticks = linearTicks(lo, hi);
  let tlo = ticks[0] as number;
  let thi = ticks[ticks.length - 1] as number;
  // Rounding outward must not cross a hard limit (a fraction never goes below 0).
  if (o.floor !== undefined && tlo < o.floor) tlo = o.floor;
  if (o.ceil !== undefined && thi > o.ceil) thi = o.ceil;
  return { lo: tlo, hi: thi, ticks: ticks.filter((t) => t >= tlo - 1e-12 && t <= thi + 1e-12), log: false };
}

/** Where a value sits relative to a range: inside, clipped to an edge, or not drawable (non-finite, ≤ 0 on a log axis). */
export type Clip = 'none' | 'high' | 'low' | 'missing';

/** Clip `v` into the range: the value to draw (undefined when not drawable) and how it was clipped. */
export function clipValue(v: number, r: AxisRange): { y: number | undefined; clip: Clip } {
  if (!Number.isFinite(v) || (r.log && v <= 0)) {
    if (v === Infinity) return { y: r.hi, clip: 'high' };
    if (r.log && v <= 0) return { y: r.lo, clip: 'low' };
    return { y: undefined, clip: 'missing' };
  }
  // A relative tolerance keeps values on the edge (10^k computed two ways) from counting as clipped.
  const tol = r.log ? 1e-9 : 1e-12 * Math.max(1, Math.abs(r.hi - r.lo));
  if (r.log ? v > r.hi * (1 + tol) : v > r.hi + tol) return { y: r.hi, clip: 'high' };
  if (r.log ? v < r.lo * (1 - tol) : v < r.lo - tol) return { y: r.lo, clip: 'low' };
  return { y: v, clip: 'none' };
}

/** Tick label: plain numbers from 0.01 to 1000 (with '~g'), powers of ten as 1e-4 beyond; no long decimals. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 0.01 && a < 1e4) return String(Number(v.toPrecision(6)));
  const e = Math.floor(Math.log10(a) + 1e-9);
  const m = Number((v / 10 ** e).toPrecision(3));
  return m === 1 ? `1e${e}` : `${m}e${e}`;
}
