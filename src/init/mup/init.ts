/**
 * μP initialization of a ReLU MLP (docs/schemes/mup.md), as the `mup` package sets up a model built from
 * `nn.Linear` layers and a `MuReadout` output layer after `set_base_shapes(model, base)` (mup/layer.py, mup/shape.py)
 * [verified where marked], with He-normal draws as the fan-in initialization it assumes [derived: our choice of
 * distribution].
 *
 * For `widths = [d_in, N_1, …, N_L, d_out]`, base widths B_l and m_L = N_L / B_L:
 *
 *     hidden layers l < L (input and matrix-like weights):  W_l ~ N(0, gain²/fan_in),   b_l = 0,   no scale
 *     readout W_L [d_out, N_L]:  W_L ~ N(0, gain²/N_L)·√m_L = N(0, gain²/B_L)   (or 0 with readoutZeroInit),
 *                                b_L = 0,   forward scale outputMult / m_L
 *
 * so y = (outputMult/m_L)·W_L h + b_L. What mup does [verified]: hidden `nn.Linear` weights keep the fan-in
 * initialization they were drawn with (set_base_shapes rescales only their biases, by √(fan-in mult)); `MuReadout`
 * multiplies its weight (and bias) by √width_mult once (`_rescale_parameters`) and computes
 * `Linear(output_mult · x / width_mult)`; `readout_zero_init=True` zeroes its weight and bias instead (the MLP example
 * zeroes the readout weight by hand). Our biases are zeros (the MLP example has none), so the bias rescale is moot.
 * At N_l = B_l every multiplier is 1 and the draws are those of the `kaiming_normal` entry (gain √2, stream l).
 *
 * Draw order: layer l draws its weight row-major from stream `createStream(deriveSeed(rng), l)`, as
 * `initializeNetwork` does for a per-tensor scheme; a zero readout draws nothing.
 */
import { allocate, checkElementCount, resolveDType, type DType } from '../../core/index.js';
import type { InitOptions, LayerTensors } from '../entry.js';
import { booleanParam, checkedOptions, optionKeys, positiveParam } from '../support/options.js';
import { checkRng, createStream, deriveSeed, type RandomSource } from '../support/rng.js';
import { fillNormal } from '../support/sampling.js';
import { checkMupBaseWidths, checkMupWidths, multipliersOf, type MupBaseWidths } from './shapes.js';

/** Base width used when none is given: the width of the base model of the package's MLP example (width64.bsh). */
export const MUP_DEFAULT_BASE_WIDTH = 64;

/** Options of `mupInit` and of the `mup` registry entry. */
export interface MupOptions {
  /** B_l: one base width for every hidden layer, or one per hidden layer; default 64 (MUP_DEFAULT_BASE_WIDTH). */
  readonly baseWidth?: MupBaseWidths;
  /** g of the fan-in draws N(0, g²/fan_in), > 0; default √2 (He, for ReLU). The package's MLP example uses 1. */
  readonly gain?: number;
  /** Zero the readout weight (MuReadout's `readout_zero_init`); default false, MuReadout's default. */
  readonly readoutZeroInit?: boolean;
  /** MuReadout's `output_mult`, > 0; default 1. */
  readonly outputMult?: number;
  readonly dtype?: DType;
}

/** The keys `mupInit` and the `mup` entry read. */
export const MUP_KEYS = optionKeys<MupOptions>({ baseWidth: true, gain: true, readoutZeroInit: true, outputMult: true, dtype: true });

/** `MupOptions` resolved against a network of `L` hidden layers. */
export interface ResolvedMupOptions {
  readonly baseWidths: readonly number[];
  readonly gain: number;
  readonly readoutZeroInit: boolean;
  readonly outputMult: number;
  readonly dtype: DType;
}

/** Parse `options` once, for `L` hidden layers (`fn` names the caller in the unknown-key message). */
export function parseMupOptions(options: unknown, L: number, fn = 'mupInit'): ResolvedMupOptions {
  const o = checkedOptions(fn, options as InitOptions | undefined, MUP_KEYS);
  return {
    baseWidths: checkMupBaseWidths(o['baseWidth'] ?? MUP_DEFAULT_BASE_WIDTH, L, 'options.baseWidth'),
    gain: positiveParam('options.gain', o['gain'], Math.SQRT2),
    readoutZeroInit: booleanParam('options.readoutZeroInit', o['readoutZeroInit'], false),
    outputMult: positiveParam('options.outputMult', o['outputMult'], 1),
    dtype: resolveDType(o['dtype'], 'options.dtype'),
  };
}

/** `mupInit` on checked widths and resolved options. Internal (the entry shares it). */
export function mupLayers(widths: readonly number[], rng: RandomSource, o: ResolvedMupOptions): LayerTensors[] {
  const m = multipliersOf(widths, o.baseWidths);
  const master = deriveSeed(rng);
  const last = widths.length - 2;
  return widths.slice(1).map((out, l) => {
    const inp = widths[l]!;
    const W = allocate(out * inp, o.dtype);
    const b = allocate(out, o.dtype);
    // gain² first, as the kaiming_normal entry computes its variance: bit-identical draws at the base widths
    const std = Math.sqrt((o.gain * o.gain) / inp);
    if (l < last) return { W: fillNormal(W, createStream(master, l), 0, std), b, shape: [out, inp] };
    if (!o.readoutZeroInit) fillNormal(W, createStream(master, l), 0, std * Math.sqrt(m[l]!));
    return { W, b, shape: [out, inp], scale: o.outputMult / m[l]! };
  });
}

/**
 * μP initialization of the MLP `widths` = [d_in, N_1, …, N_L, d_out] (see the module comment): hidden weights
 * N(0, gain²/fan_in), the readout N(0, gain²/B_L) (or zero) with forward `scale` outputMult·B_L/N_L, zero biases.
 * Pair it with `mupLearningRates` (or `mupLrGroups` in initlab/nn). Errors name `widths[i]` and `options.<key>`,
 * before any draw.
 */
export function mupInit(widths: readonly number[], rng: RandomSource, options?: MupOptions): LayerTensors[] {
  const w = checkMupWidths(widths);
  const o = parseMupOptions(options, w.length - 2);
  for (let l = 1; l < w.length; l++) checkElementCount(`layer ${l - 1} (widths[${l}]·widths[${l - 1}])`, w[l]! * w[l - 1]!);
  checkRng(rng);
  return mupLayers(w, rng, o);
}
