/**
 * The Tensor class (a strided view over a Float32Array / Float64Array) and the creation functions.
 * Op methods delegate to the op modules, which hold the one implementation of each op.
 */
import type ndarray from 'ndarray';
import { describe, DomainError, DTypeError, NonFiniteError, ShapeError } from '../core/errors.js';
import { allocate, checkElementCount, dtypeOf, resolveDType, type DType, type FloatArray } from '../core/index.js';
import { booleanParam, checkedOptions, finiteParam, optionKeys } from '../core/options.js';
import { backward as runBackward, type GradNode, record } from './autograd.js';
import { broadcastTo, mapStrided } from './broadcast.js';
import { add, div, exp, leakyRelu, log, mul, neg, relu, scale, sigmoid, sub, tanh } from './elementwise.js';
import { checkShape, checkView, fmtShape, isRowMajor, type Layout, rowMajorStrides, type Shape, sizeOf } from './layout.js';
import { matmul } from './matmul.js';
import { toNdarray } from './ndarray.js';
import { logSoftmax, softmax } from './nn.js';
import { argmax, logSumExp, max, mean, sum } from './reduce.js';
import { reshape, transpose } from './views.js';

// One element-type vocabulary for the whole package (src/core).
export type { DType };
export { dtypeOf };

/** Nested JS arrays of numbers (or a bare number for a 0-D tensor), as accepted by `tensor` and returned by `toArray`. */
export type NestedArray = number | NestedArray[];

/** A Tensor, or a number treated as a 0-D tensor of the other operand's dtype. */
export type TensorLike = Tensor | number;

/**
 * Options of the creation functions. Parsed at the call: a key not listed here (`dtyp`), a dtype other than
 * 'float32' / 'float64', a non-boolean `requiresGrad` or `null` for the whole record is a DomainError naming it.
 */
export interface TensorOptions {
  /** Element type; default 'float32' (or the typed array's own type when one is given to `tensor`). */
  dtype?: DType;
  /** Track gradients for this leaf tensor; default false. */
  requiresGrad?: boolean;
}

const TENSOR_OPTION_KEYS = optionKeys<TensorOptions>({ dtype: true, requiresGrad: true });

/** Resolved `TensorOptions`. */
interface ResolvedTensorOptions {
  readonly dtype: DType;
  readonly requiresGrad: boolean;
}

/** Parse the `opts` of creation function `fn` once (see `TensorOptions`); `dflt` is the dtype when none is given. */
function parseTensorOptions(fn: string, opts: unknown, dflt: DType = 'float32'): ResolvedTensorOptions {
  const o = checkedOptions(fn, opts, TENSOR_OPTION_KEYS, 'opts');
  return {
    dtype: resolveDType(o.dtype, 'opts.dtype', dflt),
    requiresGrad: booleanParam('opts.requiresGrad', o.requiresGrad, false),
  };
}

/**
 * An n-d array of float32 or float64 with optional gradient tracking.
 *
 * NaN policy: a tensor is a container, so its data may hold any IEEE value, NaN and ±Infinity included (NaN
 * propagating through ops is how a diverging run shows). What is checked are the *parameters* of creation functions
 * and ops: `full`'s `value` must not be NaN (±Infinity is allowed, e.g. for masks), `arange`'s start / stop / step,
 * `scale`'s c and `leakyRelu`'s slope must be finite.
 *
 * Size: a tensor holds at most MAX_ELEMENTS (2^32) elements, views included, so every op's work is bounded.
 */
export class Tensor implements Layout {
  /** Backing store, possibly shared with other views (and with ndarrays). */
  readonly data: FloatArray;
  readonly shape: Shape;
  /** Element strides; row-major for freshly computed tensors, arbitrary (even 0) for views. */
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  requiresGrad: boolean;
  /** Accumulated dL/dthis after `backward` (leaf tensors only). */
  grad: Tensor | null = null;
  /** Recorded history (null for leaves and for tensors computed without grad). */
  node: GradNode | null = null;

