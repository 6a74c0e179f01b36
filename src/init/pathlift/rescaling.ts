/**
 * Neuron-wise rescaling T_λ of a ReLU MLP and its log-parametrisation λ = exp(z/2) (docs/schemes/pathlift.md).
 *
 * Sources: Lebeurrier, Vayer & Gribonval, "Path-conditioned training" (arXiv:2602.19799) and their code
 * `Artim436/pathcond` (`reweight_model_inplace`). Every function rejects a layer with a forward `scale` ≠ 1
 * (DomainError naming the layer; see `plain.ts`).
 */
import { DomainError, NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import type { LayerTensors } from '../entry.js';
import type { Mlp } from '../support/mlp.js';
import { countParams, likeStorage } from '../support/mlp-loops.js';
import { validatePlainMlp } from './plain.js';

/** Per-layer scales, one array per hidden layer: `scales[l-1]` has length n_l for l = 1..L-1. */
export type NeuronScales = readonly ArrayLike<number>[];

/** Validate per-hidden-neuron values: one array per hidden layer with the layer's width (internal). */
export function checkScales(mlp: Mlp, scales: unknown, name: string, positive: boolean): asserts scales is NeuronScales {
  const L = mlp.length;
  if (!Array.isArray(scales) || scales.length !== L - 1) {
    throw new ShapeError(`${name} must be an array of ${L - 1} per-hidden-layer arrays, got ${describe(scales)}`);
  }
  for (let l = 0; l < L - 1; l++) {
    const s: unknown = scales[l];
    const n = mlp[l]!.shape[0];
    if (typeof s !== 'object' || s === null || typeof (s as ArrayLike<number>).length !== 'number') {
      throw new ShapeError(`${name}[${l}] must be an array of length ${n}, got ${describe(s)}`);
    }
    const arr = s as ArrayLike<number>;
    if (arr.length !== n) throw new ShapeError(`${name}[${l}] must have length mlp[${l}].shape[0] = ${n}, got ${arr.length}`);
    for (let j = 0; j < n; j++) {
      const x = arr[j];
      if (typeof x !== 'number' || !Number.isFinite(x) || (positive && x <= 0)) {
        throw new DomainError(`${name}[${l}][${j}] must be a finite${positive ? ' positive' : ''} number, got ${describe(x)}`);
      }
    }
  }
}

/**
 * Neuron-wise rescaling T_λ (docs/schemes/pathlift.md), function-preserving for ReLU MLPs:
 *
 *     W_l[j,i] ← (λ_{l,j} / λ_{l-1,i}) · W_l[j,i],     b_l[j] ← λ_{l,j} · b_l[j],     λ_{0,·} = λ_{L,·} = 1.
 *
 * `lambda[l-1]` holds λ_{l,·} for hidden layer l = 1..L-1. Returns a new MLP with the storage types of `mlp`.
 */
export function applyNeuronRescaling(mlp: Mlp, lambda: NeuronScales): LayerTensors[] {
  validatePlainMlp(mlp);
  checkScales(mlp, lambda, 'lambda', true);
  return likeStorage(mlp, rescaleF64(mlp, (l, j) => lambda[l]![j]!));
}

/** The inverse T_λ⁻¹ = T_{1/λ}: undoes {@link applyNeuronRescaling} with the same λ. */
export function invertNeuronRescaling(mlp: Mlp, lambda: NeuronScales): LayerTensors[] {
  validatePlainMlp(mlp);
  checkScales(mlp, lambda, 'lambda', true);
  return likeStorage(mlp, rescaleF64(mlp, (l, j) => 1 / lambda[l]![j]!));
}

/**
 * Rescaling in the log-parametrisation of the pathcond code (docs/schemes/pathlift.md): λ_h = exp(z_h / 2), i.e.
 * θ'_i = θ_i · exp(−(Bz)_i / 2). `z[l-1]` holds z_{l,·} for hidden layer l.
 */
export function applyLogRescaling(mlp: Mlp, z: NeuronScales): LayerTensors[] {
  validatePlainMlp(mlp);
  checkScales(mlp, z, 'z', false);
  return logRescaled(mlp, z);
}

/** {@link applyLogRescaling} of a validated plain network and validated z (internal: PathCond reuses it). */
export function logRescaled(mlp: Mlp, z: NeuronScales): LayerTensors[] {
  return likeStorage(mlp, rescaleF64(mlp, (l, j) => Math.exp(z[l]![j]! / 2)));
}

/**
 * Per-hidden-layer values without a network to match: an array of arrays (or Float64Array / Float32Array) of finite
 * numbers, positive when `positive` (DomainError / ShapeError naming `name[l][j]`).
 */
function checkScaleList(value: unknown, name: string, positive: boolean): asserts value is NeuronScales {
  if (!Array.isArray(value)) throw new ShapeError(`${name} must be an array of per-hidden-layer arrays, got ${describe(value)}`);
  value.forEach((s: unknown, l) => {
    if (!(Array.isArray(s) || s instanceof Float64Array || s instanceof Float32Array)) {
      throw new ShapeError(`${name}[${l}] must be an array of numbers or a Float64Array / Float32Array, got ${describe(s)}`);
    }
    for (let j = 0; j < s.length; j++) {
      const x: unknown = s[j];
      if (typeof x !== 'number' || !Number.isFinite(x) || (positive && x <= 0)) {
        throw new DomainError(`${name}[${l}][${j}] must be a finite${positive ? ' positive' : ''} number, got ${describe(x)}`);
      }
    }
  });
}

/** λ = exp(z/2) per hidden neuron; z finite with λ representable (z ≤ 2·709.78; NonFiniteError past it). */
export function logScalesToLambda(z: NeuronScales): Float64Array[] {
  checkScaleList(z, 'z', false);
  return z.map((zl, l) => {
    const out = Float64Array.from(zl, (x) => Math.exp(x / 2));
    out.forEach((v, j) => {
      if (v === Infinity) throw new NonFiniteError(`z[${l}][${j}] = ${zl[j]} gives λ = exp(z/2) beyond float64 (z must be <= 1419.56)`);
    });
    return out;
  });
}

/** z = 2·log λ per hidden neuron; λ finite and positive. */
export function lambdaToLogScales(lambda: NeuronScales): Float64Array[] {
  checkScaleList(lambda, 'lambda', true);
  return lambda.map((ll) => Float64Array.from(ll, (x) => 2 * Math.log(x)));
}

/**
 * The exponent vector Bz in flat parameter order (docs/schemes/pathlift.md): at W_l[j,i] it is z_{l-1,i} − z_{l,j}, at b_l[j] it
 * is −z_{l,j}; output-layer biases and z_0 = z_L = 0 contribute nothing. Then θ' = θ ∘ exp(−Bz/2) and
 * g(θ') = g(θ) ∘ exp(Bz).
 */
export function rescalingExponents(mlp: Mlp, z: NeuronScales): Float64Array {
  validatePlainMlp(mlp, 'mlp', false);
  checkScales(mlp, z, 'z', false);
  return exponents(mlp, z);
}

/** {@link rescalingExponents} of a validated network and validated z (internal: the PathCond objective reuses it). */
export function exponents(mlp: Mlp, z: NeuronScales): Float64Array {
  const L = mlp.length;
  const out = new Float64Array(countParams(mlp));
  let off = 0;
  for (let l = 0; l < L; l++) {
    const { b, shape: [n, nin] } = mlp[l]!;
    const zin = l > 0 ? z[l - 1]! : undefined;
    const zout = l < L - 1 ? z[l]! : undefined;
    for (let j = 0; j < n; j++) {
      const zo = zout ? zout[j]! : 0;
      for (let i = 0; i < nin; i++) out[off + j * nin + i] = (zin ? zin[i]! : 0) - zo;
    }
    off += n * nin;
    if (b) {
      for (let j = 0; j < n; j++) out[off + j] = zout ? -zout[j]! : 0;
      off += n;
    }
  }
  return out;
}

/** Float64 rescaled copy; `lam(l, j)` gives λ of neuron j of hidden layer l+1 (0-based l < L-1). */
function rescaleF64(mlp: Mlp, lam: (l: number, j: number) => number): LayerTensors[] {
  const L = mlp.length;
  return mlp.map((layer, l) => {
    const { b, shape: [out, nin] } = layer;
    const W = new Float64Array(out * nin);
    for (let j = 0; j < out; j++) {
      const lo = l < L - 1 ? lam(l, j) : 1;
      for (let i = 0; i < nin; i++) {
        const li = l > 0 ? lam(l - 1, i) : 1;
        W[j * nin + i] = (layer.W[j * nin + i]! * lo) / li;
      }
    }
    const kept = layer.scale !== undefined ? { scale: layer.scale } : {}; // only scale 1 gets here (validatePlainMlp)
    if (!b) return { W, shape: [out, nin], ...kept };
    const nb = new Float64Array(out);
    for (let j = 0; j < out; j++) nb[j] = b[j]! * (l < L - 1 ? lam(l, j) : 1);
    return { W, b: nb, shape: [out, nin], ...kept };
  });
}
