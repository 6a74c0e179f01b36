/**
 * The plain-loop reference MLP of src/init, shared by the path-lifting, PathCond, ENorm, LPS-R and mean-field code.
 *
 * An MLP is an array of dense layers (`LayerTensors`, the one layer type of src/init) in the PyTorch layout: layer l
 * maps n_{l-1} inputs to n_l outputs with a row-major weight `W` of shape `[out, in]`, an optional bias `b` of length
 * `out` and an optional forward multiplier `scale` of the input sum (the mean-field N^−γ; absent = 1). Hidden layers
 * use ReLU (sigmoid / tanh for the mean-field nets), the last layer is linear:
 *
 *     h_0 = x,   h_l = σ(scale_l · W_l h_{l-1} + b_l)  (l < L),   f(x) = scale_L · W_L h_{L-1} + b_L.
 *
 * Everything here is dependency-free and pure: functions never modify their arguments.
 * Arithmetic is float64; storage may be Float32Array or Float64Array.
 */
import { DomainError, NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import { allocate, checkElementCount, resolveDType, type FloatArray } from '../../core/index.js';
import type { LayerTensors } from '../entry.js';
import { countParams, dimsOf, forwardRows, likeStorage, scaleOf, storageLike, toFloat64, traceRows, withArrays } from './mlp-loops.js';
import { enumParam, positiveIntParam } from './options.js';

export { activate } from './mlp-loops.js';

/** @deprecated since 0.2: use `FloatArray` (src/core). */
export type MlpArray = FloatArray;

/**
 * @deprecated since 0.2: use `LayerTensors`, the one layer type of src/init (`shape: [out, in]` replaces the former
 * `out` / `in` fields; `scale` is the optional forward multiplier of the layer's input sum).
 */
export type DenseLayer = LayerTensors;

/** A ReLU MLP: dense layers (`shape: [out, in]`), hidden layers ReLU, last layer linear. At least one layer. */
export type Mlp = readonly LayerTensors[];

/** Hidden-layer activation of the plain-loop forward pass (the output layer is always linear). */
export type MlpActivation = 'relu' | 'sigmoid' | 'tanh';

/** A row-major batch of samples: `rows` samples of `cols` features each. */
export interface Batch {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

/** `[out, in]` of a dense layer (checked: a layer object `{W, b?, shape: [out, in], scale?}`, ShapeError otherwise). */
export function layerDims(layer: LayerTensors): [number, number] {
  checkLayer(layer, 'layer', false);
  return dimsOf(layer);
}

/** The forward multiplier of a layer's input sum (1 when `scale` is absent); the layer is checked as in `layerDims`. */
export function layerScale(layer: LayerTensors): number {
  checkLayer(layer, 'layer', false);
  return scaleOf(layer);
}

/** Layer widths [n_0, n_1, …, n_L] of an MLP (checked by `validateMlp`, entries may be non-finite). */
export function mlpWidths(mlp: Mlp): number[] {
  validateMlp(mlp, 'mlp', false);
  const w = [dimsOf(mlp[0]!)[1]];
  for (const layer of mlp) w.push(dimsOf(layer)[0]);
  return w;
}

/** Total number of parameters p (all weights and all existing biases, the output bias included); `mlp` checked. */
export function mlpNumParams(mlp: Mlp): number {
  validateMlp(mlp, 'mlp', false);
  return countParams(mlp);
}

/** Number of hidden neurons H = n_1 + … + n_{L-1}; `mlp` checked. */
export function mlpNumHidden(mlp: Mlp): number {
  validateMlp(mlp, 'mlp', false);
  let h = 0;
  for (let l = 0; l < mlp.length - 1; l++) h += dimsOf(mlp[l]!)[0];
  return h;
}

function isFloatArray(a: unknown): a is FloatArray {
  return a instanceof Float64Array || a instanceof Float32Array;
}

/**
 * Validate an MLP: a non-empty array of layers `{ W, b?, shape: [out, in], scale? }` with positive integer sizes,
 * `W.length = out·in`, `b.length = out`, `scale` finite and > 0, consecutive layers chaining
 * (`mlp[l].shape[1] === mlp[l-1].shape[0]`) and, unless `checkFinite` is false, only finite entries.
 * Errors name `name` and the offending layer.
 */
export function validateMlp(mlp: unknown, name = 'mlp', checkFinite = true): asserts mlp is Mlp {
  if (!Array.isArray(mlp) || mlp.length === 0) {
    throw new ShapeError(`${name} must be a non-empty array of layers {W, b?, shape: [out, in], scale?}, got ${describe(mlp)}`);
  }
  let prevOut = 0;
  for (let l = 0; l < mlp.length; l++) {
    const [o, i] = checkLayer(mlp[l], `${name}[${l}]`, checkFinite);
    if (l > 0 && i !== prevOut) {
      throw new ShapeError(`${name}[${l}].shape[1] (in) must equal ${name}[${l - 1}].shape[0] = ${prevOut} (consecutive layers must chain), got ${i}`);
    }
    prevOut = o;
  }
}

/** One dense layer of `validateMlp`, named `where` in errors; returns its `[out, in]`. */
function checkLayer(layer: unknown, where: string, checkFinite: boolean): [number, number] {
  if (typeof layer !== 'object' || layer === null) throw new ShapeError(`${where} must be a layer object {W, b?, shape: [out, in], scale?}, got ${describe(layer)}`);
  const { shape, W, b, scale } = layer as { shape?: unknown; W?: unknown; b?: unknown; scale?: unknown };
  if (!Array.isArray(shape) || shape.length !== 2) {
    const legacy = 'out' in layer ? ' (the {out, in} fields of initlab 0.1 became shape: [out, in])' : '';
    throw new ShapeError(`${where}.shape must be a dense weight shape [out, in], got ${describe(shape)}${legacy}`);
  }
  shape.forEach((v: unknown, k) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new ShapeError(`${where}.shape[${k}] must be a positive integer, got ${describe(v)}`);
    }
  });
  const [o, i] = shape as [number, number];
  if (!isFloatArray(W)) throw new ShapeError(`${where}.W must be a Float64Array or Float32Array, got ${describe(W)}`);
  if (W.length !== o * i) throw new ShapeError(`${where}.W must have out·in = ${o}·${i} = ${o * i} entries, got ${W.length}`);
  if (b !== undefined) {
    if (!isFloatArray(b)) throw new ShapeError(`${where}.b must be a Float64Array, Float32Array or undefined, got ${describe(b)}`);
    if (b.length !== o) throw new ShapeError(`${where}.b must have out = ${o} entries, got ${b.length}`);
  }
  if (scale !== undefined && (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0)) {
    throw new DomainError(`${where}.scale must be a finite number > 0 (or absent), got ${describe(scale)}`);
  }
  if (checkFinite) {
    for (let k = 0; k < W.length; k++) {
      if (!Number.isFinite(W[k]!)) {
        throw new NonFiniteError(`${where}.W[${Math.floor(k / i)}, ${k % i}] must be finite, got ${describe(W[k])}`);
      }
    }
    if (b !== undefined) {
      const bb = b as FloatArray;
      for (let k = 0; k < bb.length; k++) {
        if (!Number.isFinite(bb[k]!)) throw new NonFiniteError(`${where}.b[${k}] must be finite, got ${describe(bb[k])}`);
      }
    }
  }
  return [o, i];
}

