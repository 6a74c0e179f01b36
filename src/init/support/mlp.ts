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
import { allocate, resolveDType, type FloatArray } from '../../core/index.js';
import type { LayerTensors } from '../entry.js';

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

/** `[out, in]` of a dense layer. */
export function layerDims(layer: LayerTensors): [number, number] {
  return [layer.shape[0] as number, layer.shape[1] as number];
}

/** The forward multiplier of a layer's input sum (1 when `scale` is absent). */
export function layerScale(layer: LayerTensors): number {
  return layer.scale ?? 1;
}

/** Layer widths [n_0, n_1, …, n_L] of a validated MLP. */
export function mlpWidths(mlp: Mlp): number[] {
  const w = [layerDims(mlp[0]!)[1]];
  for (const layer of mlp) w.push(layerDims(layer)[0]);
  return w;
}

/** Total number of parameters p (all weights and all existing biases, the output bias included). */
export function mlpNumParams(mlp: Mlp): number {
  let p = 0;
  for (const layer of mlp) p += layer.W.length + (layer.b ? layer.b.length : 0);
  return p;
}

/** Number of hidden neurons H = n_1 + … + n_{L-1}. */
export function mlpNumHidden(mlp: Mlp): number {
  let h = 0;
  for (let l = 0; l < mlp.length - 1; l++) h += layerDims(mlp[l]!)[0];
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
    const layer: unknown = mlp[l];
    const where = `${name}[${l}]`;
    if (typeof layer !== 'object' || layer === null) throw new ShapeError(`${where} must be a layer object, got ${describe(layer)}`);
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
    if (l > 0 && i !== prevOut) {
      throw new ShapeError(`${where}.shape[1] (in) must equal ${name}[${l - 1}].shape[0] = ${prevOut} (consecutive layers must chain), got ${i}`);
    }
    prevOut = o;
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
  }
}

/** A copy of `layer` with new arrays (storage types chosen by the caller); keeps `shape` and `scale`. */
function withArrays(layer: LayerTensors, W: FloatArray, b: FloatArray | undefined): LayerTensors {
  return {
    W,
    ...(b !== undefined ? { b } : {}),
    shape: [...layer.shape],
    ...(layer.scale !== undefined ? { scale: layer.scale } : {}),
  };
}

/** A float64 deep copy of an MLP (biases kept absent where absent). */
export function mlpToFloat64(mlp: Mlp): LayerTensors[] {
  return mlp.map((layer) => withArrays(layer, Float64Array.from(layer.W), layer.b ? Float64Array.from(layer.b) : undefined));
}

/** Copy `values` into a fresh array of the same storage type as `like`. */
export function sameStorage(like: FloatArray, values: ArrayLike<number>): FloatArray {
  return like instanceof Float32Array ? Float32Array.from(values) : Float64Array.from(values);
}

/** Build an MLP with the storage types of `like` from float64 layers `src` (same architecture). */
export function mlpLikeStorage(like: Mlp, src: Mlp): LayerTensors[] {
  return src.map((layer, l) => {
    const ref = like[l]!;
    return withArrays(layer, sameStorage(ref.W, layer.W), layer.b && ref.b ? sameStorage(ref.b, layer.b) : undefined);
  });
}

/** σ(z) of the hidden layers. */
export function activate(act: MlpActivation, z: number): number {
  if (act === 'relu') return z < 0 ? 0 : z;
  return act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : Math.tanh(z);
}

/** Pre-activations and hidden activations of a forward pass (row-major over the samples). */
export interface MlpTrace {
  /** `pre[l]` is rows × n_{l+1}: scale·(W h) + b of layer l; the last one is the output f(x). */
  readonly pre: readonly Float64Array[];
  /** `hidden[l]` = σ(pre[l]) for the hidden layers l < L−1. */
  readonly hidden: readonly Float64Array[];
}

/**
 * The one plain-loop forward pass of src/init (float64, no validation: callers validate at their boundary):
 *
 *     h_0 = x,   z_l = scale_l · (W_l h_{l-1}) + b_l,   h_l = σ(z_l) (l < L),   f(x) = z_L.
 *
 * The scale multiplies the sum only, never the bias (the mean-field N^−γ factors).
 */
export function mlpTrace(mlp: Mlp, x: ArrayLike<number>, rows: number, act: MlpActivation = 'relu'): MlpTrace {
  const pre: Float64Array[] = [];
  const hidden: Float64Array[] = [];
  let h: ArrayLike<number> = x;
  for (let l = 0; l < mlp.length; l++) {
    const z = denseForwardRows(h, rows, mlp[l]!);
    pre.push(z);
    if (l === mlp.length - 1) break;
    const a = new Float64Array(z.length);
    for (let k = 0; k < z.length; k++) a[k] = activate(act, z[k]!);
    hidden.push(a);
    h = a;
  }
  return { pre, hidden };
}

/**
 * Forward pass of one input `x` (length n_0), in float64: ReLU on hidden layers, linear output.
 * Returns f(x) (length n_L). Validates the architecture and the input length.
 */
export function mlpForward(mlp: Mlp, x: ArrayLike<number>): Float64Array {
  validateMlp(mlp, 'mlp', false);
  const n0 = layerDims(mlp[0]!)[1];
  if (x.length !== n0) throw new ShapeError(`x must have length mlp[0].shape[1] = ${n0}, got ${x.length}`);
  return mlpTrace(mlp, x, 1).pre[mlp.length - 1]!;
}

/**
 * Batched forward pass: returns the pre-activations of every layer for every sample
 * (`pre[l]` is rows × n_{l+1}, row-major) and the output (`pre[L-1]`).
 */
export function mlpForwardBatch(mlp: Mlp, batch: Batch): Float64Array[] {
  validateMlp(mlp, 'mlp', false);
  const n0 = layerDims(mlp[0]!)[1];
  if (batch.cols !== n0) throw new ShapeError(`batch.cols must equal mlp[0].shape[1] = ${n0}, got ${batch.cols}`);
  return [...mlpTrace(mlp, batch.data, batch.rows).pre];
}

/** z = scale·(h·Wᵀ) + b for `rows` row-major input vectors of length in (plain loops, float64). */
export function denseForwardRows(h: ArrayLike<number>, rows: number, layer: LayerTensors): Float64Array {
  const { W, b } = layer;
  const [out, nin] = layerDims(layer);
  const c = layerScale(layer);
  const z = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    const hoff = r * nin;
    for (let j = 0; j < out; j++) {
      const row = j * nin;
      if (c === 1) {
        let s = b ? b[j]! : 0; // accumulate onto the bias: the summation order of a plain dense layer
        for (let i = 0; i < nin; i++) s += W[row + i]! * h[hoff + i]!;
        z[r * out + j] = s;
      } else {
        let s = 0;
        for (let i = 0; i < nin; i++) s += W[row + i]! * h[hoff + i]!;
        z[r * out + j] = c * s + (b ? b[j]! : 0); // the factor scales the sum only, never the bias
      }
    }
  }
  return z;
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

/** Convert an MLP to registry layer tensors in the requested dtype (shape and scale kept). */
export function mlpToLayerTensors(mlp: Mlp, dtypeOpt: unknown): LayerTensors[] {
  const dtype = resolveDType(dtypeOpt, 'options.dtype');
  const copy = (a: FloatArray): FloatArray => {
    const out = allocate(a.length, dtype);
    out.set(a);
    return out;
  };
  return mlp.map((layer) => withArrays(layer, copy(layer.W), layer.b ? copy(layer.b) : undefined));
}
