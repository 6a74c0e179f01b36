/**
 * Shape ops that are free views when possible: `reshape` (view of contiguous data, else one copy)
 * and `transpose` (always a view: swapped strides, hence non-contiguous).
 */
import { describe, ShapeError } from '../core/errors.js';
import { record } from './autograd.js';
import { checkTensor } from './elementwise.js';
import { fmtShape, normAxis, sizeOf } from './layout.js';
import { Tensor } from './tensor.js';

/** Resolve a reshape target: non-negative integers plus at most one -1 (inferred). */
function resolveReshape(shape: readonly number[], size: number, from: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new ShapeError(`shape must be an array of integers, got ${describe(shape)}`);
  let infer = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1 && infer === -1) infer = i;
    else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`shape[${i}] must be a non-negative integer (or a single -1), got ${describe(d)} in ${describe(shape)}`);
    } else known *= d;
  });
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`shape ${describe(shape)} cannot be inferred for ${size} elements (from ${fmtShape(from)})`);
    }
    out[infer] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new ShapeError(`shape must have ${size} elements like ${fmtShape(from)}, got ${fmtShape(out)} (${sizeOf(out)} elements)`);
  }
  return out;
}

/** Same elements in a new shape (one dim may be -1). A view when `t` is contiguous. */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape: t', t);
  const target = resolveReshape(shape, t.size, t.shape);
  const src = t.contiguous();
  const out = new Tensor(src.data, target, undefined, src.offset);
  const from = t.shape;
  return record(out, 'reshape', [src], (g) => [reshape(g, from)]);
}

/** Swap two axes (default: the last two) as a strided view; needs ndim ≥ 2. */
export function transpose(t: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor('transpose: t', t);
  if (t.ndim < 2) throw new ShapeError(`transpose needs a tensor with at least 2 dims, got shape ${fmtShape(t.shape)}`);
  const d0 = normAxis('dim0', dim0, t.ndim);
  const d1 = normAxis('dim1', dim1, t.ndim);
  const shape = t.shape.slice();
  const strides = t.strides.slice();
  [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
  [strides[d0], strides[d1]] = [strides[d1], strides[d0]];
  const out = new Tensor(t.data, shape, strides, t.offset);
  return record(out, 'transpose', [t], (g) => [transpose(g, d0, d1)]);
}
