/**
 * Zero-copy interop with the `ndarray` package: both directions share the typed array and keep
 * shape, strides and offset, so a transposed or sliced ndarray becomes a strided Tensor view.
 */
import ndarray from 'ndarray';
import { describe, DomainError, DTypeError } from '../core/errors.js';
import type { FloatArray } from '../core/index.js';
import { booleanParam, checkedOptions } from '../core/options.js';
import { checkTensor } from './elementwise.js';
import { checkShape, checkView, type ViewNames } from './layout.js';
import { Tensor, type TensorOptions } from './tensor.js';

/** How fromNdarray names the parts of `nd` in its errors. */
const ND_VIEW_NAMES: ViewNames = { data: 'nd.data', shape: 'nd.shape', strides: 'nd.stride', offset: 'nd.offset', size: 'nd.shape' };

/**
 * A Tensor viewing the same memory as `nd` (whose data must be a Float32Array or Float64Array). The one option is
 * `requiresGrad` (a boolean); the dtype is the data's own. `nd.shape`, `nd.stride` and `nd.offset` must describe a
 * view inside `nd.data` (a ShapeError naming the part otherwise).
 */
export function fromNdarray(nd: ndarray.NdArray, opts?: Pick<TensorOptions, 'requiresGrad'>): Tensor {
  const requiresGrad = booleanParam('opts.requiresGrad', checkedOptions('fromNdarray', opts, ['requiresGrad'], 'opts').requiresGrad, false);
  if (nd === null || typeof nd !== 'object') {
    throw new DomainError(`nd must be an ndarray (an object with data, shape, stride and offset), got ${describe(nd)}`);
  }
  const data: unknown = nd.data;
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new DTypeError(`nd.data must be a Float32Array or Float64Array (to share memory), got ${describe(data)}`);
  }
  const shape = checkShape('nd.shape', nd.shape);
  checkView(data, shape, nd.stride, nd.offset, ND_VIEW_NAMES);
  return new Tensor(data, shape, nd.stride, nd.offset, requiresGrad);
}

/** An ndarray viewing the same memory as `t` (same shape, strides and offset). */
export function toNdarray(t: Tensor): ndarray.NdArray<FloatArray> {
  checkTensor('t', t);
  return ndarray(t.data, t.shape.slice(), t.strides.slice(), t.offset);
}
