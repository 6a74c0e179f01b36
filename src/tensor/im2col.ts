/**
 * The data movements of convolution as a matrix product (im2col, Chellapilla, Puri & Simard 2006, "High Performance
 * Convolutional Neural Networks for Document Processing"): `im2col` unrolls every receptive field of x [B, C, H, W]
 * into one row of a matrix [B·OH·OW, C·kh·kw], so the convolution is one product with the weight [O, C·kh·kw];
 * `col2im` is its adjoint (scatter-add of the rows back into the image), which gives dx. The layout moves between
 * the product's rows [B, OH·OW, O] and NCHW [B, O, OH·OW] are one batched transpose, `swapInner`.
 * Plain typed-array loops, no closures; padding is never materialized (out-of-range reads are the zeros the fresh
 * arrays start with).
 */
import { allocateLike, type FloatArray } from '../core/index.js';
import type { Window } from './window.js';

/** col[(b·OH + oh)·OW + ow, (c·kh + i)·kw + j] = x[b, c, oh·sh − ph + i, ow·sw − pw + j] (0 outside the image). */
export function im2col(x: FloatArray, g: Window): FloatArray {
  const col = allocateLike(x, g.B * g.OH * g.OW * g.C * g.kh * g.kw);
  walk(x, col, g, true);
  return col;
}

/**
 * The adjoint of `im2col`: dx[b, c, h, w] = Σ of the entries of dcol that im2col read from x[b, c, h, w]. Sums in
 * float64 (a pixel is read by up to ⌈kh/sh⌉·⌈kw/sw⌉ rows), rounded once into dcol's type.
 */
export function col2im(dcol: FloatArray, g: Window): FloatArray {
  const acc = new Float64Array(g.B * g.C * g.H * g.W);
  walk(acc, dcol, g, false);
  const dx = allocateLike(dcol, acc.length);
  dx.set(acc);
  return dx;
}

/**
 * Visit every (row of col, image element) pair of the unrolling once: `gather` copies img into col (im2col),
 * otherwise col is added into img (col2im). The branch is taken once per kernel row, not per element.
 */
function walk(img: FloatArray, col: FloatArray, g: Window, gather: boolean): void {
  const { B, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW } = g;
  const K = C * kh * kw;
  const plane = H * W;
  let row = 0;
  for (let b = 0; b < B; b++) {
    const xb = b * C * plane;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - ph;
      for (let ow = 0; ow < OW; ow++, row += K) {
        const iw0 = ow * sw - pw;
        // Columns j of the kernel that fall inside the image: [j0, j1).
        const j0 = Math.max(0, -iw0);
        const j1 = Math.min(kw, W - iw0);
        let r = row;
        for (let c = 0; c < C; c++) {
          const xc = xb + c * plane;
          for (let i = 0; i < kh; i++, r += kw) {
            const ih = ih0 + i;
            if (ih < 0 || ih >= H) continue;
            const at = xc + ih * W + iw0;
            if (gather) for (let j = j0; j < j1; j++) col[r + j] = img[at + j] as number;
            else for (let j = j0; j < j1; j++) img[at + j] = (img[at + j] as number) + (col[r + j] as number);
          }
        }
      }
    }
  }
}

/**
 * The batched transpose [B, R, S] → [B, S, R]: `swapInner(rows, B, P, O)` moves the product's rows [B, P, O] to NCHW
 * [B, O, P] (P = OH·OW), and `swapInner(grad, B, O, P)` moves a gradient back.
 */
export function swapInner(a: FloatArray, B: number, R: number, S: number): FloatArray {
  const out = allocateLike(a, B * R * S);
  for (let b = 0; b < B; b++) {
    const base = b * R * S;
    for (let r = 0, src = base; r < R; r++, src += S) {
      for (let s = 0, dst = base + r; s < S; s++, dst += R) out[dst] = a[src + s] as number;
    }
  }
  return out;
}