/**
 * A vector argument: an Array of numbers or a Float32Array / Float64Array, of length `length` when given (ShapeError
 * naming `name` otherwise). Entries may be non-finite (the forward passes propagate them). Returns its length.
 */
function checkVector(x: unknown, name: string, length?: number, lengthText = ''): number {
  const ok = isFloatArray(x) || (Array.isArray(x) && x.every((v) => typeof v === 'number'));
  if (!ok) throw new ShapeError(`${name} must be an array of numbers, a Float64Array or a Float32Array, got ${describe(x)}`);
  const n = (x as ArrayLike<number>).length;
  if (length !== undefined && n !== length) throw new ShapeError(`${name} must have length ${lengthText === '' ? '' : `${lengthText} = `}${length}, got ${n}`);
  return n;
}

/** A float64 deep copy of an MLP (biases kept absent where absent); `mlp` checked by `validateMlp`. */
export function mlpToFloat64(mlp: Mlp): LayerTensors[] {
  validateMlp(mlp, 'mlp', false);
  return toFloat64(mlp);
}

/** Copy `values` (an array of numbers or a float array) into a fresh array of the same storage type as `like`. */
export function sameStorage(like: FloatArray, values: ArrayLike<number>): FloatArray {
  if (!isFloatArray(like)) throw new ShapeError(`like must be a Float64Array or Float32Array, got ${describe(like)}`);
  checkVector(values, 'values');
  return storageLike(like, values);
}

/** Build an MLP with the storage types of `like` from float64 layers `src` (same architecture; both checked). */
export function mlpLikeStorage(like: Mlp, src: Mlp): LayerTensors[] {
  validateMlp(like, 'like', false);
  validateMlp(src, 'src', false);
  if (like.length !== src.length) throw new ShapeError(`src must have as many layers as like (${like.length}), got ${src.length}`);
  src.forEach((layer, l) => {
    const [o, i] = dimsOf(like[l]!);
    if (layer.shape[0] !== o || layer.shape[1] !== i) {
      throw new ShapeError(`src[${l}].shape must equal like[${l}].shape = [${o}, ${i}] (same architecture), got ${describe(layer.shape)}`);
    }
  });
  return likeStorage(like, src);
}

/** Pre-activations and hidden activations of a forward pass (row-major over the samples). */
export interface MlpTrace {
  /** `pre[l]` is rows × n_{l+1}: scale·(W h) + b of layer l; the last one is the output f(x). */
  readonly pre: readonly Float64Array[];
  /** `hidden[l]` = σ(pre[l]) for the hidden layers l < L−1. */
  readonly hidden: readonly Float64Array[];
}

const MLP_ACTIVATIONS: readonly MlpActivation[] = ['relu', 'sigmoid', 'tanh'];

