/**
 * Matrix product on the active backend, forward and backward. Transposes are never materialized:
 * a transposed view is passed with the backend's transpose flag, and the backward products
 * dA = G Bᵀ, dB = Aᵀ G use the flags too.
 */
import { DTypeError, ShapeError } from '../core/errors.js';
import { allocateLike, checkElementCount, type FloatArray } from '../core/index.js';
import { getBackend } from '../kernels/registry.js';
import { record } from './autograd.js';
import { sumTo } from './broadcast.js';
import { checkTensor } from './elementwise.js';
import { fmtShape, isRowMajor } from './layout.js';
import { Tensor } from './tensor.js';

/** A matrix (or batch of matrices) as the backend sees it: dense data, possibly stored transposed. */
export interface MatOperand {
  readonly data: FloatArray;
  /** Stored as [..., cols, rows] row-major, i.e. use with the backend's transpose flag. */
  readonly transposed: boolean;
}

/** Hand `t` to the backend without copying when it is contiguous or a transposed contiguous view. */
export function asOperand(t: Tensor): MatOperand {
  if (t.isContiguous()) return { data: t.dense(), transposed: false };
  const nd = t.ndim;
  const shape = t.shape.slice();
  const strides = t.strides.slice();
  [shape[nd - 2], shape[nd - 1]] = [shape[nd - 1], shape[nd - 2]];
  [strides[nd - 2], strides[nd - 1]] = [strides[nd - 1], strides[nd - 2]];
  if (isRowMajor(shape, strides)) return { data: t.data.subarray(t.offset, t.offset + t.size), transposed: true };
  return { data: t.dense(), transposed: false };
}

/**
 * Batched C_i = op(A_i) op(B_i) for i < batch, where an operand with batch count 1 is shared by
 * every i (broadcast). op(A_i) is [m, k], op(B_i) is [k, n]; returns [batch, m, n] densely.
 */
function bmm(a: MatOperand, aBatch: number, b: MatOperand, bBatch: number, batch: number, m: number, k: number, n: number): FloatArray {
  const be = getBackend();
  const flags = { transposeA: a.transposed, transposeB: b.transposed };
  // One shared B and untransposed A: the batch folds into the rows of a single product.
  if (bBatch === 1 && (aBatch === 1 ? batch === 1 : !a.transposed)) {
    return be.matmul(a.data, b.data, aBatch * m, k, n, flags);
  }
  const out = allocateLike(a.data, batch * m * n);
  for (let i = 0; i < batch; i++) {
    const ai = aBatch === 1 ? a.data : a.data.subarray(i * m * k, (i + 1) * m * k);
    const bi = bBatch === 1 ? b.data : b.data.subarray(i * k * n, (i + 1) * k * n);
    out.set(be.matmul(ai, bi, m, k, n, flags), i * m * n);
  }
  return out;
}

/**
 * Matrix product a @ b. 2-D: [m, k] @ [k, n] → [m, n]. Batched: either operand may be 3-D
 * [batch, ·, ·]; batch counts must match or be 1 (broadcast), and a 2-D operand is shared by all.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul: a', a);
  checkTensor('matmul: b', b);
  if (a.ndim !== 2 && a.ndim !== 3) throw new ShapeError(`matmul: a must be 2-D or 3-D, got shape ${fmtShape(a.shape)}`);
  if (b.ndim !== 2 && b.ndim !== 3) throw new ShapeError(`matmul: b must be 2-D or 3-D, got shape ${fmtShape(b.shape)}`);
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`matmul: b must have a's dtype ${a.dtype}, got ${b.dtype} (cast explicitly with .to('${a.dtype}'))`);
  }
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2) {
    throw new ShapeError(`matmul: b.shape[-2] must equal a.shape[-1] = ${k}, got ${k2} (a ${fmtShape(a.shape)}, b ${fmtShape(b.shape)})`);
  }
  const aBatch = a.ndim === 3 ? a.shape[0] : 1;
  const bBatch = b.ndim === 3 ? b.shape[0] : 1;
  if (aBatch !== bBatch && aBatch !== 1 && bBatch !== 1) {
    throw new ShapeError(`matmul: batch sizes of a and b must match or be 1, got ${aBatch} and ${bBatch}`);
  }
  const batch = Math.max(aBatch, bBatch);
  const batched = a.ndim === 3 || b.ndim === 3;
  // Bounded before the backend allocates ([1e5, 1] @ [1, 1e5] would be a RangeError deep inside it).
  checkElementCount(`matmul: the result ${fmtShape(batched ? [batch, m, n] : [m, n])}`, batch * m * n);
  const A = asOperand(a);
  const B = asOperand(b);
  const out = new Tensor(bmm(A, aBatch, B, bBatch, batch, m, k, n), batched ? [batch, m, n] : [m, n]);
  return record(out, 'matmul', [a, b], (g) => {
    const G = asOperand(g);
    const Bt = { data: B.data, transposed: !B.transposed };
    const At = { data: A.data, transposed: !A.transposed };
    const gShapeA = batched ? [batch, m, k] : [m, k];
    const gShapeB = batched ? [batch, k, n] : [k, n];
    // dA_i = G_i B_iᵀ and dB_i = A_iᵀ G_i; sumTo folds the batch back for broadcast operands.
    const dA = new Tensor(bmm(G, batch, Bt, bBatch, batch, m, n, k), gShapeA);
    const dB = new Tensor(bmm(At, aBatch, G, batch, batch, k, m, n), gShapeB);
    return [sumTo(dA, a.shape), sumTo(dB, b.shape)];
  });
}