  /**
   * Low-level constructor wrapping `data` without copying; most code wants `tensor(...)`.
   * `strides` default to row-major. The view is checked (`checkView`, O(rank)): `data` a Float32Array / Float64Array,
   * `shape` non-negative integers, one integer stride per dim, `offset` a non-negative integer, every addressed
   * element inside `data`, at most MAX_ELEMENTS elements (a stride-0 view can claim far more elements than its data
   * holds; bounding it means no op loops 1e18 times) and `requiresGrad` a boolean.
   */
  constructor(data: FloatArray, shape: Shape, strides?: readonly number[], offset = 0, requiresGrad = false) {
    checkView(data, shape, strides, offset);
    if (typeof requiresGrad !== 'boolean') booleanParam('requiresGrad', requiresGrad);
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.strides = Object.freeze(strides === undefined ? rowMajorStrides(shape) : strides.slice());
    this.offset = offset;
    this.dtype = dtypeOf(data);
    this.requiresGrad = requiresGrad;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True when the elements are dense and row-major (possibly at an offset into `data`). */
  isContiguous(): boolean {
    return isRowMajor(this.shape, this.strides);
  }

  /** This tensor if already contiguous, else a row-major copy. Differentiable (identity gradient). */
  contiguous(): Tensor {
    if (this.isContiguous()) return this;
    return this.clone();
  }

  /** A row-major copy with its own buffer. Differentiable (identity gradient). */
  clone(): Tensor {
    const out = new Tensor(this.copyData(this.dtype), this.shape);
    return record(out, 'clone', [this], (g) => [g]);
  }

  /**
   * The elements as a dense row-major typed array of exactly `size` elements. Shares memory when
   * the tensor is contiguous (never write to it); copies otherwise. This is what backends receive.
   */
  dense(): FloatArray {
    if (this.isContiguous()) return this.data.subarray(this.offset, this.offset + this.size);
    return this.copyData(this.dtype);
  }

  /** The elements copied into a fresh row-major array of `dtype`. */
  private copyData(dtype: DType): FloatArray {
    return mapStrided(dtype, this.shape, this, this, (x) => x);
  }

  /** Cast to `dtype` (a copy; this tensor if the dtype already matches). Differentiable. */
  to(dtype: DType): Tensor {
    if (dtype === undefined) throw new DTypeError('dtype is required, got undefined');
    resolveDType(dtype, 'dtype');
    if (dtype === this.dtype) return this;
    const out = new Tensor(this.copyData(dtype), this.shape);
    const src = this.dtype;
    return record(out, 'to', [this], (g) => [g.to(src)]);
  }

  /** Alias of `to` (NumPy spelling). */
  astype(dtype: DType): Tensor {
    return this.to(dtype);
  }

  /** Nested JS arrays (a number for a 0-D tensor). */
  toArray(): NestedArray {
    const build = (dim: number, off: number): NestedArray => {
      if (dim === this.shape.length) return this.data[off];
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[dim]; i++) out.push(build(dim + 1, off + i * this.strides[dim]));
      return out;
    };
    return build(0, this.offset);
  }

