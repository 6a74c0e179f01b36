/**
 * Plain-loop ReLU multilayer perceptrons shared by the path-lifting, PathCond, ENorm and LPS-R modules.
 *
 * An MLP is an array of dense layers in the PyTorch layout: layer l maps n_{l-1} inputs to n_l outputs with a
 * row-major weight `W` of shape `[out, in]` and an optional bias `b` of length `out`. Hidden layers use ReLU, the
 * last layer is linear (spec/path_lifting_rescaling.md §1):
 *
 *     h_0 = x,   h_l = ReLU(W_l h_{l-1} + b_l)  (l < L),   f(x) = W_L h_{L-1} + b_L.
 *
 * Everything here is dependency-free and pure: functions never modify their arguments.
 * Arithmetic is float64; storage may be Float32Array or Float64Array.
 */
import { NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import type { LayerTensors } from '../entry.js';
import { allocate, resolveDType } from '../../core/index.js';

/** Storage of MLP parameters. */
export type MlpArray = Float32Array | Float64Array;

/** One dense layer: `W` is `[out, in]` row-major, `b` (optional) has length `out`. */
export interface DenseLayer {
  readonly out: number;
  readonly in: number;
  readonly W: MlpArray;
  readonly b?: MlpArray;
}

/** A ReLU MLP: hidden layers ReLU, last layer linear. At least one layer. */
export type Mlp = readonly DenseLayer[];

/** A row-major batch of samples: `rows` samples of `cols` features each. */
export interface Batch {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

/** Layer widths [n_0, n_1, …, n_L] of a validated MLP. */
export function mlpWidths(mlp: Mlp): number[] {
  const w = [mlp[0]!.in];
  for (const layer of mlp) w.push(layer.out);
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
  for (let l = 0; l < mlp.length - 1; l++) h += mlp[l]!.out;
  return h;
}

/**
 * Validate an MLP: a non-empty array of layers with positive integer sizes, `W.length = out·in`,
 * `b.length = out`, consecutive layers chaining (`mlp[l].in === mlp[l-1].out`) and, unless
 * `checkFinite` is false, only finite entries. Errors name `name` and the offending layer.
 */
export function validateMlp(mlp: unknown, name = 'mlp', checkFinite = true): asserts mlp is Mlp {
  if (!Array.isArray(mlp) || mlp.length === 0) {
    throw new ShapeError(`${name} must be a non-empty array of layers {W, b?, out, in}, got ${describe(mlp)}`);
  }
  for (let l = 0; l < mlp.length; l++) {
    const layer: unknown = mlp[l];
    const where = `${name}[${l}]`;
    if (typeof layer !== 'object' || layer === null) throw new ShapeError(`${where} must be a layer object, got ${describe(layer)}`);
    const { out, in: nin, W, b } = layer as { out: unknown; in: unknown; W: unknown; b?: unknown };
    for (const [k, v] of [['out', out], ['in', nin]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
        throw new ShapeError(`${where}.${k} must be a positive integer, got ${describe(v)}`);
      }
    }
    const o = out as number;
    const i = nin as number;
    if (!(W instanceof Float64Array || W instanceof Float32Array)) {
      throw new ShapeError(`${where}.W must be a Float64Array or Float32Array, got ${describe(W)}`);
    }
    if (W.length !== o * i) throw new ShapeError(`${where}.W must have out·in = ${o}·${i} = ${o * i} entries, got ${W.length}`);
    if (b !== undefined) {
      if (!(b instanceof Float64Array || b instanceof Float32Array)) {
        throw new ShapeError(`${where}.b must be a Float64Array, Float32Array or undefined, got ${describe(b)}`);
      }
      if (b.length !== o) throw new ShapeError(`${where}.b must have out = ${o} entries, got ${b.length}`);
    }
    if (l > 0) {
      const prev = (mlp[l - 1] as DenseLayer).out;
      if (i !== prev) {
        throw new ShapeError(`${where}.in must equal ${name}[${l - 1}].out = ${prev} (consecutive layers must chain), got ${i}`);
      }
    }
    if (checkFinite) {
      for (let k = 0; k < W.length; k++) {
        if (!Number.isFinite(W[k]!)) {
          throw new NonFiniteError(`${where}.W[${Math.floor(k / i)}, ${k % i}] must be finite, got ${describe(W[k])}`);
        }
      }
      if (b !== undefined) {
        const bb = b as MlpArray;
        for (let k = 0; k < bb.length; k++) {
          if (!Number.isFinite(bb[k]!)) throw new NonFiniteError(`${where}.b[${k}] must be finite, got ${describe(bb[k])}`);
        }
      }
    }
  }
}

/** A float64 deep copy of an MLP (biases kept absent where absent). */
export function mlpToFloat64(mlp: Mlp): DenseLayer[] {
  return mlp.map((layer) => {
    const copy: DenseLayer = layer.b
      ? { out: layer.out, in: layer.in, W: Float64Array.from(layer.W), b: Float64Array.from(layer.b) }
      : { out: layer.out, in: layer.in, W: Float64Array.from(layer.W) };
    return copy;
  });
}

/** Copy `values` into a fresh array of the same storage type as `like`. */
export function sameStorage(like: MlpArray, values: ArrayLike<number>): MlpArray {
  return like instanceof Float32Array ? Float32Array.from(values as ArrayLike<number>) : Float64Array.from(values as ArrayLike<number>);
}

/** Build an MLP with the storage types of `like` from float64 layers `src` (same architecture). */
export function mlpLikeStorage(like: Mlp, src: readonly DenseLayer[]): DenseLayer[] {
  return src.map((layer, l) => {
    const ref = like[l]!;
    const W = sameStorage(ref.W, layer.W);
    return layer.b && ref.b ? { out: layer.out, in: layer.in, W, b: sameStorage(ref.b, layer.b) } : { out: layer.out, in: layer.in, W };
  });
}

/**
 * Forward pass of one input `x` (length n_0), in float64: ReLU on hidden layers, linear output.
 * Returns f(x) (length n_L). Validates the architecture and the input length.
 */
export function mlpForward(mlp: Mlp, x: ArrayLike<number>): Float64Array {
  validateMlp(mlp, 'mlp', false);
  if (x.length !== mlp[0]!.in) throw new ShapeError(`x must have length mlp[0].in = ${mlp[0]!.in}, got ${x.length}`);
  let h = Float64Array.from(x);
  for (let l = 0; l < mlp.length; l++) {
    const { W, b, out, in: nin } = mlp[l]!;
    const next = new Float64Array(out);
    const hidden = l < mlp.length - 1;
    for (let j = 0; j < out; j++) {
      let s = b ? b[j]! : 0;
      const row = j * nin;
      for (let i = 0; i < nin; i++) s += W[row + i]! * h[i]!;
      next[j] = hidden && s < 0 ? 0 : s;
    }
    h = next;
  }
  return h;
}

/**
 * Batched forward pass: returns the pre-activations of every layer for every sample
 * (`pre[l]` is rows × mlp[l].out, row-major) and the output (`pre[L-1]`).
 */
export function mlpForwardBatch(mlp: Mlp, batch: Batch): Float64Array[] {
  validateMlp(mlp, 'mlp', false);
  if (batch.cols !== mlp[0]!.in) throw new ShapeError(`batch.cols must equal mlp[0].in = ${mlp[0]!.in}, got ${batch.cols}`);
  const pre: Float64Array[] = [];
  let h: ArrayLike<number> = batch.data;
  for (let l = 0; l < mlp.length; l++) {
    const layer = mlp[l]!;
    const z = denseForwardRows(h, batch.rows, layer);
    pre.push(z);
    if (l < mlp.length - 1) {
      const a = new Float64Array(z.length);
      for (let k = 0; k < z.length; k++) a[k] = z[k]! > 0 ? z[k]! : 0;
      h = a;
    }
  }
  return pre;
}

/** z = h·Wᵀ + b for `rows` row-major input vectors of length layer.in (plain loops, float64). */
export function denseForwardRows(h: ArrayLike<number>, rows: number, layer: DenseLayer): Float64Array {
  const { W, b, out, in: nin } = layer;
  const z = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    const hoff = r * nin;
    for (let j = 0; j < out; j++) {
      let s = b ? b[j]! : 0;
      const row = j * nin;
      for (let i = 0; i < nin; i++) s += W[row + i]! * h[hoff + i]!;
      z[r * out + j] = s;
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

/** Convert a float64 MLP to registry layer tensors in the requested dtype. */
export function mlpToLayerTensors(mlp: readonly DenseLayer[], dtypeOpt: unknown): LayerTensors[] {
  const dtype = resolveDType(dtypeOpt);
  return mlp.map((layer) => {
    const W = allocate(layer.W.length, dtype);
    W.set(layer.W);
    const shape = [layer.out, layer.in];
    if (!layer.b) return { W, shape };
    const b = allocate(layer.out, dtype);
    b.set(layer.b);
    return { W, b, shape };
  });
}
