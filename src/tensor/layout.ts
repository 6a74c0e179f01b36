/**
 * Shape and stride bookkeeping shared by every op: validation, row-major strides, NumPy broadcasting
 * of shapes, axis normalization, and the one strided loop (`forEachRow`) all kernels walk memory with.
 */
import {
  checkElementCount,
  checkShape as checkCoreShape,
  describe,
  DomainError,
  DTypeError,
  MAX_ELEMENTS,
  numel,
  ShapeError,
  type Shape,
} from '../core/index.js';

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
 * `what` prefixes the error (e.g. "add: a and b"), so the message names both operands. `a` and `b` must be shapes
 * (arrays of non-negative integers; a ShapeError naming `a` or `b` otherwise) and `what` a string (a DomainError).
 */
export function broadcastShapes(a: Shape, b: Shape, what = 'a and b'): number[] {
  checkCoreShape(a, 'a', 0, Infinity, 0, MAX_ELEMENTS);
  checkCoreShape(b, 'b', 0, Infinity, 0, MAX_ELEMENTS);
  if (typeof what !== 'string') throw new DomainError(`what must be a string (the operands' names for messages), got ${describe(what)}`);
  return broadcastValidShapes(a, b, what);
}

/** `broadcastShapes` of two shapes already known to be valid (the ops' operands): no re-validation on the hot path. */
export function broadcastValidShapes(a: Shape, b: Shape, what: string): number[] {
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

/** How `checkView` names the parts of a view in its errors. */
export interface ViewNames {
  readonly data: string;
  readonly shape: string;
  readonly strides: string;
  readonly offset: string;
  /** Prefix of the "too many elements" message, followed by the shape. */
  readonly size: string;
}

/** The names of the Tensor constructor's arguments. */
export const TENSOR_VIEW_NAMES: ViewNames = { data: 'data', shape: 'shape', strides: 'strides', offset: 'offset', size: 'Tensor shape' };

/**
 * Validate a strided view over a typed array (the Tensor constructor's arguments) and return its element count:
 * `data` a Float32Array or Float64Array (else a DTypeError), `shape` an array of non-negative integers with at most
 * MAX_ELEMENTS elements, `strides` undefined (row-major) or one integer per dimension, `offset` a non-negative integer,
 * and every element the view addresses, offset + Σ i_k·strides[k], inside `data` (else a ShapeError). One pass over
 * the dimensions, O(rank): cheap enough for every op's output.
 */
export function checkView(data: unknown, shape: unknown, strides: unknown, offset: unknown, names: ViewNames = TENSOR_VIEW_NAMES): number {
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new DTypeError(`${names.data} must be a Float32Array or a Float64Array, got ${describe(data)}`);
  }
  if (!Array.isArray(shape)) throw new ShapeError(`${names.shape} must be an array of non-negative integers, got ${describe(shape)}`);
  const rank = shape.length;
  let size = 1;
  let empty = false; // a 0 dim makes the count 0 even where the product of the others overflows (0 · Infinity)
  for (let i = 0; i < rank; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${names.shape}[${i}] must be a non-negative integer, got ${describe(d)} (in ${names.shape} = ${describe(shape)})`);
    }
    if (d === 0) empty = true;
    else size *= d;
  }
  if (empty) size = 0;
  else if (size > MAX_ELEMENTS) checkElementCount(`${names.size} ${fmtShape(shape)}`, size);
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new ShapeError(`${names.offset} must be a non-negative integer, got ${describe(offset)}`);
  }
  if (strides !== undefined) checkStrides(strides, rank, names, shape);
  if (size === 0) return 0;
  let lo = offset;
  let hi = offset + size - 1;
  if (strides !== undefined) {
    const st = strides as readonly number[];
    hi = offset;
    for (let i = 0; i < rank; i++) {
      const reach = st[i]! * ((shape[i] as number) - 1);
      if (reach < 0) lo += reach;
      else hi += reach;
    }
  }
  if (lo < 0 || hi >= data.length) {
    throw new ShapeError(
      `${names.shape} ${fmtShape(shape)}, ${names.strides} ${strides === undefined ? '(row-major)' : describe(strides)} and ${names.offset} ${offset} ` +
        `address elements ${lo} to ${hi} of ${names.data}, which has ${data.length}: the view must lie inside ${names.data}`,
    );
  }
  return size;
}

/** `strides` must be one integer per dimension. */
function checkStrides(strides: unknown, rank: number, names: ViewNames, shape: readonly unknown[]): void {
  if (!Array.isArray(strides) || strides.length !== rank) {
    throw new ShapeError(`${names.strides} must be an array of ${rank} integer(s), one per dimension of ${names.shape} ${describe(shape)}, got ${describe(strides)}`);
  }
  for (let i = 0; i < rank; i++) {
    const s: unknown = strides[i];
    if (typeof s !== 'number' || !Number.isInteger(s)) throw new ShapeError(`${names.strides}[${i}] must be an integer, got ${describe(s)}`);
  }
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