  /** The single element of a size-1 tensor as a number. */
  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(`item() needs a tensor with exactly 1 element, got shape ${fmtShape(this.shape)} (${this.size} elements)`);
    }
    return this.data[this.offset];
  }

  /** A zero-copy `ndarray` view of the same memory (shape, strides and offset preserved). */
  toNdarray(): ndarray.NdArray<FloatArray> {
    return toNdarray(this);
  }

  /** Same data, no history, requiresGrad = false. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this.strides, this.offset);
  }

  /** Clear the accumulated gradient (sets `grad` to null). */
  zeroGrad(): void {
    this.grad = null;
  }

  /** Backpropagate from this tensor; see `backward` in autograd.ts. */
  backward(seed?: Tensor): void {
    runBackward(this, seed);
  }

  toString(): string {
    return `Tensor(${JSON.stringify(this.toArray())}, shape=${fmtShape(this.shape)}, dtype=${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  // ---- op methods: thin delegations to the free functions ----
  add(other: TensorLike): Tensor { return add(this, other); }
  sub(other: TensorLike): Tensor { return sub(this, other); }
  mul(other: TensorLike): Tensor { return mul(this, other); }
  div(other: TensorLike): Tensor { return div(this, other); }
  neg(): Tensor { return neg(this); }
  scale(c: number): Tensor { return scale(this, c); }
  exp(): Tensor { return exp(this); }
  log(): Tensor { return log(this); }
  relu(): Tensor { return relu(this); }
  leakyRelu(slope: number): Tensor { return leakyRelu(this, slope); }
  sigmoid(): Tensor { return sigmoid(this); }
  tanh(): Tensor { return tanh(this); }
  matmul(other: Tensor): Tensor { return matmul(this, other); }
  transpose(dim0?: number, dim1?: number): Tensor { return transpose(this, dim0, dim1); }
  reshape(shape: readonly number[]): Tensor { return reshape(this, shape); }
  broadcastTo(shape: readonly number[]): Tensor { return broadcastTo(this, shape); }
  sum(axis?: number | readonly number[], keepdims = false): Tensor { return sum(this, axis, keepdims); }
  mean(axis?: number | readonly number[], keepdims = false): Tensor { return mean(this, axis, keepdims); }
  logSumExp(axis = -1, keepdims = false): Tensor { return logSumExp(this, axis, keepdims); }
  softmax(axis = -1): Tensor { return softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return logSoftmax(this, axis); }
  max(axis?: number, keepdims = false): Tensor { return max(this, axis, keepdims); }
  argmax(axis?: number, keepdims = false): Tensor { return argmax(this, axis, keepdims); }
}

// ---------------------------------------------------------------------------------------------
// Creation

/** Infer the shape of nested arrays, rejecting ragged nesting and non-numbers; flattens into `flat`. */
function flattenNested(values: unknown, path: string, flat: number[]): number[] {
  if (typeof values === 'number') {
    flat.push(values);
    return [];
  }
  if (!Array.isArray(values)) {
    throw new DTypeError(`${path} must be a number or an array of numbers, got ${describe(values)}`);
  }
  if (values.length === 0) return [0];
  const inner = flattenNested(values[0], `${path}[0]`, flat);
  for (let i = 1; i < values.length; i++) {
    const s = flattenNested(values[i], `${path}[${i}]`, flat);
    if (s.length !== inner.length || s.some((d, k) => d !== inner[k])) {
      throw new ShapeError(
        `values must be rectangular (not ragged): ${path}[${i}] has shape ${fmtShape(s)}, expected ${fmtShape(inner)} like ${path}[0]`,
      );
    }
  }
  return [values.length, ...inner];
}

/** Resolve an explicit `shape` argument against the number of values given. */
function resolveShape(shape: readonly number[] | undefined, inferred: number[], count: number): number[] {
  if (shape === undefined) return checkShape('values', inferred);
  const s = checkShape('shape', shape);
  if (sizeOf(s) !== count) {
    throw new ShapeError(`shape ${fmtShape(s)} must have as many elements as values (${count}), got ${sizeOf(s)}`);
  }
  return s;
}

/**
 * Create a tensor from a number, nested arrays, a flat number array or a typed array (always
 * copied: use `fromNdarray` to share memory). `shape` reshapes flat input; nested input may give
 * it too as a check (`undefined` = infer it; `null` is a ShapeError). The default dtype is float32, or float64 for a
 * Float64Array. The values may be NaN or ±Infinity (see the NaN policy on `Tensor`).
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: readonly number[], opts?: TensorOptions): Tensor {
  let flat: ArrayLike<number>;
  let inferred: number[];
  let defaultType: DType = 'float32';
  if (ArrayBuffer.isView(values)) {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
    if (values instanceof Float64Array) defaultType = 'float64';
  } else {
    const acc: number[] = [];
    inferred = flattenNested(values, 'values', acc);
    flat = acc;
  }
  const o = parseTensorOptions('tensor', opts, defaultType);
  const s = resolveShape(shape, inferred, flat.length);
  const data = allocate(flat.length, o.dtype);
  data.set(flat as ArrayLike<number>);
  return new Tensor(data, s, undefined, 0, o.requiresGrad);
}

/** `full` for the creation function `fn` (zeros and ones name themselves in option errors). */
function filled(fn: string, shape: readonly number[], value: number, opts: unknown): Tensor {
  const s = checkShape('shape', shape);
  const o = parseTensorOptions(fn, opts);
  const data = allocate(sizeOf(s), o.dtype);
  if (value !== 0) data.fill(value);
  return new Tensor(data, s, undefined, 0, o.requiresGrad);
}

/**
 * A tensor of `shape` filled with `value`. `value` is a parameter, so it is checked: ±Infinity is allowed (e.g. for
 * masks), NaN is a NonFiniteError (build NaN data explicitly, e.g. `tensor([NaN])`, if that is really meant).
 */
export function full(shape: readonly number[], value: number, opts?: TensorOptions): Tensor {
  if (typeof value !== 'number') throw new DomainError(`value must be a number (not NaN), got ${describe(value)}`);
  if (Number.isNaN(value)) throw new NonFiniteError(`value must be a number other than NaN, got ${describe(value)}`);
  return filled('full', shape, value, opts);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], opts?: TensorOptions): Tensor {
  return filled('zeros', shape, 0, opts);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], opts?: TensorOptions): Tensor {
  return filled('ones', shape, 1, opts);
}

/**
 * NumPy-style range: `arange(stop)` or `arange(start, stop, step = 1)`, the values
 * start, start + step, ... strictly before stop. start, stop and step must be finite numbers (`null` is not
 * "absent"), step non-zero, and the count ⌈(stop − start) / step⌉ at most MAX_ELEMENTS.
 */
export function arange(start: number, stop?: number, step?: number, opts?: TensorOptions): Tensor {
  let lo = finiteParam('start', start);
  let hi: number;
  if (stop === undefined) [lo, hi] = [0, lo];
  else hi = finiteParam('stop', stop);
  const by = finiteParam('step', step, 1);
  if (by === 0) throw new DomainError(`step must be non-zero, got ${describe(by)}`);
  const o = parseTensorOptions('arange', opts);
  const n = Math.max(0, Math.ceil((hi - lo) / by));
  checkElementCount(`arange(${lo}, ${hi}, ${by})`, n);
  const data = allocate(n, o.dtype);
  for (let i = 0; i < n; i++) data[i] = lo + i * by;
  return new Tensor(data, [n], undefined, 0, o.requiresGrad);
}

/** The n×m identity-like matrix (m defaults to n): ones on the main diagonal. */
export function eye(n: number, m: number = n, opts?: TensorOptions): Tensor {
  const [rows, cols] = checkShape('[n, m]', [n, m]);
  const t = filled('eye', [rows, cols], 0, opts);
  for (let i = 0; i < Math.min(rows, cols); i++) t.data[i * cols + i] = 1;
  return t;
}

/** Coerce a TensorLike to a Tensor; numbers become 0-D tensors of `dtype`. */
export function asTensor(x: TensorLike, dtype: DType, name: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new DTypeError(`${name} must be a Tensor or a number, got ${describe(x)}`);
  const data = allocate(1, dtype);
  data[0] = x;
  return new Tensor(data, []);
}
