/**
 * Reductions. Every one is a `reduceAxis` with a different fold over one strided line of elements;
 * multi-axis sums fold one axis at a time.
 */
import { describe, DomainError, ShapeError } from '../core/errors.js';
import { booleanParam } from '../core/options.js';
import type { FloatArray } from '../core/index.js';
import { record } from './autograd.js';
import { broadcastTo } from './broadcast.js';
import { checkTensor, exp, mul, sub } from './elementwise.js';
import { fmtShape, forEachIndex, normAxis, sizeOf } from './layout.js';
import { allocate } from '../core/index.js';
import { Tensor } from './tensor.js';

/** Folds `len` elements data[start], data[start + stride], ... into one number. */
export type LineFold = (data: FloatArray, start: number, stride: number, len: number) => number;

/** Apply `fold` along `axis` (already normalized); the axis is kept with size 1. No history. */
function reduceAxis(t: Tensor, axis: number, fold: LineFold): Tensor {
  const outer = t.shape.filter((_, i) => i !== axis);
  const os = t.strides.filter((_, i) => i !== axis);
  const len = t.shape[axis];
  const stride = t.strides[axis];
  const out = allocate(sizeOf(outer), t.dtype);
  const d = t.data;
  forEachIndex(outer, os, t.offset, os, 0, (p, _unused, i) => {
    out[i] = fold(d, p, stride, len);
  });
  return new Tensor(out, t.shape.map((s, i) => (i === axis ? 1 : s)));
}

const sumFold: LineFold = (d, p, st, n) => {
  let s = 0; // accumulate in double even for float32 data
  for (let i = 0; i < n; i++, p += st) s += d[p];
  return s;
};

/** Numerically stable log Σ exp over one line: shift by the max so no term overflows. */
export const logSumExpFold: LineFold = (d, p, st, n) => {
  let m = -Infinity;
  for (let i = 0, q = p; i < n; i++, q += st) if (d[q] > m || Number.isNaN(d[q])) m = d[q];
  if (m === -Infinity || m === Infinity || Number.isNaN(m)) return m;
  let s = 0;
  for (let i = 0; i < n; i++, p += st) s += Math.exp(d[p] - m);
  return m + Math.log(s);
};

/**
 * Normalize `axis` (undefined = all axes) to sorted, distinct, non-negative axes. Anything else than an integer in
 * [-ndim, ndim), a list of them or undefined (null and '0' included) is a ShapeError, like an out-of-range axis.
 */
function normAxes(axis: unknown, ndim: number): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axis !== 'number' && !Array.isArray(axis)) {
    const range = ndim === 0 ? 'absent or []' : `an integer in [${-ndim}, ${ndim - 1}], a list of them or absent`;
    throw new ShapeError(`axis must be ${range} for a ${ndim}-D tensor, got ${describe(axis)}`);
  }
  const list: readonly unknown[] = typeof axis === 'number' ? [axis] : axis;
  const axes = list.map((a, i) => normAxis(typeof axis === 'number' ? 'axis' : `axis[${i}]`, a, ndim));
  if (new Set(axes).size !== axes.length) throw new ShapeError(`axis must not repeat an axis, got ${describe(list)}`);
  return axes.sort((a, b) => a - b);
}

/** Output shape after reducing `axes`, with or without the size-1 dims kept. */
function reducedShape(shape: readonly number[], axes: number[], keepdims: boolean): number[] {
  return keepdims ? shape.map((s, i) => (axes.includes(i) ? 1 : s)) : shape.filter((_, i) => !axes.includes(i));
}

/**
 * Sum over `axis` (a number, a list, or undefined for all), negative axes allowed; `keepdims` (a boolean, default
 * false) keeps the reduced dims with size 1. The sum over no elements (an axis of size 0) is 0, by convention.
 */
export function sum(t: Tensor, axis?: number | readonly number[], keepdims?: boolean): Tensor {
  checkTensor('sum: t', t);
  return sumAxes(t, normAxes(axis, t.ndim), booleanParam('keepdims', keepdims, false));
}

