/**
 * LPS-R for a whole ReLU MLP (docs/schemes/lps.md): the driver that fits the hidden layers one after the other on
 * the ReLU features of the layers already set up, then draws a He-normal output layer with zero bias (a choice of
 * the reconstruction; the paper's choice is unknown).
 *
 * Draw order (part of the reproducibility contract): hidden layer l (1-based) draws from its own stream
 * `createStream(deriveSeed(rng), l-1)` (the draws of `lpsDense`), the output layer from stream L. The result is
 * data-dependent: it depends on the seed, the batch contents and the batch order. The layers carry no forward
 * `scale` (plain dense layers y = W x + b).
 */
import { ShapeError, assertPositiveInt, describe } from '../../core/errors.js';
import { allocate } from '../../core/index.js';
import type { LayerTensors } from '../entry.js';
import type { Batch } from '../support/mlp.js';
import { forwardRows } from '../support/mlp-loops.js';
import { checkRng, createStream, deriveSeed, type RandomSource } from '../support/rng.js';
import { checkElementCount } from '../../core/index.js';
import { type LpsDenseResult, checkBatch, lpsSolve } from './dense.js';
import { type LpsMlpOptions, type ResolvedLpsMlpOptions, parseLpsMlpOptions } from './options.js';

/** Result of {@link lpsInitMLP}. */
export interface LpsMlpResult {
  /** The initialised network (hidden layers LPS-R, output layer He-normal with zero bias); no forward scale. */
  readonly mlp: LayerTensors[];
  /** Per hidden layer: anchors, scaled targets, scale and k. */
  readonly hidden: Omit<LpsDenseResult, 'W' | 'b'>[];
}

/**
 * LPS-R (reconstruction of the LPS initialization of Chen, Hao & He, arXiv:2109.00125; the algorithm is a
 * reconstruction, not the paper's verified method) for a whole ReLU MLP. `widths = [n_0, N_1, …, N_L, n_out]`;
 * `batch` is B × n_0 (preprocessed as in training). Hidden layer l (1-based) solves
 * w_j·h_{l-1}(x_s) + b_j = t_{s,j} at its anchors on the ReLU features h_{l-1} of the layers already set up, with
 * its own stream `createStream(deriveSeed(rng), l-1)`; the output layer is He-normal N(0, 2/N_L) with zero bias,
 * drawn from stream L. Needs at least one hidden layer.
 * Throws DomainError for bad options (before any work), ShapeError for bad widths or a bad / too small batch,
 * NonFiniteError for non-finite batch entries.
 */
export function lpsInitMLP(widths: readonly number[], batch: Batch, rng: RandomSource, options?: LpsMlpOptions): LpsMlpResult {
  return lpsNetwork(widths, batch, rng, parseLpsMlpOptions(options, 'lpsInitMLP'));
}

/**
 * {@link lpsInitMLP} with resolved options (shared with the registry entries): validates `widths` and `batch`, then
 * fits the network. Internal.
 */
export function lpsNetwork(widths: readonly number[], batch: Batch, rng: RandomSource, o: ResolvedLpsMlpOptions): LpsMlpResult {
  if (!Array.isArray(widths) || widths.length < 3) {
    throw new ShapeError(`widths must list [n_0, N_1, …, n_out] with at least one hidden layer (length >= 3), got ${describe(widths)}`);
  }
  widths.forEach((w, i) => assertPositiveInt(`widths[${i}]`, w));
  // every array LPS allocates (W_l, the B × N_l features) within the element limit, before any work
  for (let l = 1; l < widths.length; l++) {
    checkElementCount(`layer ${l} (widths[${l}]·widths[${l - 1}] = ${widths[l]}·${widths[l - 1]})`, widths[l]! * widths[l - 1]!);
  }
  checkRng(rng);
  const X = checkBatch(batch, 'batch');
  for (let l = 1; l < widths.length; l++) checkElementCount(`the features of layer ${l} (batch.rows·widths[${l}] = ${X.rows}·${widths[l]})`, X.rows * widths[l]!);
  if (X.cols !== widths[0]) throw new ShapeError(`batch.cols must equal widths[0] = ${widths[0]}, got ${X.cols}`);
  let need = 1;
  for (let l = 1; l < widths.length - 1; l++) need = Math.max(need, o.kMax === null ? widths[l - 1]! + 1 : Math.min(widths[l - 1]! + 1, o.kMax));
  if (X.rows < need && !o.allowSmallBatch) {
    throw new ShapeError(
      `batch is too small: LPS-R needs at least ${need} samples (max over hidden layers of min(fan_in + 1, kMax)), got ${X.rows}; ` +
        'pass allowSmallBatch: true to accept under-determined layers',
    );
  }
  const master = deriveSeed(rng);
  const mlp: LayerTensors[] = [];
  const hidden: Omit<LpsDenseResult, 'W' | 'b'>[] = [];
  let feats: Batch = X;
  const nHidden = widths.length - 2;
  for (let l = 1; l <= nHidden; l++) {
    const { W, b, ...info } = lpsSolve(feats, widths[l]!, createStream(master, l - 1), o);
    const layer: LayerTensors = { W, b, shape: [widths[l]!, widths[l - 1]!] };
    mlp.push(layer);
    hidden.push(info);
    const z = forwardRows(feats.data, feats.rows, layer);
    for (let i = 0; i < z.length; i++) if (z[i]! < 0) z[i] = 0;
    feats = { rows: feats.rows, cols: widths[l]!, data: z };
  }
  const nIn = widths[nHidden]!;
  const nOut = widths[nHidden + 1]!;
  const orng = createStream(master, nHidden);
  const std = Math.sqrt(2 / nIn);
  const W = allocate(nOut * nIn, o.dtype);
  for (let i = 0; i < W.length; i++) W[i] = std * orng.nextNormal();
  mlp.push({ W, b: allocate(nOut, o.dtype), shape: [nOut, nIn] });
  return { mlp, hidden };
}
