/**
 * Fused dense layer y = act(x Wᵀ + b) with W in the PyTorch layout [out, in]: one `Backend.linear` call forward
 * (on the GPU one kernel, nothing read back between the product, the bias and the ReLU; on the CPU the bias and
 * ReLU ride on the matmul's epilogue), and the usual three products backward.
 */
import { DTypeError, ShapeError } from '../core/errors.js';
import { checkElementCount } from '../core/index.js';
import { booleanParam, checkedOptions, optionKeys } from '../core/options.js';
import { getBackend } from '../kernels/registry.js';
import { record } from './autograd.js';
import { checkTensor } from './elementwise.js';
import { fmtShape } from './layout.js';
import { asOperand } from './matmul.js';
import { Tensor } from './tensor.js';

export interface LinearOptions {
  /** Apply ReLU to the output (fused). Default false. */
  readonly relu?: boolean;
}

const LINEAR_OPTION_KEYS = optionKeys<LinearOptions>({ relu: true });

/**
 * y = x Wᵀ + b (optionally ReLU'd) for x [m, in], W [out, in], b [out] or null → y [m, out].
 * `b` is nullable (null or absent: no bias); `options` is not: null, an unknown key (`rleu`) or a non-boolean
 * `relu` is a DomainError.
 * Gradients: with g' = g ⊙ 1[y > 0] (ReLU) or g, dx = g' W, dW = g'ᵀ x, db = Σ_rows g'.
 * Equal to `relu(matmul(x, W.transpose()).add(b))` up to rounding, in fewer backend calls.
 */
export function linear(x: Tensor, W: Tensor, b: Tensor | null = null, options?: LinearOptions): Tensor {
  checkTensor('linear: x', x);
  checkTensor('linear: W', W);
  if (b !== null) checkTensor('linear: b', b);
  if (x.ndim !== 2) throw new ShapeError(`linear: x must be 2-D [batch, in], got shape ${fmtShape(x.shape)}`);
  if (W.ndim !== 2) throw new ShapeError(`linear: W must be 2-D [out, in], got shape ${fmtShape(W.shape)}`);
  const [m, k] = x.shape as [number, number];
  const [n, k2] = W.shape as [number, number];
  if (k2 !== k) throw new ShapeError(`linear: W.shape[1] must equal x.shape[1] = ${k}, got ${k2} (W ${fmtShape(W.shape)})`);
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== n)) {
    throw new ShapeError(`linear: b must have shape [${n}], got ${fmtShape(b.shape)}`);
  }
  for (const [name, t] of [['W', W], ['b', b]] as const) {
    if (t !== null && t.dtype !== x.dtype) {
      throw new DTypeError(`linear: ${name} must have x's dtype ${x.dtype}, got ${t.dtype} (cast explicitly with .to('${x.dtype}'))`);
    }
  }
  const relu = booleanParam('options.relu', checkedOptions('linear', options, LINEAR_OPTION_KEYS).relu, false);
  checkElementCount(`linear: the result [${m}, ${n}]`, m * n);
  const be = getBackend();
  const xd = x.dense();
  // W stored [out, in] is used transposed; a transposed view of a stored [in, out] matrix is used as is.
  const w = asOperand(W);
  const y = new Tensor(be.linear(xd, w.data, b === null ? null : b.dense(), m, k, n, { transposeB: !w.transposed, relu }), [m, n]);
  const inputs = b === null ? [x, W] : [x, W, b];
  return record(y, relu ? 'linear+relu' : 'linear', inputs, (g) => {
    const gd = g.dense();
    const gz = relu ? be.reluBackward(y.data, gd) : gd;
    // Only the products whose operand tracks gradients are computed (inputs are often data batches).
    const dx = x.requiresGrad ? new Tensor(be.matmul(gz, w.data, m, n, k, { transposeB: w.transposed }), [m, k]) : null;
    const dW = W.requiresGrad ? new Tensor(be.matmul(gz, xd, n, m, k, { transposeA: true }), [n, k]) : null;
    if (b === null) return [dx, dW];
    return [dx, dW, b.requiresGrad ? new Tensor(columnSums(gz, m, n), [n]) : null];
  });
}

function columnSums(g: Float32Array | Float64Array, rows: number, cols: number): Float32Array | Float64Array {
  const out = g instanceof Float64Array ? new Float64Array(cols) : new Float32Array(cols);
  // Accumulate in float64 whatever the storage, then round once.
  const acc = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) acc[j] = (acc[j] as number) + (g[o + j] as number);
  }
  out.set(acc);
  return out;
}
