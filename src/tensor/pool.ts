/**
 * 2-D max and average pooling over x [B, C, H, W] (PyTorch's `max_pool2d` / `avg_pool2d` in floor mode, no dilation):
 * one pass per (batch, channel) plane over the windows, clipped to the image, in plain typed-array loops.
 */
import { describe, DomainError } from '../core/errors.js';
import { allocateLike, type FloatArray } from '../core/index.js';
import { booleanParam, checkedOptions, optionKeys } from '../core/options.js';
import { record } from './autograd.js';
import { Tensor } from './tensor.js';
import { checkImage, type Pair, pairParam, type PairLike, type Window, windowOf } from './window.js';

/** Options of `maxPool2d`. */
export interface MaxPool2dOptions {
  /** Window size, a positive integer or [h, w]; required. */
  readonly kernel: PairLike;
  /** Step of the window, a positive integer or [h, w]; default the kernel (PyTorch's default). */
  readonly stride?: PairLike;
  /** Implicit padding on each side, an integer or [h, w] in [0, ⌊kernel / 2⌋]; default 0. */
  readonly padding?: PairLike;
}

/** Options of `avgPool2d`: those of `maxPool2d` and whether padded zeros count in the divisor. */
export interface AvgPool2dOptions extends MaxPool2dOptions {
  /** Divide by kh·kw including padded positions (true, PyTorch's default) or by the in-image count only. */
  readonly countIncludePad?: boolean;
}

/** Resolved pooling geometry (kernel, stride, padding). */
export interface PoolGeometry {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
}

const MAX_KEYS = optionKeys<MaxPool2dOptions>({ kernel: true, stride: true, padding: true });
const AVG_KEYS = optionKeys<AvgPool2dOptions>({ kernel: true, stride: true, padding: true, countIncludePad: true });

/**
 * Kernel, stride (default: the kernel) and padding (default 0) of a pooling op, with the names the caller wrote.
 * Padding is at most ⌊kernel / 2⌋ per dimension (PyTorch's rule), so every window overlaps the image.
 */
export function poolGeometry(names: { kernel: string; stride: string; padding: string }, kernel: unknown, stride: unknown, padding: unknown): PoolGeometry {
  const k = pairParam(names.kernel, kernel, 1);
  const s = pairParam(names.stride, stride, 1, k);
  const p = pairParam(names.padding, padding, 0, [0, 0]);
  for (const d of [0, 1] as const) {
    const half = Math.floor(k[d] / 2);
    if (p[d] > half) {
      const which = Array.isArray(padding) ? `${names.padding}[${d}]` : names.padding;
      throw new DomainError(`${which} must be an integer in [0, ⌊kernel / 2⌋ = ${half}] (kernel ${k[d]}), got ${describe(p[d])}`);
    }
  }
  return { kernel: k, stride: s, padding: p };
}

const OPTION_NAMES = { kernel: 'options.kernel', stride: 'options.stride', padding: 'options.padding' };
const KERNEL_NAMES = ['options.kernel[0]', 'options.kernel[1]'] as const;

/**
 * Max pooling: y[b, c, oh, ow] = max over the window rows oh·sh − ph … + kh − 1, columns ow·sw − pw … + kw − 1,
 * clipped to the image (padding is −∞, never chosen). `options.kernel` is required; `stride` defaults to the kernel.
 * Backward routes each output's gradient to its argmax (accumulating where windows overlap). Ties: the first
 * maximum in row-major window order wins; a NaN in the window is the maximum (the first NaN), so NaN propagates.
 */
export function maxPool2d(x: Tensor, options: MaxPool2dOptions): Tensor {
  const xt = checkImage('maxPool2d', x);
  const o = checkedOptions('maxPool2d', options, MAX_KEYS);
  const geo = poolGeometry(OPTION_NAMES, o['kernel'], o['stride'], o['padding']);
  const g = windowOf('maxPool2d', xt, geo.kernel, geo.stride, geo.padding, xt.shape[1] as number, KERNEL_NAMES);
  const xd = xt.dense();
  const { y, arg } = maxForward(xd, g);
  const out = new Tensor(y, [g.B, g.C, g.OH, g.OW]);
  return record(out, 'maxPool2d', [xt], (grad) => {
    const gd = grad.dense();
    const plane = g.H * g.W;
    const oplane = g.OH * g.OW;
    const acc = new Float64Array(g.B * g.C * plane);
    for (let n = 0, q = 0; n < g.B * g.C; n++) {
      const base = n * plane;
      for (let e = 0; e < oplane; e++, q++) acc[base + (arg[q] as number)] = (acc[base + (arg[q] as number)] as number) + (gd[q] as number);
    }
    const dx = allocateLike(xd, acc.length);
    dx.set(acc);
    return [new Tensor(dx, xt.shape)];
  });
}

