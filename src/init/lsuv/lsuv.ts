/**
 * LSUV, layer-sequential unit-variance initialization (docs/schemes/lsuv.md), after D. Mishkin and J. Matas, "All
 * you need is a good init", ICLR 2016, arXiv:1511.06422, and the first author's public code (ducha-aiki/LSUV-pytorch).
 *
 * 1. Every layer starts orthogonal (the `orthogonal` initializer, gain 1: Saxe et al.'s orthonormal pre-init), with
 *    zero biases.
 * 2. Layer by layer, in forward order, on a fixed data batch: a pass computes the layer's output z_l = W_l h_{l−1} + b_l
 *    (the dense layer's output, before the activation) on the batch and its variance v = Var(z_l) over all
 *    batch × unit entries (population variance); if |v − 1| < tol the layer is done, else W_l ← W_l / √v and the
 *    next pass measures again. Every layer, the linear output layer included, is normalized.
 * 3. A layer still out of tolerance after `maxIter` passes, or whose output variance is 0 or not finite (nothing to
 *    rescale), raises an `LsuvConvergenceError` naming the layer, the variance reached and the tolerance.
 *
 * With zero biases one rescale hits v = 1 up to rounding, so a layer normally takes two passes; more are needed only
 * when rounding (float32 storage) meets a tight `tol`. Differences from the sources
 * (docs/schemes/lsuv.md): the authors' PyTorch code tests the standard deviation against its tolerance and also
 * shifts the bias to a zero mean; we use the variance test of the public ports (e.g. torch-lsuv, tol_var 0.1,
 * t_max 10) without the mean shift, keep the batch fixed across passes (torch-lsuv draws one per pass), and raise a
 * typed error where both go on silently. The paper's text was not available: provenance 'derived'.
 *
 * Draw order: layer l draws its orthogonal matrix from stream `createStream(deriveSeed(rng), l)`, as
 * `initializeNetwork('orthogonal', …)` does, so W_l is that matrix times a positive factor.
 */
import { DomainError, NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import { allocate, checkElementCount, resolveDType, type DType, type FloatArray } from '../../core/index.js';
import { orthogonal } from '../classic/orthogonal.js';
import type { InitOptions, LayerTensors } from '../entry.js';
import type { Batch, MlpActivation } from '../support/mlp.js';
import { activate, forwardRows } from '../support/mlp-loops.js';
import { checkedOptions, enumParam, optionKeys, positiveIntParam, rangeParam } from '../support/options.js';
import { checkRng, createStream, deriveSeed, type RandomSource } from '../support/rng.js';

/** Most passes per layer `maxIter` accepts (a bound on the work of a call). */
export const LSUV_MAX_PASSES = 1000;

/** Options of `lsuvInit` and of the `lsuv` registry entry. */
export interface LsuvOptions {
  /** Accept a layer when |Var(z_l) − 1| < tol; in (0, 1), default 0.1 (Tol_var as the ports restate it). */
  readonly tol?: number;
  /** Most passes (forward + variance) per layer; an integer in [1, 1000], default 10 (T_max as the ports restate it). */
  readonly maxIter?: number;
  /** Hidden-layer activation of the forward passes; default 'relu'. */
  readonly activation?: MlpActivation;
  readonly dtype?: DType;
}

/** The keys `lsuvInit` and the `lsuv` entry read. */
export const LSUV_KEYS = optionKeys<LsuvOptions>({ tol: true, maxIter: true, activation: true, dtype: true });

/** `LsuvOptions` with defaults filled in and values checked. */
export interface ResolvedLsuvOptions {
  readonly tol: number;
  readonly maxIter: number;
  readonly activation: MlpActivation;
  readonly dtype: DType;
}

/** Parse the options once, before any work (`fn` names the caller in the unknown-key message). */
export function parseLsuvOptions(options: unknown, fn = 'lsuvInit'): ResolvedLsuvOptions {
  const o = checkedOptions(fn, options as InitOptions | undefined, LSUV_KEYS);
  const maxIter = positiveIntParam('options.maxIter', o['maxIter'], 10);
  if (maxIter > LSUV_MAX_PASSES) throw new DomainError(`options.maxIter must be an integer in [1, ${LSUV_MAX_PASSES}], got ${maxIter}`);
  return {
    tol: rangeParam('options.tol', o['tol'], 0, 1, { dflt: 0.1, openLo: true, openHi: true }),
    maxIter,
    activation: enumParam<MlpActivation>('options.activation', o['activation'], ['relu', 'sigmoid', 'tanh'], 'relu'),
    dtype: resolveDType(o['dtype'], 'options.dtype'),
  };
}

/** A layer LSUV could not bring to unit output variance: which layer, the variance reached, the tolerance. */
export class LsuvConvergenceError extends DomainError {
  /** 0-based index of the layer in forward order. */
  readonly layer: number;
  /** Var(z_l) at the last pass. */
  readonly variance: number;
  readonly tol: number;
  /** Passes made on the layer. */
  readonly passes: number;
  constructor(layer: number, variance: number, tol: number, passes: number) {
    const why = variance === 0 ? ' (the output is constant on the batch: nothing to rescale)' : Number.isFinite(variance) ? '' : ' (not finite)';
    super(
      `LSUV could not bring the output variance of layer ${describe(layer)} to 1 within tol ${describe(tol)}: ` +
        `variance reached ${describe(variance)}${why} after ${describe(passes)} pass(es)`,
    );
    this.layer = layer;
    this.variance = variance;
    this.tol = tol;
    this.passes = passes;
  }
}

/** Result of `lsuvInit`. */
export interface LsuvResult {
  /** The initialized layers (zero biases, no forward scale). */
  readonly layers: LayerTensors[];
  /** Var(z_l) measured at each layer's last pass (within tol of 1). */
  readonly variances: number[];
  /** Passes made per layer (1 … maxIter). */
  readonly passes: number[];
}

/** Population variance of `z` (two passes, float64). */
function populationVariance(z: ArrayLike<number>): number {
  const n = z.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += z[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = z[i]! - mean;
    ss += d * d;
  }
  return ss / n;
}

/** A row-major batch `{ rows, cols, data }` of `cols` = n_0 finite numbers per row (errors name `name`). */
function checkLsuvBatch(batch: unknown, n0: number, name: string): Batch {
  if (typeof batch !== 'object' || batch === null) throw new ShapeError(`${name} must be a batch { rows, cols, data }, got ${describe(batch)}`);
  const { rows, cols, data } = batch as { rows?: unknown; cols?: unknown; data?: unknown };
  const r = positiveIntParam(`${name}.rows`, rows);
  if (cols !== n0) throw new ShapeError(`${name}.cols must equal widths[0] = ${n0}, got ${describe(cols)}`);
  const ok = data instanceof Float32Array || data instanceof Float64Array || (Array.isArray(data) && data.every((v) => typeof v === 'number'));
  if (!ok) throw new ShapeError(`${name}.data must be an array of numbers, a Float32Array or a Float64Array, got ${describe(data)}`);
  const d = data as ArrayLike<number>;
  if (d.length !== r * n0) throw new ShapeError(`${name}.data must hold rows·cols = ${r}·${n0} = ${r * n0} numbers, got ${d.length}`);
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) throw new NonFiniteError(`${name}.data[${i}] must be finite, got ${describe(d[i])}`);
  }
  return { rows: r, cols: n0, data: d };
}

