/**
 * NumPy broadcasting: the one elementwise map kernel over (broadcast) strided operands, the
 * `broadcastTo` view, and its adjoint `sumTo`, which reduces a broadcast gradient back to the
 * operand's shape.
 */
import { ShapeError } from '../core/errors.js';
import type { FloatArray } from '../core/index.js';
import { record } from './autograd.js';
import { checkTensor } from './elementwise.js';
import {
  broadcastStrides,
  broadcastValidShapes,
  checkShape,
  fmtShape,
  forEachIndex,
  shapeEquals,
  type Shape,
  sizeOf,
} from './layout.js';
import { sum } from './reduce.js';
import { allocate, type DType } from '../core/index.js';
import { Tensor } from './tensor.js';

/**
 * out[i] = f(a[i], b[i]) over `shape` in row-major order, where a and b are read through their own
 * strides broadcast to `shape` (so views and stride-0 broadcasts need no copy).
 */
export function mapStrided(dtype: DType, shape: Shape, a: Tensor, b: Tensor, f: (x: number, y: number) => number): FloatArray {
  const out = allocate(sizeOf(shape), dtype);
  const ad = a.data;
  const bd = b.data;
  const sa = broadcastStrides(a, shape);
  const sb = broadcastStrides(b, shape);
  if (shape.length === 0) {
    if (out.length > 0) out[0] = f(ad[a.offset], bd[b.offset]);
    return out;
  }
  // Loop the last dim inline; the shared odometer walks the outer dims once per row.
  const last = shape.length - 1;
  const n = shape[last];
  const ia = sa[last];
  const ib = sb[last];
  forEachIndex(shape.slice(0, last), sa.slice(0, last), a.offset, sb.slice(0, last), b.offset, (pa, pb, row) => {
    let o = row * n;
    for (let j = 0; j < n; j++, pa += ia, pb += ib) out[o++] = f(ad[pa], bd[pb]);
  });
  return out;
}

/**
 * Elementwise binary op with broadcasting (no history; callers record it). Operands must share a
 * dtype: mixing float32 and float64 raises DTypeError rather than silently promoting, because
 * precision experiments must know which precision they ran in (cast explicitly with `.to()`).
 */
export function broadcastBinary(op: string, a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const shape = broadcastValidShapes(a.shape, b.shape, `${op}: a and b`);
  return new Tensor(mapStrided(a.dtype, shape, a, b, f), shape);
}

/** A view of `t` broadcast to `shape` (stride-0 along stretched dims). Gradient: `sumTo` back. */
export function broadcastTo(t: Tensor, shape: readonly number[]): Tensor {
  checkTensor('broadcastTo: t', t);
  const target = checkShape('shape', shape);
  const res = broadcastValidShapes(t.shape, target, 'broadcastTo: tensor and shape');
  if (!shapeEquals(res, target)) {
    throw new ShapeError(`shape must be a broadcast of the tensor's shape ${fmtShape(t.shape)}, got ${fmtShape(target)}`);
  }
  if (shapeEquals(t.shape, target)) return t;
  const out = new Tensor(t.data, target, broadcastStrides(t, target), t.offset);
  const src = t.shape;
  return record(out, 'broadcastTo', [t], (g) => [sumTo(g, src)]);
}

/**
 * Sum `t` down to `shape`, the adjoint of broadcasting: sums the extra leading dims and every dim
 * where `shape` has 1. Used to reduce broadcast gradients to each operand's shape. Gradient: broadcast.
 */
export function sumTo(t: Tensor, shape: readonly number[]): Tensor {
  checkTensor('sumTo: t', t);
  const target = checkShape('shape', shape);
  if (shapeEquals(t.shape, target)) return t;
  const lead = t.shape.length - target.length;
  if (lead < 0) {
    throw new ShapeError(`shape must have at most ${t.shape.length} dims to sum ${fmtShape(t.shape)} to, got ${fmtShape(target)}`);
  }
  const axes: number[] = [];
  t.shape.forEach((d, i) => {
    if (i < lead || (target[i - lead] === 1 && d !== 1)) axes.push(i);
    else if (target[i - lead] !== d) {
      throw new ShapeError(`shape must be one ${fmtShape(t.shape)} broadcasts to, got ${fmtShape(target)}`);
    }
  });
  return sum(t, axes, true).reshape(target);
}
