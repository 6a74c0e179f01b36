/**
 * Shape and stride bookkeeping shared by every op: validation, row-major strides, NumPy broadcasting
 * of shapes, axis normalization, and the one strided loop (`forEachRow`) all kernels walk memory with.
 */
import { checkElementCount, checkShape as checkCoreShape, describe, MAX_ELEMENTS, numel, ShapeError, type Shape } from '../core/index.js';

export type { Shape };

/** Where a tensor's elements live: element (i0, i1, ...) is at data[offset + Σ ik·strides[k]]. */
export interface Layout {
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * Validate a tensor shape (non-negative integers: empty tensors are allowed; at most MAX_ELEMENTS elements, views
 * included) and return a copy of it.
 */
export function checkShape(name: string, shape: unknown): number[] {
  checkCoreShape(shape, name, 0, Infinity, 0, MAX_ELEMENTS);
  return (shape as number[]).slice();
}

/** Number of elements of a shape (1 for the scalar shape []; 0 when a dim is 0). */
export const sizeOf = numel;

/** Dense row-major strides for `shape`. */
export function rowMajorStrides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** True when the layout's elements are dense and row-major (strides of size-1 dims are irrelevant). */
export function isRowMajor(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

/** True when two shapes are identical. */
export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Render a shape for messages, e.g. [2, 3]. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/**
 * NumPy broadcasting rule: align trailing dims; each pair must be equal or contain a 1. The result must hold at most
 * MAX_ELEMENTS elements ([1e5, 1] and [1, 1e5] broadcast to 1e10: a ShapeError, not an allocation failure).
 * `what` prefixes the error (e.g. "add: a and b"), so the message names both operands.
 */
export function broadcastShapes(a: Shape, b: Shape, what = 'a and b'): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 1; i <= n; i++) {
    const da = i <= a.length ? a[a.length - i] : 1;
    const db = i <= b.length ? b[b.length - i] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${what} must have broadcastable shapes, got ${fmtShape(a)} and ${fmtShape(b)} (dimension ${-i}: ${da} vs ${db})`,
      );
    }
    out[n - i] = da === 1 ? db : da;
  }
  const size = sizeOf(out);
  if (size > MAX_ELEMENTS) checkElementCount(`${what} broadcast to ${fmtShape(out)}, which`, size);
  return out;
}

/**
 * Strides that read a layout as if it had the (broadcast) shape `target`: new leading dims and
 * stretched size-1 dims get stride 0. The caller has already checked broadcastability.
 */
export function broadcastStrides(layout: Layout, target: Shape): number[] {
  const lead = target.length - layout.shape.length;
  return target.map((d, i) => {
    if (i < lead) return 0;
    const own = layout.shape[i - lead];
    return own === 1 && d !== 1 ? 0 : layout.strides[i - lead];
  });
}

/** Map a possibly negative axis into [0, ndim); ShapeError naming `name` if out of range. */
export function normAxis(name: string, axis: unknown, ndim: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const range = ndim === 0 ? 'none (the tensor is 0-D)' : `an integer in [${-ndim}, ${ndim - 1}]`;
    throw new ShapeError(`${name} must be ${range} for a ${ndim}-D tensor, got ${describe(axis)}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * The one strided loop: visit every index of `shape` in row-major order, passing the flat offsets of
 * two layouts (strides `sa`, `sb`, starting at `oa`, `ob`) and the running visit count. Kernels use
 * it either per element (full shape) or per row (shape minus the axis they loop over themselves).
 */
export function forEachIndex(
  shape: Shape,
  sa: readonly number[],
  oa: number,
  sb: readonly number[],
  ob: number,
  body: (pa: number, pb: number, count: number) => void,
): void {
  const nd = shape.length;
  const total = sizeOf(shape);
  if (total === 0) return;
  const idx = new Array<number>(nd).fill(0);
  let pa = oa;
  let pb = ob;
  for (let count = 0; count < total; count++) {
    body(pa, pb, count);
    // Odometer increment, innermost dim first.
    for (let d = nd - 1; d >= 0; d--) {
      pa += sa[d];
      pb += sb[d];
      if (++idx[d] < shape[d]) break;
      pa -= sa[d] * shape[d];
      pb -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
}