/** The max of every window and its index within the (b, c) plane (ih·W + iw). */
function maxForward(x: FloatArray, g: Window): { y: FloatArray; arg: Uint32Array } {
  const y = allocateLike(x, g.B * g.C * g.OH * g.OW);
  const arg = new Uint32Array(y.length);
  const W = g.W;
  forEachWindow(g, (base, i0, i1, j0, j1, q) => {
    let bi = i0 * W + j0;
    let best = x[base + bi] as number;
    for (let i = i0; i < i1; i++) {
      for (let e = i * W + j0, end = e + j1 - j0; e < end; e++) {
        const v = x[base + e] as number;
        // Strictly greater keeps the first maximum; a NaN replaces a number once and then stays.
        if (v > best || (v !== v && best === best)) {
          best = v;
          bi = e;
        }
      }
    }
    y[q] = best;
    arg[q] = bi;
  });
  return { y, arg };
}

/**
 * Average pooling: y[b, c, oh, ow] = (Σ of x over the window clipped to the image) / d, with d = kh·kw when
 * `options.countIncludePad` is true (PyTorch's default count_include_pad: padded zeros count) and d = the number
 * of in-image elements of the window when it is false; the two differ only for windows that overlap the padding.
 * `options.kernel` is required; `stride` defaults to the kernel. Backward spreads g / d over the window.
 */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions): Tensor {
  const xt = checkImage('avgPool2d', x);
  const o = checkedOptions('avgPool2d', options, AVG_KEYS);
  const geo = poolGeometry(OPTION_NAMES, o['kernel'], o['stride'], o['padding']);
  const includePad = booleanParam('options.countIncludePad', o['countIncludePad'], true);
  const g = windowOf('avgPool2d', xt, geo.kernel, geo.stride, geo.padding, xt.shape[1] as number, KERNEL_NAMES);
  const xd = xt.dense();
  const y = allocateLike(xd, g.B * g.C * g.OH * g.OW);
  const full = g.kh * g.kw;
  const divisor = (i0: number, i1: number, j0: number, j1: number): number => (includePad ? full : (i1 - i0) * (j1 - j0));
  forEachWindow(g, (base, i0, i1, j0, j1, q) => {
    const d = divisor(i0, i1, j0, j1);
    let s = 0;
    for (let i = i0; i < i1; i++) for (let e = base + i * g.W + j0, end = e + j1 - j0; e < end; e++) s += xd[e] as number;
    y[q] = s / d;
  });
  const out = new Tensor(y, [g.B, g.C, g.OH, g.OW]);
  return record(out, 'avgPool2d', [xt], (grad) => {
    const gd = grad.dense();
    const acc = new Float64Array(xd.length);
    forEachWindow(g, (base, i0, i1, j0, j1, q) => {
      const v = (gd[q] as number) / divisor(i0, i1, j0, j1);
      for (let i = i0; i < i1; i++) for (let e = base + i * g.W + j0, end = e + j1 - j0; e < end; e++) acc[e] = (acc[e] as number) + v;
    });
    const dx = allocateLike(xd, acc.length);
    dx.set(acc);
    return [new Tensor(dx, xt.shape)];
  });
}

/**
 * Calls `visit(planeBase, i0, i1, j0, j1, q)` for every output q of a pooling op, in output order: its window clipped
 * to the image is rows [i0, i1) × columns [j0, j1) of the plane starting at planeBase. One call per window, never
 * per element.
 */
function forEachWindow(g: Window, visit: (base: number, i0: number, i1: number, j0: number, j1: number, q: number) => void): void {
  const { B, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW } = g;
  let q = 0;
  for (let n = 0; n < B * C; n++) {
    const base = n * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const i0 = Math.max(0, oh * sh - ph);
      const i1 = Math.min(H, oh * sh - ph + kh);
      for (let ow = 0; ow < OW; ow++, q++) visit(base, i0, i1, Math.max(0, ow * sw - pw), Math.min(W, ow * sw - pw + kw), q);
    }
  }
}
