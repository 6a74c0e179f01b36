/**
 * Softmax family and losses. softmax / logSoftmax compose the stable `logSumExp`; cross-entropy is
 * fused (one pass, gradient softmax − onehot) because the composed form would exponentiate twice.
 */
import { describe, DomainError, DTypeError, NonFiniteError, ShapeError } from '../core/errors.js';
import { record } from './autograd.js';
import { checkTensor, exp, mul, sub } from './elementwise.js';
import { fmtShape, shapeEquals } from './layout.js';
import { logSumExp, logSumExpFold, mean } from './reduce.js';
import { allocate } from '../core/index.js';
import { Tensor } from './tensor.js';

/** log softmax along `axis` (default last): x − logΣexp(x), finite even for logits of size 1e4. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkTensor('logSoftmax: x', x);
  return sub(x, logSumExp(x, axis, true));
}

/** softmax along `axis` (default last), computed as exp(logSoftmax) so it never overflows. */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkTensor('softmax: x', x);
  return exp(logSoftmax(x, axis));
}

/** Integer class labels: a number[], an Int32Array (or other array-like), or a 1-D tensor. */
export type Labels = readonly number[] | ArrayLike<number> | Tensor;

/** Validate labels against logits [n, classes]: length n, finite integers in [0, classes). */
function checkLabels(labels: Labels, n: number, classes: number): Int32Array {
  let values: ArrayLike<number>;
  if (labels instanceof Tensor) {
    if (labels.ndim !== 1) throw new ShapeError(`labels must be a 1-D tensor, got shape ${fmtShape(labels.shape)}`);
    values = labels.dense();
  } else if (Array.isArray(labels) || ArrayBuffer.isView(labels)) {
    values = labels as ArrayLike<number>;
  } else {
    throw new DTypeError(`labels must be a number[], Int32Array or 1-D Tensor, got ${describe(labels)}`);
  }
  if (values.length !== n) {
    throw new ShapeError(`labels must have one entry per row of logits (${n}), got ${values.length}`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new NonFiniteError(`labels[${i}] must be a finite integer class index, got ${describe(v)}`);
    }
    if (!Number.isInteger(v)) throw new DTypeError(`labels[${i}] must be an integer class index, got ${describe(v)}`);
    if (v < 0 || v >= classes) {
      throw new DomainError(`labels[${i}] must be a class index in [0, ${classes - 1}], got ${describe(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Mean cross-entropy of `logits` [N, C] against integer `labels` (N entries in [0, C)):
 * mean_i (logΣ_j exp(z_ij) − z_i,y_i). Fused and stable; gradient (softmax − onehot) / N.
 */
export function crossEntropy(logits: Tensor, labels: Labels): Tensor {
  checkTensor('crossEntropy: logits', logits);
  if (logits.ndim !== 2 || logits.shape[0] === 0 || logits.shape[1] === 0) {
    throw new ShapeError(`logits must be a non-empty 2-D tensor [N, C], got shape ${fmtShape(logits.shape)}`);
  }
  const [n, c] = logits.shape;
  const y = checkLabels(labels, n, c);
  const z = logits.dense();
  const lse = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    lse[i] = logSumExpFold(z, i * c, 1, c);
    total += lse[i] - z[i * c + y[i]];
  }
  const out = allocate(1, logits.dtype);
  out[0] = total / n;
  return record(new Tensor(out, []), 'crossEntropy', [logits], (g) => {
    const s = g.item() / n;
    const dz = allocate(n * c, logits.dtype);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) dz[i * c + j] = s * (Math.exp(z[i * c + j] - lse[i]) - (j === y[i] ? 1 : 0));
    }
    return [new Tensor(dz, logits.shape)];
  });
}

/**
 * Mean squared error mean((pred − target)²). Shapes and dtypes must match exactly (no silent broadcasting or
 * promotion), and pred must be non-empty: the mean of no elements is undefined (a DomainError, like `mean`).
 */
export function mse(pred: Tensor, target: Tensor): Tensor {
  checkTensor('mse: pred', pred);
  checkTensor('mse: target', target);
  if (!shapeEquals(pred.shape, target.shape)) {
    throw new ShapeError(`mse: target must have pred's shape ${fmtShape(pred.shape)}, got ${fmtShape(target.shape)}`);
  }
  if (target.dtype !== pred.dtype) {
    throw new DTypeError(`mse: target must have pred's dtype ${pred.dtype}, got ${target.dtype} (cast explicitly with .to('${pred.dtype}'))`);
  }
  if (pred.size === 0) throw new DomainError(`mse: pred must be non-empty, got shape ${fmtShape(pred.shape)} (0 elements)`);
  const d = sub(pred, target);
  return mean(mul(d, d));
}