/** The LSUV loop on checked widths and batch and resolved options. */
function lsuvLayers(widths: readonly number[], batch: Batch, rng: RandomSource, o: ResolvedLsuvOptions): LsuvResult {
  const master = deriveSeed(rng);
  const layers: LayerTensors[] = [];
  const variances: number[] = [];
  const passes: number[] = [];
  let h: ArrayLike<number> = batch.data;
  const L = widths.length - 1;
  for (let l = 0; l < L; l++) {
    const shape = [widths[l + 1]!, widths[l]!];
    const W: FloatArray = orthogonal(shape, createStream(master, l), { dtype: o.dtype });
    const layer: LayerTensors = { W, b: allocate(shape[0]!, o.dtype), shape };
    let z: Float64Array;
    let v: number;
    let pass = 0;
    for (;;) {
      pass++;
      z = forwardRows(h, batch.rows, layer);
      v = populationVariance(z);
      if (Math.abs(v - 1) < o.tol) break;
      if (!(v > 0) || !Number.isFinite(v) || pass >= o.maxIter) throw new LsuvConvergenceError(l, v, o.tol, pass);
      const s = 1 / Math.sqrt(v);
      for (let i = 0; i < W.length; i++) W[i] = W[i]! * s;
    }
    layers.push(layer);
    variances.push(v);
    passes.push(pass);
    if (l + 1 < L) {
      for (let i = 0; i < z.length; i++) z[i] = activate(o.activation, z[i]!);
      h = z;
    }
  }
  return { layers, variances, passes };
}

/**
 * LSUV (Mishkin & Matas, "All you need is a good init", ICLR 2016, arXiv:1511.06422; see the module comment) for the MLP `widths` = [n_0, …, n_L] on `batch`
 * (`rows` samples of n_0 features, row-major): orthogonal layers rescaled one after the other until each layer's
 * output variance on the batch is within `tol` of 1. Returns the layers, the variances reached and the passes made.
 * Options are checked first (DomainError naming `options.<key>`), then `widths` and `batch` (ShapeError,
 * NonFiniteError), before any draw; a layer that does not converge raises `LsuvConvergenceError` (a DomainError).
 */
export function lsuvInit(widths: readonly number[], batch: Batch, rng: RandomSource, options?: LsuvOptions): LsuvResult {
  return lsuvResolved(widths, batch, rng, parseLsuvOptions(options));
}

/** `lsuvInit` with resolved options (shared with the registry entry): checks `widths`, `batch`, `rng`, then runs. Internal. */
export function lsuvResolved(widths: readonly number[], batch: Batch, rng: RandomSource, o: ResolvedLsuvOptions): LsuvResult {
  if (!Array.isArray(widths) || widths.length < 2) throw new ShapeError(`widths must be [n_0, …, n_L] with at least one layer (length >= 2), got ${describe(widths)}`);
  const w = widths.map((n: unknown, i) => positiveIntParam(`widths[${i}]`, n));
  const X = checkLsuvBatch(batch, w[0]!, 'batch');
  checkWork(w, X.rows);
  checkRng(rng);
  return lsuvLayers(w, X, rng, o);
}

/** Every array LSUV allocates (W_l, the rows × n_l outputs) within the element limit, before any work. */
function checkWork(widths: readonly number[], rows: number): void {
  for (let l = 1; l < widths.length; l++) {
    checkElementCount(`layer ${l - 1} (widths[${l}]·widths[${l - 1}])`, widths[l]! * widths[l - 1]!);
    checkElementCount(`the outputs of layer ${l - 1} (rows·widths[${l}])`, rows * widths[l]!);
  }
}
