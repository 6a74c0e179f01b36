/**
 * The data movements of convolution as a matrix product (im2col, Chellapilla, Puri & Simard 2006, "High Performance
 * Convolutional Neural Networks for Document Processing"): `im2col` unrolls every receptive field of x [B, C, H, W]
 * into one row of a matrix [B·OH·OW, C·kh·kw], so the convolution is one product with the weight [O, C·kh·kw];
 * `col2im` is its adjoint (scatter-add of the rows back into the image), which gives dx. The layout moves between
 * the product's rows [B, OH·OW, O] and NCHW [B, O, OH·OW] are `rowsToChannels` / `channelsToRows`.
 * Plain typed-array loops, no closures; padding is never materialized (out-of-range reads are the zeros the fresh
 * arrays start with).
 */
import { allocateLike, type FloatArray } from '../core/index.js';
import type { Window } from './window.js';

/** col[(b·OH + oh)·OW + ow, (c·kh + i)·kw + j] = x[b, c, oh·sh − ph + i, ow·sw − pw + j] (0 outside the image). */
export function im2col(x: FloatArray, g: Window): FloatArray {
  const { B, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW } = g;
  const K = C * kh * kw;
  const plane = H * W;
  const col = allocateLike(x, B * OH * OW * K);
  let row = 0;
  for (let b = 0; b < B; b++) {
    const xb = b * C * plane;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - ph;
      for (let ow = 0; ow < OW; ow++, row += K) {
        const iw0 = ow * sw - pw;
        const inside = iw0 >= 0 && iw0 + kw <= W;
        let r = row;
        for (let c = 0; c < C; c++) {
          const xc = xb + c * plane;
          for (let i = 0; i < kh; i++, r += kw) {
            const ih = ih0 + i;
            if (ih < 0 || ih >= H) continue;
            const src = xc + ih * W + iw0;
            if (inside) {
              for (let j = 0; j < kw; j++) col[r + j] = x[src + j] as number;
            } else {
              for (let j = 0; j < kw; j++) {
                const iw = iw0 + j;
                if (iw >= 0 && iw < W) col[r + j] = x[src + j] as number;
              }
            }
          }
        }
      }
    }
  }
  return col;
}

/**
 * The adjoint of `im2col`: dx[b, c, h, w] = Σ of the entries of dcol that im2col read from x[b, c, h, w]. Sums in
 * float64 (a pixel is read by up to ⌈kh/sh⌉·⌈kw/sw⌉ rows), rounded once into dcol's type.
 */
export function col2im(dcol: FloatArray, g: Window): FloatArray {
  const { B, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW } = g;
  const K = C * kh * kw;
  const plane = H * W;
  const acc = new Float64Array(B * C * plane);
  let row = 0;
  for (let b = 0; b < B; b++) {
    const xb = b * C * plane;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - ph;
      for (let ow = 0; ow < OW; ow++, row += K) {
        const iw0 = ow * sw - pw;
        const inside = iw0 >= 0 && iw0 + kw <= W;
        let r = row;
        for (let c = 0; c < C; c++) {
          const xc = xb + c * plane;
          for (let i = 0; i < kh; i++, r += kw) {
            const ih = ih0 + i;
            if (ih < 0 || ih >= H) continue;
            const dst = xc + ih * W + iw0;
            if (inside) {
              for (let j = 0; j < kw; j++) acc[dst + j] = (acc[dst + j] as number) + (dcol[r + j] as number);
            } else {
              for (let j = 0; j < kw; j++) {
                const iw = iw0 + j;
                if (iw >= 0 && iw < W) acc[dst + j] = (acc[dst + j] as number) + (dcol[r + j] as number);
              }
            }
          }
        }
      }
    }
  }
  const dx = allocateLike(dcol, acc.length);
  dx.set(acc);
  return dx;
}

/** [B, P, O] (rows of the product, one per output position) → [B, O, P] (NCHW with P = OH·OW). */
export function rowsToChannels(y: FloatArray, B: number, P: number, O: number): FloatArray {
  const out = allocateLike(y, B * P * O);
  for (let b = 0; b < B; b++) {
    const base = b * P * O;
    for (let p = 0, src = base; p < P; p++, src += O) {
      for (let o = 0, dst = base + p; o < O; o++, dst += P) out[dst] = y[src + o] as number;
    }
  }
  return out;
}

/** [B, O, P] (NCHW) → [B, P, O] (one row per output position), the inverse of `rowsToChannels`. */
export function channelsToRows(g: FloatArray, B: number, P: number, O: number): FloatArray {
  const out = allocateLike(g, B * P * O);
  for (let b = 0; b < B; b++) {
    const base = b * P * O;
    for (let o = 0, src = base; o < O; o++, src += P) {
      for (let p = 0, dst = base + o; p < P; p++, dst += O) out[dst] = g[src + p] as number;
    }
  }
  return out;
}
