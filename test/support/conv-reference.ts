/**
 * Direct nested-loop references for the windowed ops (conv2d, max / average pooling) on plain number arrays in
 * float64: the definitions written out index by index, no im2col, no backend. What test/tensor/conv.test.ts and
 * pool.test.ts compare the ops against.
 */
import type { Window } from '../../src/tensor/window.js';

/** Geometry of a reference op over x [B, C, H, W]: the ops' window without its output size (computed here). */
export type RefGeometry = Omit<Window, 'OH' | 'OW'>;

/** Output height and width ⌊(in + 2p − k) / s⌋ + 1. */
export function refOut(g: RefGeometry): [number, number] {
  return [Math.floor((g.H + 2 * g.ph - g.kh) / g.sh) + 1, Math.floor((g.W + 2 * g.pw - g.kw) / g.sw) + 1];
}

/** The value of x [B, C, H, W] at (b, c, ih, iw), or null outside the image (a padded position). */
function at(x: ArrayLike<number>, g: RefGeometry, b: number, c: number, ih: number, iw: number): number | null {
  if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) return null;
  return x[((b * g.C + c) * g.H + ih) * g.W + iw] as number;
}

/**
 * y[b, o, oh, ow] = bias[o] + Σ_{c,i,j} w[o, c, i, j]·x[b, c, oh·sh − ph + i, ow·sw − pw + j]; with `abs`, the same
 * sum of absolute values (the magnitude that bounds the rounding error of any summation order).
 */
export function conv2dRef(x: ArrayLike<number>, w: ArrayLike<number>, bias: ArrayLike<number> | null, O: number, g: RefGeometry, abs = false): number[] {
  const [OH, OW] = refOut(g);
  const f = abs ? Math.abs : (v: number): number => v;
  const y: number[] = [];
  for (let b = 0; b < g.B; b++) {
    for (let o = 0; o < O; o++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let s = bias === null ? 0 : f(bias[o] as number);
          for (let c = 0; c < g.C; c++) {
            for (let i = 0; i < g.kh; i++) {
              for (let j = 0; j < g.kw; j++) {
                const v = at(x, g, b, c, oh * g.sh - g.ph + i, ow * g.sw - g.pw + j);
                if (v !== null) s += f(w[((o * g.C + c) * g.kh + i) * g.kw + j] as number) * f(v);
              }
            }
          }
          y.push(s);
        }
      }
    }
  }
  return y;
}

/** The in-image values of the window of output (b, c, oh, ow), in row-major window order. */
function windowValues(x: ArrayLike<number>, g: RefGeometry, b: number, c: number, oh: number, ow: number): number[] {
  const vals: number[] = [];
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      const v = at(x, g, b, c, oh * g.sh - g.ph + i, ow * g.sw - g.pw + j);
      if (v !== null) vals.push(v);
    }
  }
  return vals;
}

/** Pool every window: `f(values in the window, number of window positions kh·kw)`. */
function poolRef(x: ArrayLike<number>, g: RefGeometry, f: (vals: number[], full: number) => number): number[] {
  const [OH, OW] = refOut(g);
  const y: number[] = [];
  for (let b = 0; b < g.B; b++) {
    for (let c = 0; c < g.C; c++) {
      for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) y.push(f(windowValues(x, g, b, c, oh, ow), g.kh * g.kw));
    }
  }
  return y;
}

/** Max pooling: the maximum of the in-image window values. */
export function maxPoolRef(x: ArrayLike<number>, g: RefGeometry): number[] {
  return poolRef(x, g, (vals) => Math.max(...vals));
}

/** Average pooling: Σ in-image values / (kh·kw) with `countIncludePad`, else / (number of in-image values). */
export function avgPoolRef(x: ArrayLike<number>, g: RefGeometry, countIncludePad: boolean): number[] {
  return poolRef(x, g, (vals, full) => vals.reduce((a, v) => a + v, 0) / (countIncludePad ? full : vals.length));
}
