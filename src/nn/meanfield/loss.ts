/** The theory's squared loss of the mean-field nets, on autograd tensors. */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { mse, Tensor } from '../../tensor/index.js';

/**
 * ½·(1/B)·Σ_b ‖y_b − g(x_b)‖² for `out` [B, K] and `y` [B, K] (same dtype): the loss ½(y − g)² of Yu & Spiliopoulos's
 * SGD (arXiv:2209.01018, one sample per step [V-readme]) averaged over a batch, so SGD with the mean-field rates on it
 * is the paper's update. It is `mse(out, y)·K/2` (mse averages over B·K); `y` must be regression targets (a Tensor),
 * not class labels. Usable as `fit`'s `loss`.
 */
export function halfSquaredError(out: Tensor, y: Int32Array | Tensor): Tensor {
  if (!(out instanceof Tensor) || out.ndim !== 2) throw new ShapeError(`halfSquaredError: out must be a Tensor [batch, outputs], got ${describe(out instanceof Tensor ? [...out.shape] : out)}`);
  if (!(y instanceof Tensor)) throw new DomainError(`halfSquaredError: y must be a Tensor of regression targets [batch, outputs], got ${describe(y)}`);
  return mse(out, y).scale(out.shape[1]! / 2);
}
