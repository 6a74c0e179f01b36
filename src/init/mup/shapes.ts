/**
 * μP bookkeeping for an MLP (docs/schemes/mup.md): which dimensions of each tensor are "width" dimensions, the
 * width multipliers m_l = N_l / B_l, the infshape class of each weight and bias, and the per-tensor learning rates
 * of MuSGD / MuAdam. After Yang, Hu et al., "Tensor Programs V: Tuning Large Neural Networks via Zero-Shot
 * Hyperparameter Transfer", arXiv:2203.03466, and their package `mup` (github.com/microsoft/mup: infshape.py,
 * optim.py, layer.py, shape.py), whose rules were read in the source [verified].
 *
 * An MLP `widths = [d_in, N_1, …, N_L, d_out]` (L ≥ 1 hidden layers) with base widths `[B_1, …, B_L]`: the hidden
 * dimensions N_l are width ("infinite") dimensions, d_in and d_out are finite. Layer l (0-based, forward order) has
 * the weight [out, in] and the bias [out]:
 *
 * | tensor | infshape | class | width_mult (mup) | fan-in / fan-out mults |
 * |---|---|---|---|---|
 * | input weight W_0 [N_1, d_in] | (inf, fin) | vector-like | m_1 | 1 / m_1 |
 * | hidden weight W_l [N_{l+1}, N_l] | (inf, inf) | matrix-like | m_l (its fan-in) | m_l / m_{l+1} |
 * | readout weight W_L [d_out, N_L] | (fin, inf) | vector-like | m_L | m_L / 1 |
 * | hidden bias b_l [N_{l+1}] | (inf) | vector-like | m_{l+1} | — |
 * | readout bias b_L [d_out] | (fin) | scalar-like (no width dim) | 1 | — |
 *
 * (mup's `InfShape.width_mult()` is the multiplier of the last width dimension, which for a 2-D weight [out, in] with
 * both dimensions wide is the fan-in.) A hidden dimension is a width dimension even where N_l = B_l (mup's
 * `make_base_shapes` convention with a delta model): the multipliers are then 1 and nothing changes.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { enumParam, positiveIntParam, positiveParam } from '../support/options.js';

/** The μP class of a tensor: its number of width dimensions (2, 1, 0), as MuSGD / MuAdam sort parameters. */
export type MupClass = 'matrix-like' | 'vector-like' | 'scalar-like';

/** One tensor's infshape summary. */
export interface MupTensorShape {
  /** 'inf' (width) or 'fin' per dimension, PyTorch order ([out, in] for a weight). */
  readonly dims: readonly ('inf' | 'fin')[];
  readonly kind: MupClass;
  /** mup's `width_mult()`: the multiplier of the last width dimension (1 when there is none). */
  readonly widthMult: number;
  /** fan-in multiplier / fan-out multiplier (weights only; 1 for a finite dimension). */
  readonly fanInOverFanOut?: number;
}

/** The infshape of layer l's weight and bias. */
export interface MupLayerShapes {
  readonly W: MupTensorShape;
  readonly b: MupTensorShape;
}

/** Per-tensor learning rates of one layer. */
export interface MupLayerRates {
  /** Learning rate of the weight. */
  readonly W: number;
  /** Learning rate of the bias. */
  readonly b: number;
}

/** The optimizer family whose μP rule is wanted: MuSGD ('sgd') or MuAdam / MuAdamW ('adam'). */
export type MupOptimizer = 'sgd' | 'adam';
const OPTIMIZERS: readonly MupOptimizer[] = ['sgd', 'adam'];

/** Base widths: one number for every hidden layer, or one per hidden layer [B_1, …, B_L]. */
export type MupBaseWidths = number | readonly number[];

/** Widths of an MLP for μP: at least one hidden layer, positive integers (ShapeError / DomainError naming `name[i]`). */
export function checkMupWidths(widths: unknown, name = 'widths'): number[] {
  if (!Array.isArray(widths) || widths.length < 3) {
    throw new ShapeError(`${name} must be [d_in, N_1, …, N_L, d_out] with at least one hidden layer (length >= 3), got ${describe(widths)}`);
  }
  return widths.map((w: unknown, i) => positiveIntParam(`${name}[${i}]`, w));
}

/** Most hidden layers `checkMupBaseWidths` accepts (a bound on the arrays it allocates). */
const MAX_HIDDEN_LAYERS = 1_000_000;

/**
 * Base widths [B_1, …, B_L] for `L` hidden layers (an integer in [1, 10^6]): a positive integer (all layers) or an array of L of them
 * (ShapeError for a wrong length, DomainError naming `name` or `name[i]` otherwise).
 */
