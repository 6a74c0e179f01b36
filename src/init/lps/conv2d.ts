/**
 * LPS-R for a 2-D convolution (docs/schemes/lps.md): each output channel is a neuron whose input is an image patch,
 * so the dense anchored solve of `dense.ts` runs on the im2col patch matrix.
 *
 * Draw order (part of the reproducibility contract): the patch subsampling by partial Fisher–Yates (only when there
 * are more than `maxPatches` patches), then the draws of the dense solve (anchors, targets, null-space term).
 */
import { ShapeError, assertPositiveInt, describe } from '../../core/errors.js';
import { checkRng, type RandomSource } from '../support/rng.js';
import { checkElementCount } from '../../core/index.js';
import { type LpsDenseResult, checkBatch, fisherYatesStep, lpsSolve } from './dense.js';
import { type LpsConv2dOptions, parseLpsConv2dOptions } from './options.js';

/** An NCHW image batch, row-major: `shape = [B, C, H, W]`. */
export interface ImageBatch {
  readonly data: ArrayLike<number>;
  readonly shape: readonly [number, number, number, number];
}

/** Result of {@link lpsConv2d}. */
export interface LpsConv2dResult extends LpsDenseResult {
  /** Weight shape `[cOut, cIn, kh, kw]` (W is row-major in this layout). */
  readonly shape: readonly [number, number, number, number];
  /** Output spatial size [H_out, W_out]. */
  readonly outSize: readonly [number, number];
  /** For each anchor: [sample, oy, ox] of the patch. */
  readonly anchorPatches: readonly (readonly [number, number, number])[];
}

/** [sample, oy, ox] of patch index `pidx` (patches numbered sample-major, then row, then column). */
function patchAt(pidx: number, Ho: number, Wo: number): readonly [number, number, number] {
  const rem = pidx % (Ho * Wo);
  return [Math.floor(pidx / (Ho * Wo)), Math.floor(rem / Wo), rem % Wo];
}

/** The NCHW batch argument `input` of `im2col` / `lpsConv2d`: shape of positive integers, data of B·C·H·W finite numbers. */
function checkImageBatch(input: unknown): ImageBatch {
  if (typeof input !== 'object' || input === null || !Array.isArray((input as ImageBatch).shape) || (input as ImageBatch).shape.length !== 4) {
    throw new ShapeError(`input must be an NCHW batch {data, shape: [B, C, H, W]}, got ${describe(input)}`);
  }
  const { shape, data } = input as ImageBatch;
  const [B, C, H, Wd] = shape;
  if (typeof B !== 'number' || !Number.isInteger(B) || B < 1) {
    throw new ShapeError(`input must contain at least one sample (input.shape[0] >= 1), got ${describe(B)}`);
  }
  assertPositiveInt('input.shape[1]', C);
  assertPositiveInt('input.shape[2]', H);
  assertPositiveInt('input.shape[3]', Wd);
  checkElementCount(`input (B·C·H·W = ${B}·${C}·${H}·${Wd})`, B * C * H * Wd);
  checkBatch({ rows: B, cols: C * H * Wd, data }, 'input');
  return input as ImageBatch;
}

/** [vertical, horizontal] stride or padding. */
type Pair = readonly [number, number];

/** The patch matrix of `im2col`: `rows` patches of `cols` = C·kh·kw values, and the output spatial size. */
export interface PatchMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  readonly outSize: [number, number];
}

/** Output size [H_out, W_out] of the kernel over the padded input; ShapeError when the kernel does not fit. */
function fittedOutSize(H: number, Wd: number, kh: number, kw: number, stride: Pair, pad: Pair): [number, number] {
  const Ho = Math.floor((H + 2 * pad[0] - kh) / stride[0]) + 1;
  const Wo = Math.floor((Wd + 2 * pad[1] - kw) / stride[1]) + 1;
  if (Ho < 1 || Wo < 1) throw new ShapeError(`kernel [${kh}, ${kw}] with pad ${describe(pad)} does not fit the input [${H}, ${Wd}]`);
  return [Ho, Wo];
}

/** A pair [vertical, horizontal] of integers ≥ `min` named `name` (ShapeError otherwise). */
function intPair(value: unknown, name: string, min: 0 | 1): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min)) {
    throw new ShapeError(`${name} must be a pair [vertical, horizontal] of integers >= ${min}, got ${describe(value)}`);
  }
  return value as unknown as readonly [number, number];
}

/**
 * im2col: every (sample, oy, ox) patch of an NCHW batch as one row, columns in the weight order (c, i, j),
 * zero padding. Returns the rows for the patch indices `which` (all patches when undefined). Checks `input` (as
 * `lpsConv2d`), `kh`, `kw` (positive integers), `stride` (pair of positive integers), `pad` (pair of non-negative
 * integers), that the kernel fits, and `which` (integers in [0, number of patches)); typed errors name each.
 */
