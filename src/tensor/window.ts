/**
 * Geometry of sliding-window ops (conv2d, maxPool2d, avgPool2d): parsing of kernel / stride / padding given as a
 * number or an [h, w] pair, the input checks shared by the ops, and the output size
 * ⌊(in + 2·padding − kernel) / stride⌋ + 1 (PyTorch's, floor mode). Every failure is a typed error naming the
 * argument as the caller wrote it, the allowed range and the value given, raised before any work.
 */
import { describe, DomainError, DTypeError, ShapeError } from '../core/errors.js';
import { checkElementCount, MAX_ELEMENTS } from '../core/index.js';
import { checkTensor } from './elementwise.js';
import { fmtShape } from './layout.js';
import type { Tensor } from './tensor.js';

/** An [h, w] pair (of window sizes by default). */
export type Pair<T = number> = readonly [T, T];

/** A number used for both spatial dimensions, or an [h, w] pair. */
export type PairLike = number | readonly [number, number];

/** One integer of a pair: an integer in [min, MAX_ELEMENTS] (larger windows cannot fit a tensor anyway). */
function pairEntry(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_ELEMENTS) {
    throw new DomainError(`${name} must be an integer in [${min}, ${MAX_ELEMENTS}], got ${describe(v)}`);
  }
  return v;
}

/**
 * `value` as an [h, w] pair: a number (used for both) or an array of two integers, each in [min, 2^32]; the default
 * when `value` is undefined (required when `dflt` is undefined). `null` is not "absent": it is an error.
 */
export function pairParam(name: string, value: unknown, min: 0 | 1, dflt?: Pair): Pair {
  if (value === undefined) {
    if (dflt === undefined) throw new DomainError(`${name} is required (an integer ≥ ${min} or an [h, w] pair of them)`);
    return dflt;
  }
  if (Array.isArray(value)) {
    if (value.length !== 2) throw new DomainError(`${name} must be an integer ≥ ${min} or an [h, w] pair of them, got ${describe(value)}`);
    return [pairEntry(`${name}[0]`, value[0], min), pairEntry(`${name}[1]`, value[1], min)];
  }
  if (typeof value !== 'number') throw new DomainError(`${name} must be an integer ≥ ${min} or an [h, w] pair of them, got ${describe(value)}`);
  const v = pairEntry(name, value, min);
  return [v, v];
}

/** A 4-D input [batch, channels, height, width] with every dimension ≥ 1, checked before any work. */
export function checkImage(op: string, x: unknown): Tensor {
  const t = checkTensor(`${op}: x`, x);
  if (t.ndim !== 4 || t.shape.some((d) => d < 1)) {
    throw new ShapeError(`${op}: x must be a 4-D tensor [batch, channels, height, width] with every dimension ≥ 1, got shape ${fmtShape(t.shape)}`);
  }
  return t;
}

/**
 * Output size of one spatial dimension (`axis` 2 = height, 3 = width of x); a ShapeError when the kernel, called
 * `kname` as the caller gave it, does not fit the padded input.
 */
function outDim(op: string, axis: 2 | 3, kname: string, size: number, k: number, s: number, p: number): number {
  const padded = size + 2 * p;
  if (k > padded) {
    const what = axis === 2 ? 'height' : 'width';
    throw new ShapeError(
      `${op}: the kernel ${what} ${kname} = ${k} must be at most the padded input ${what} x.shape[${axis}] + 2·padding = ${size} + 2·${p} = ${padded}`,
    );
  }
  return Math.floor((padded - k) / s) + 1;
}

/** Resolved geometry of one windowed op over x [B, C, H, W]. */
export interface Window {
  readonly B: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly OH: number;
  readonly OW: number;
}

/**
 * The geometry of a window of `kernel` (its two sizes called `kernelNames` in errors) sliding over x [B, C, H, W] with
 * `stride` and `padding`; ShapeError when the kernel exceeds the padded input or when the result of `outChannels`
 * channels would exceed MAX_ELEMENTS.
 */
export function windowOf(op: string, x: Tensor, kernel: Pair, stride: Pair, padding: Pair, outChannels: number, kernelNames: Pair<string>): Window {
  const [B, C, H, W] = x.shape as [number, number, number, number];
  const [kh, kw] = kernel;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  const OH = outDim(op, 2, kernelNames[0], H, kh, sh, ph);
  const OW = outDim(op, 3, kernelNames[1], W, kw, sw, pw);
  checkElementCount(`${op}: the result [${B}, ${outChannels}, ${OH}, ${OW}]`, B * outChannels * OH * OW);
  return { B, C, H, W, kh, kw, sh, sw, ph, pw, OH, OW };
}

/** DTypeError unless `t` (called `name`) has `x`'s dtype. */
export function checkSameDType(op: string, name: string, t: Tensor, x: Tensor): void {
  if (t.dtype !== x.dtype) {
    throw new DTypeError(`${op}: ${name} must have x's dtype ${x.dtype}, got ${t.dtype} (cast explicitly with .to('${x.dtype}'))`);
  }
}