/** `sum` over normalized axes (no parsing). */
function sumAxes(t: Tensor, axes: number[], keepdims: boolean): Tensor {
  // With no axis to fold (0-D input or axis = []) the result is a plain copy.
  let cur = axes.length === 0 ? t.clone().detach() : t;
  for (const a of axes) cur = reduceAxis(cur, a, sumFold);
  const keptShape = reducedShape(t.shape, axes, true);
  const out = new Tensor(cur.data, reducedShape(t.shape, axes, keepdims));
  const src = t.shape;
  return record(out, 'sum', [t], (g) => [broadcastTo(g.reshape(keptShape), src)]);
}

/**
 * Mean over `axis` (a number, a list, or undefined for all); `keepdims` as for `sum`. The mean of no elements is
 * undefined, so reducing an axis of size 0 is a DomainError (like `max`), never a silent NaN.
 */
export function mean(t: Tensor, axis?: number | readonly number[], keepdims?: boolean): Tensor {
  checkTensor('mean: t', t);
  const axes = normAxes(axis, t.ndim);
  const keep = booleanParam('keepdims', keepdims, false);
  const count = axes.reduce((n, a) => n * t.shape[a], 1);
  if (count === 0) {
    throw new DomainError(`mean needs a non-empty reduction, got 0 elements along axes ${fmtShape(axes)} of shape ${fmtShape(t.shape)}`);
  }
  return mul(sumAxes(t, axes, keep), 1 / count);
}

/**
 * log Σ exp along `axis` (default last), stable for large logits. Gradient: softmax along the axis.
 * Over an axis of size 0 it is log 0 = −Infinity (the sum over nothing is 0, as for `sum`).
 */
export function logSumExp(t: Tensor, axis = -1, keepdims?: boolean): Tensor {
  checkTensor('logSumExp: t', t);
  const ax = normAxis('axis', axis, t.ndim);
  keepdims = booleanParam('keepdims', keepdims, false);
  const kept = reduceAxis(t, ax, logSumExpFold);
  const out = new Tensor(kept.data, reducedShape(t.shape, [ax], keepdims));
  return record(out, 'logSumExp', [t], (g) => [mul(g.reshape(kept.shape), exp(sub(t, kept)))]);
}

/** Select one line position per output element (shared by max and argmax; NaN wins, first wins ties). */
function selectAlong(t: Tensor, axis: number | undefined, keepdimsArg: boolean | undefined, what: 'max' | 'argmax'): Tensor {
  checkTensor(`${what}: t`, t);
  const keepdims = booleanParam('keepdims', keepdimsArg, false);
  const src = axis === undefined ? t.detach().reshape([t.size]) : t;
  const ax = axis === undefined ? 0 : normAxis('axis', axis, t.ndim);
  if (src.shape[ax] === 0) throw new DomainError(`${what} needs a non-empty axis, got shape ${fmtShape(t.shape)}`);
  const fold: LineFold = (d, p, st, n) => {
    let best = 0;
    for (let i = 1, q = p + st; i < n; i++, q += st) {
      if (Number.isNaN(d[p + best * st])) break;
      if (d[q] > d[p + best * st] || Number.isNaN(d[q])) best = i;
    }
    return what === 'argmax' ? best : d[p + best * st];
  };
  const kept = reduceAxis(src.detach(), ax, fold);
  const shape = axis === undefined ? (keepdims ? t.shape.map(() => 1) : []) : reducedShape(t.shape, [ax], keepdims);
  return new Tensor(kept.data, shape);
}

/** Maximum along `axis` (undefined: over all elements). Not differentiable: the result has no history. */
export function max(t: Tensor, axis?: number, keepdims?: boolean): Tensor {
  return selectAlong(t, axis, keepdims, 'max');
}

/**
 * Index of the maximum along `axis` (undefined: flat index over all elements), as a tensor of t's
 * dtype holding integers (exact below 2^24 even in float32). Not differentiable.
 */
export function argmax(t: Tensor, axis?: number, keepdims?: boolean): Tensor {
  return selectAlong(t, axis, keepdims, 'argmax');
}