export function im2col(input: ImageBatch, kh: number, kw: number, stride: Pair, pad: Pair, which?: ArrayLike<number>): PatchMatrix {
  const [B, C, H, Wd] = checkImageBatch(input).shape;
  assertPositiveInt('kh', kh);
  assertPositiveInt('kw', kw);
  intPair(stride, 'stride', 1);
  intPair(pad, 'pad', 0);
  const [Ho, Wo] = fittedOutSize(H, Wd, kh, kw, stride, pad);
  const total = B * Ho * Wo;
  if (which !== undefined) {
    if (!(Array.isArray(which) || which instanceof Int32Array || which instanceof Float64Array || which instanceof Uint32Array)) {
      throw new ShapeError(`which must be an array of patch indices, got ${describe(which)}`);
    }
    for (let r = 0; r < which.length; r++) {
      const p: unknown = which[r];
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p >= total) {
        throw new ShapeError(`which[${r}] must be a patch index, an integer in [0, ${total}), got ${describe(p)}`);
      }
    }
  }
  checkElementCount(`im2col output (rows·C·kh·kw = ${which === undefined ? total : which.length}·${C}·${kh}·${kw})`, (which === undefined ? total : which.length) * C * kh * kw);
  return patchRows(input, kh, kw, stride, pad, which);
}

/** `im2col` on checked arguments (lpsConv2d validated them at its boundary). */
function patchRows(input: ImageBatch, kh: number, kw: number, stride: Pair, pad: Pair, which?: ArrayLike<number>): PatchMatrix {
  const [B, C, H, Wd] = input.shape;
  const Ho = Math.floor((H + 2 * pad[0] - kh) / stride[0]) + 1;
  const Wo = Math.floor((Wd + 2 * pad[1] - kw) / stride[1]) + 1;
  const cols = C * kh * kw;
  const total = B * Ho * Wo;
  const rows = which ? which.length : total;
  const out = new Float64Array(rows * cols);
  const x = input.data;
  for (let r = 0; r < rows; r++) {
    const [s, oy, ox] = patchAt(which ? which[r]! : r, Ho, Wo);
    let col = 0;
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < kh; i++) {
        const y = oy * stride[0] - pad[0] + i;
        for (let j = 0; j < kw; j++, col++) {
          const xx = ox * stride[1] - pad[1] + j;
          out[r * cols + col] = y >= 0 && y < H && xx >= 0 && xx < Wd ? x[((s * C + c) * H + y) * Wd + xx]! : 0;
        }
      }
    }
  }
  return { rows, cols, data: out, outSize: [Ho, Wo] };
}

/**
 * LPS-R (reconstruction of the LPS initialization of Chen, Hao & He, arXiv:2109.00125) for a 2-D convolution:
 * each output channel is a neuron whose input is an image patch. `input` is the layer's NCHW input on the batch.
 * Anchors are patches drawn at random; the rescale statistic is the mean z² over all (or the `maxPatches`
 * subsampled) patches. Weight layout `[cOut, cIn, kh, kw]`.
 * Throws DomainError for bad options (stride, pad, maxPatches, … before any work), ShapeError for bad shapes or a
 * kernel that does not fit, NonFiniteError for non-finite input.
 */
export function lpsConv2d(input: ImageBatch, cOut: number, kh: number, kw: number, rng: RandomSource, options?: LpsConv2dOptions): LpsConv2dResult {
  const o = parseLpsConv2dOptions(options, 'lpsConv2d');
  const [B, C, H, Wd] = checkImageBatch(input).shape;
  assertPositiveInt('cOut', cOut);
  assertPositiveInt('kh', kh);
  assertPositiveInt('kw', kw);
  checkElementCount(`W (cOut·C·kh·kw = ${cOut}·${C}·${kh}·${kw})`, cOut * C * kh * kw);
  checkRng(rng);
  const { stride, pad, maxPatches } = o;
  const [Ho, Wo] = fittedOutSize(H, Wd, kh, kw, stride, pad);
  const total = B * Ho * Wo;
  let which: Int32Array | undefined;
  if (total > maxPatches) {
    const perm = new Int32Array(total);
    for (let i = 0; i < total; i++) perm[i] = i;
    for (let t = 0; t < maxPatches; t++) fisherYatesStep(perm, t, rng);
    which = perm.slice(0, maxPatches);
  }
  const P = patchRows(input, kh, kw, stride, pad, which);
  const res = lpsSolve(P, cOut, rng, o);
  const anchorPatches = res.anchors.map((r) => patchAt(which ? which[r]! : r, Ho, Wo));
  return { ...res, shape: [cOut, C, kh, kw], outSize: [Ho, Wo], anchorPatches };
}