/**
 * The one plain-loop forward pass of src/init (float64):
 *
 *     h_0 = x,   z_l = scale_l · (W_l h_{l-1}) + b_l,   h_l = σ(z_l) (l < L),   f(x) = z_L.
 *
 * The scale multiplies the sum only, never the bias (the mean-field N^−γ factors). Checks `mlp` (structure),
 * `rows` (a positive integer), `x` (rows·n_0 numbers) and `act`; validated callers run the unchecked loop directly.
 */
export function mlpTrace(mlp: Mlp, x: ArrayLike<number>, rows: number, act: MlpActivation = 'relu'): MlpTrace {
  validateMlp(mlp, 'mlp', false);
  const r = positiveIntParam('rows', rows);
  const n0 = dimsOf(mlp[0]!)[1];
  checkVector(x, 'x', r * n0, `rows·mlp[0].shape[1] = ${r}·${n0}`);
  mlp.forEach((layer, l) => checkElementCount(`pre[${l}] (rows·mlp[${l}].shape[0])`, r * dimsOf(layer)[0]));
  return traceRows(mlp, x, r, enumParam('act', act, MLP_ACTIVATIONS, 'relu'));
}

/**
 * Forward pass of one input `x` (length n_0), in float64: ReLU on hidden layers, linear output.
 * Returns f(x) (length n_L). Validates the architecture and the input length.
 */
export function mlpForward(mlp: Mlp, x: ArrayLike<number>): Float64Array {
  validateMlp(mlp, 'mlp', false);
  const n0 = dimsOf(mlp[0]!)[1];
  checkVector(x, 'x', n0, 'mlp[0].shape[1]');
  return traceRows(mlp, x, 1, 'relu').pre[mlp.length - 1]!;
}

/**
 * Batched forward pass: returns the pre-activations of every layer for every sample
 * (`pre[l]` is rows × n_{l+1}, row-major) and the output (`pre[L-1]`).
 */
export function mlpForwardBatch(mlp: Mlp, batch: Batch): Float64Array[] {
  validateMlp(mlp, 'mlp', false);
  const n0 = dimsOf(mlp[0]!)[1];
  if (typeof batch !== 'object' || batch === null) throw new ShapeError(`batch must be a batch {rows, cols, data}, got ${describe(batch)}`);
  if (batch.cols !== n0) throw new ShapeError(`batch.cols must equal mlp[0].shape[1] = ${n0}, got ${describe(batch.cols)}`);
  return [...mlpTrace(mlp, batch.data, batch.rows).pre];
}

/**
 * z = scale·(h·Wᵀ) + b for `rows` row-major input vectors of length in (plain loops, float64). Checks `layer`,
 * `rows` (a positive integer) and `h` (rows·in numbers).
 */
export function denseForwardRows(h: ArrayLike<number>, rows: number, layer: LayerTensors): Float64Array {
  const [out, nin] = checkLayer(layer, 'layer', false);
  const r = positiveIntParam('rows', rows);
  checkVector(h, 'h', r * nin, `rows·layer.shape[1] = ${r}·${nin}`);
  checkElementCount('z (rows·layer.shape[0])', r * out);
  return forwardRows(h, r, layer);
}

/**
 * Widths [n_0, …, n_L] of a dense chain given as PyTorch weight shapes `[[n_1, n_0], [n_2, n_1], …]` (the registry's
 * network calling convention). Throws ShapeError naming `name[l]` for a non-dense shape or a broken chain.
 */
export function widthsFromShapes(shapes: readonly (readonly number[])[], name = 'shapes'): number[] {
  if (!Array.isArray(shapes) || shapes.length === 0) throw new ShapeError(`${name} must be a non-empty array of [out, in] shapes, got ${describe(shapes)}`);
  const widths: number[] = [];
  shapes.forEach((s, l) => {
    if (!Array.isArray(s) || s.length !== 2 || !s.every((d) => Number.isInteger(d) && d > 0)) {
      throw new ShapeError(`${name}[${l}] must be a dense weight shape [out, in] of positive integers, got ${describe(s)}`);
    }
    if (l === 0) widths.push(s[1] as number);
    else if (s[1] !== widths[l]) {
      throw new ShapeError(`${name}[${l}][1] (in) must equal ${name}[${l - 1}][0] = ${widths[l]} (consecutive layers must chain), got ${s[1]}`);
    }
    widths.push(s[0] as number);
  });
  return widths;
}

/** Convert an MLP (checked by `validateMlp`) to registry layer tensors in the requested dtype (shape and scale kept). */
export function mlpToLayerTensors(mlp: Mlp, dtypeOpt: unknown): LayerTensors[] {
  validateMlp(mlp, 'mlp', false);
  const dtype = resolveDType(dtypeOpt, 'options.dtype');
  const copy = (a: FloatArray): FloatArray => {
    const out = allocate(a.length, dtype);
    out.set(a);
    return out;
  };
  return mlp.map((layer) => withArrays(layer, copy(layer.W), layer.b ? copy(layer.b) : undefined));
}