export function checkMupBaseWidths(base: unknown, L: number, name = 'baseWidths'): number[] {
  positiveIntParam('L (hidden layers)', L);
  if (L > MAX_HIDDEN_LAYERS) throw new DomainError(`L (hidden layers) must be at most ${MAX_HIDDEN_LAYERS}, got ${L}`);
  if (typeof base === 'number') return new Array<number>(L).fill(positiveIntParam(name, base));
  if (!Array.isArray(base)) throw new DomainError(`${name} must be a positive integer or an array of ${L} (one per hidden layer), got ${describe(base)}`);
  if (base.length !== L) throw new ShapeError(`${name} must hold one base width per hidden layer (${L}), got ${describe(base)}`);
  return base.map((b: unknown, i) => positiveIntParam(`${name}[${i}]`, b));
}

/** Width multipliers [1, m_1, …, m_L, 1] aligned with `widths` (finite ends get 1). Checked arguments. */
export function multipliersOf(widths: readonly number[], base: readonly number[]): number[] {
  return widths.map((n, i) => (i === 0 || i === widths.length - 1 ? 1 : n / base[i - 1]!));
}

function layerShapes(m: readonly number[], l: number): MupLayerShapes {
  const last = m.length - 2; // index of the readout layer
  const inWide = l > 0;
  const outWide = l < last;
  const dims: ('inf' | 'fin')[] = [outWide ? 'inf' : 'fin', inWide ? 'inf' : 'fin'];
  const ninf = (outWide ? 1 : 0) + (inWide ? 1 : 0);
  const fanInMult = m[l]!;
  const fanOutMult = m[l + 1]!;
  const W: MupTensorShape = {
    dims,
    kind: ninf === 2 ? 'matrix-like' : ninf === 1 ? 'vector-like' : 'scalar-like',
    widthMult: inWide ? fanInMult : outWide ? fanOutMult : 1,
    fanInOverFanOut: fanInMult / fanOutMult,
  };
  const b: MupTensorShape = outWide
    ? { dims: ['inf'], kind: 'vector-like', widthMult: fanOutMult }
    : { dims: ['fin'], kind: 'scalar-like', widthMult: 1 };
  return { W, b };
}

/**
 * The infshape of every weight and bias of the MLP `widths` = [d_in, N_1, …, N_L, d_out] with `baseWidths`
 * (see the table of the module comment) [verified: mup/infshape.py `InfShape.width_mult`, `ninf`,
 * `fanin_fanout_mult_ratio`].
 */
export function mupInfShapes(widths: readonly number[], baseWidths: MupBaseWidths): MupLayerShapes[] {
  const w = checkMupWidths(widths);
  const m = multipliersOf(w, checkMupBaseWidths(baseWidths, w.length - 2));
  return w.slice(1).map((_, l) => layerShapes(m, l));
}

/** The rate of one tensor under MuSGD / MuAdam, from its infshape. */
function rateOf(s: MupTensorShape, optimizer: MupOptimizer, lr: number): number {
  if (optimizer === 'adam') return s.kind === 'matrix-like' ? lr / s.widthMult : lr;
  if (s.kind === 'matrix-like') return lr / s.fanInOverFanOut!;
  return s.kind === 'vector-like' ? lr * s.widthMult : lr;
}

/** `mupLearningRates` on checked arguments (widths, multipliers). */
export function ratesFromMultipliers(m: readonly number[], optimizer: MupOptimizer, baseLr: number): MupLayerRates[] {
  return m.slice(1).map((_, l) => {
    const s = layerShapes(m, l);
    return { W: rateOf(s.W, optimizer, baseLr), b: rateOf(s.b, optimizer, baseLr) };
  });
}

/**
 * Per-layer learning rates of MuSGD / MuAdam (mup/optim.py) [verified], forward order, for the MLP `widths` =
 * [d_in, N_1, …, N_L, d_out] with base widths B_l and m_l = N_l / B_l:
 *
 *     MuSGD ('sgd'):   matrix-like lr·m_{l+1}/m_l (lr ÷ fan-in/fan-out mult),   vector-like lr·width_mult,
 *                      scalar-like lr
 *       → W_0: lr·m_1,   hidden W_l: lr·m_{l+1}/m_l,   readout W_L: lr·m_L,   b_l: lr·m_{l+1},   readout b: lr
 *     MuAdam ('adam'): matrix-like lr/width_mult = lr/m_l (its fan-in),   everything else lr
 *
 * `baseLr` is the rate tuned at the base widths (where every m = 1 and every rate is baseLr). Weight-decay scaling
 * (which mup applies alongside unless `decoupled_wd`) is not returned. Errors: ShapeError / DomainError naming
 * `widths[i]`, `baseWidths`, `optimizer`, `baseLr`.
 */
export function mupLearningRates(widths: readonly number[], baseWidths: MupBaseWidths, optimizer: MupOptimizer, baseLr: number): MupLayerRates[] {
  const w = checkMupWidths(widths);
  const base = checkMupBaseWidths(baseWidths, w.length - 2);
  const opt = enumParam('optimizer', optimizer, OPTIMIZERS);
  const lr = positiveParam('baseLr', baseLr);
  return ratesFromMultipliers(multipliersOf(w, base), opt, lr);
}
