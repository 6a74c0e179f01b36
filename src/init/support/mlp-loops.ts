/**
 * The unchecked loops of the plain-loop reference MLP (support/mlp.ts): for callers that validated their network and
 * input once at their public boundary (`validateMlp`, `checkRows`, …) and then run these many times (SGD steps,
 * layer-by-layer LPS-R). Not exported from `initlab/init`: the public names in mlp.ts check their arguments first,
 * then call these.
 */
import type { FloatArray } from '../../core/index.js';
import type { LayerTensors } from '../entry.js';
import type { Mlp, MlpActivation, MlpTrace } from './mlp.js';

/** `[out, in]` of a dense layer. */
export function dimsOf(layer: LayerTensors): [number, number] {
  return [layer.shape[0] as number, layer.shape[1] as number];
}

/** The forward multiplier of a layer's input sum (1 when `scale` is absent). */
export function scaleOf(layer: LayerTensors): number {
  return layer.scale ?? 1;
}

/** Total number of parameters (weights and existing biases). */
export function countParams(mlp: Mlp): number {
  let p = 0;
  for (const layer of mlp) p += layer.W.length + (layer.b ? layer.b.length : 0);
  return p;
}

/** A copy of `layer` with new arrays (storage types chosen by the caller); keeps `shape` and `scale`. */
export function withArrays(layer: LayerTensors, W: FloatArray, b: FloatArray | undefined): LayerTensors {
  return {
    W,
    ...(b !== undefined ? { b } : {}),
    shape: [...layer.shape],
    ...(layer.scale !== undefined ? { scale: layer.scale } : {}),
  };
}

/** A float64 deep copy of an MLP (biases kept absent where absent). */
export function toFloat64(mlp: Mlp): LayerTensors[] {
  return mlp.map((layer) => withArrays(layer, new Float64Array(layer.W), layer.b ? new Float64Array(layer.b) : undefined));
}

/** Copy `values` into a fresh array of the same storage type as `like`. */
export function storageLike(like: FloatArray, values: ArrayLike<number>): FloatArray {
  // The constructor copies a typed array in one pass; `from` walks the iterator (~10× slower on large layers).
  return like instanceof Float32Array ? new Float32Array(values) : new Float64Array(values);
}

/** An MLP with the storage types of `like` from float64 layers `src` (same architecture). */
export function likeStorage(like: Mlp, src: Mlp): LayerTensors[] {
  return src.map((layer, l) => {
    const ref = like[l]!;
    return withArrays(layer, storageLike(ref.W, layer.W), layer.b && ref.b ? storageLike(ref.b, layer.b) : undefined);
  });
}

/** σ(z) of the hidden layers. */
export function activate(act: MlpActivation, z: number): number {
  if (act === 'relu') return z < 0 ? 0 : z;
  return act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : Math.tanh(z);
}

/** z = scale·(h·Wᵀ) + b for `rows` row-major input vectors of length in (plain loops, float64). */
export function forwardRows(h: ArrayLike<number>, rows: number, layer: LayerTensors): Float64Array {
  const { W, b } = layer;
  const [out, nin] = dimsOf(layer);
  const c = scaleOf(layer);
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

/** The forward pass of `mlpTrace` on checked arguments. */
export function traceRows(mlp: Mlp, x: ArrayLike<number>, rows: number, act: MlpActivation): MlpTrace {
  const pre: Float64Array[] = [];
  const hidden: Float64Array[] = [];
  let h: ArrayLike<number> = x;
  for (let l = 0; l < mlp.length; l++) {
    const z = forwardRows(h, rows, mlp[l]!);
    pre.push(z);
    if (l === mlp.length - 1) break;
    const a = new Float64Array(z.length);
    for (let k = 0; k < z.length; k++) a[k] = activate(act, z[k]!);
    hidden.push(a);
    h = a;
  }
  return { pre, hidden };
}
