/**
 * 2-D convolution (cross-correlation, as in PyTorch's `conv2d`) as im2col + one backend product: the receptive fields
 * of x become the rows of col [B·OH·OW, C·kh·kw] and y = col Wᵀ + b is the backend's fused `linear` (bias in the
 * product's epilogue), then moved to NCHW. Backward uses the same matrices: dW = gᵀ col, dcol = g W → dx by col2im,
 * db = Σ g over batch and positions.
 */
import { ShapeError } from '../core/errors.js';
import { allocateLike, checkElementCount, type FloatArray } from '../core/index.js';
import { checkedOptions, optionKeys } from '../core/options.js';
import { getBackend } from '../kernels/registry.js';
import { record } from './autograd.js';
import { checkTensor } from './elementwise.js';
import { col2im, im2col, swapInner } from './im2col.js';
import { fmtShape } from './layout.js';
import { Tensor } from './tensor.js';
import { checkImage, checkSameDType, pairParam, type PairLike, windowOf } from './window.js';

/** Options of `conv2d`. */
export interface Conv2dOptions {
  /** Step of the window, a positive integer or [h, w]; default 1. */
  readonly stride?: PairLike;
  /** Zeros added on each side, a non-negative integer or [h, w]; default 0. */
  readonly padding?: PairLike;
}

const CONV2D_KEYS = optionKeys<Conv2dOptions>({ stride: true, padding: true });

/**
 * y[b, o, oh, ow] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[b, c, oh·sh − ph + i, ow·sw − pw + j] (zero outside x), for
 * x [B, C, H, W], w [O, C, kh, kw], b [O] or null (nullable, like `linear`'s) → y [B, O, OH, OW] with
 * OH = ⌊(H + 2ph − kh) / sh⌋ + 1 and OW likewise (PyTorch's `conv2d`, no dilation, one group).
 * `options.stride` (≥ 1, default 1) and `options.padding` (≥ 0, default 0) are integers or [h, w] pairs.
 * Checked before any work: tensors of rank 4 / 4 / 1 with matching channels and one dtype (float32 or float64), the
 * kernel no larger than the padded input (ShapeError), the options (DomainError naming e.g. `options.stride[1]`).
 * Computed as im2col (Chellapilla et al. 2006) and the backend's fused linear kernel; gradients for x, w and b.
 */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null = null, options?: Conv2dOptions): Tensor {
  const xt = checkImage('conv2d', x);
  const wt = checkTensor('conv2d: w', w);
  if (b !== null) checkTensor('conv2d: b (or null)', b);
  if (wt.ndim !== 4 || wt.shape.some((d) => d < 1)) {
    throw new ShapeError(`conv2d: w must be a 4-D tensor [outChannels, inChannels, kh, kw] with every dimension ≥ 1, got shape ${fmtShape(wt.shape)}`);
  }
  const [O, Cw, kh, kw] = wt.shape as [number, number, number, number];
  if (Cw !== xt.shape[1]) {
    throw new ShapeError(`conv2d: w.shape[1] (inChannels) must equal x.shape[1] = ${xt.shape[1]}, got ${Cw} (x ${fmtShape(xt.shape)}, w ${fmtShape(wt.shape)})`);
  }
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== O)) throw new ShapeError(`conv2d: b must have shape [${O}] (w.shape[0]), got ${fmtShape(b.shape)}`);
  checkSameDType('conv2d', 'w', wt, xt);
  if (b !== null) checkSameDType('conv2d', 'b', b, xt);
  const o = checkedOptions('conv2d', options, CONV2D_KEYS);
  const stride = pairParam('options.stride', o['stride'], 1, [1, 1]);
  const padding = pairParam('options.padding', o['padding'], 0, [0, 0]);
  const g = windowOf('conv2d', xt, [kh, kw], stride, padding, O, ['w.shape[2]', 'w.shape[3]']);
  const P = g.OH * g.OW;
  const M = g.B * P;
  const K = g.C * kh * kw;
  checkElementCount(`conv2d: the im2col matrix [${M}, ${K}]`, M * K);

  const be = getBackend();
  const wd = wt.dense();
  const col = im2col(xt.dense(), g);
  // [M, K] @ [O, K]ᵀ + b: one product with the bias fused, rows ordered (b, oh, ow).
  const rows = be.linear(col, wd, b === null ? null : b.dense(), M, K, O, { transposeB: true });
  const y = new Tensor(swapInner(rows, g.B, P, O), [g.B, O, g.OH, g.OW]);
  const inputs = b === null ? [xt, wt] : [xt, wt, b];
  const keptCol = wt.requiresGrad ? col : null; // only dW needs the unrolled input
  return record(y, 'conv2d', inputs, (grad) => {
    const gd = grad.dense();
    const gz = swapInner(gd, g.B, O, P); // [M, O]
    const dx = xt.requiresGrad ? new Tensor(col2im(be.matmul(gz, wd, M, O, K), g), xt.shape) : null;
    const dW = keptCol !== null ? new Tensor(be.matmul(gz, keptCol, O, M, K, { transposeA: true }), wt.shape) : null;
    if (b === null) return [dx, dW];
    return [dx, dW, b.requiresGrad ? new Tensor(channelSums(gd, g.B, O, P), [O]) : null];
  });
}

/** db[o] = Σ_{b,p} g[b, o, p] for g [B, O, P], summed in float64 and rounded once. */
function channelSums(g: FloatArray, B: number, O: number, P: number): FloatArray {
  const acc = new Float64Array(O);
  for (let bi = 0, base = 0; bi < B; bi++) {
    for (let o = 0; o < O; o++, base += P) {
      let s = 0;
      for (let p = 0; p < P; p++) s += g[base + p] as number;
      acc[o] = (acc[o] as number) + s;
    }
  }
  const out = allocateLike(g, O);
  out.set(acc);
  return out;
}
