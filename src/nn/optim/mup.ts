/**
 * Parameter groups with the per-tensor learning rates of μP (MuSGD / MuAdam of the `mup` package; Yang, Hu et al.,
 * "Tensor Programs V", arXiv:2203.03466; docs/schemes/mup.md), for an MLP initialized by the `mup` entry.
 * Unlike the mean-field groups, a layer's weight and bias can get different rates (a hidden bias is vector-like, a
 * hidden weight matrix-like), so each tensor has its own group.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import {
  checkedOptions, checkMupBaseWidths, enumParam, MUP_DEFAULT_BASE_WIDTH, mupLearningRates, optionKeys, positiveParam, type MupBaseWidths, type MupOptimizer,
} from '../../init/index.js';
import { Tensor } from '../../tensor/index.js';
import { checkTrainable, pairLayers, type Trainable } from '../train/model.js';
import type { LayerGroup } from './groups.js';

/** A dense layer as `mupLrGroups` reads it: weight [out, in] and optional bias [out]. */
export interface MupDenseLayer {
  readonly W: Tensor;
  readonly b?: Tensor | null;
}

/** Options of `mupLrGroups`. */
export interface MupLrGroupOptions {
  /** Base widths B_l (one for all hidden layers, or one per hidden layer); default 64, as the `mup` entry. */
  readonly baseWidth?: MupBaseWidths;
  /** 'sgd' (MuSGD, default) or 'adam' (MuAdam / MuAdamW). */
  readonly optimizer?: MupOptimizer;
}

const KEYS = optionKeys<MupLrGroupOptions>({ baseWidth: true, optimizer: true });

interface NamedLayer {
  readonly wName: string;
  readonly W: Tensor;
  readonly bName: string;
  readonly b: Tensor | null;
}

/** The dense layers of a model (`pairLayers`) or of a `{ W, b }` list, with parameter names. */
function denseLayers(modelOrLayers: unknown): NamedLayer[] {
  if (Array.isArray(modelOrLayers)) {
    if (modelOrLayers.length === 0) throw new DomainError('layers must be a non-empty array of layers { W, b }, got []');
    return modelOrLayers.map((layer: unknown, l) => {
      if (typeof layer !== 'object' || layer === null || !((layer as { W?: unknown }).W instanceof Tensor)) {
        throw new DomainError(`layers[${l}] must be a layer { W: Tensor, b?: Tensor | null }, got ${describe(layer)}`);
      }
      const { W, b } = layer as { W: Tensor; b?: unknown };
      if (b !== undefined && b !== null && !(b instanceof Tensor)) throw new DomainError(`layers[${l}].b must be a Tensor, null or absent, got ${describe(b)}`);
      return { wName: `layer${l}.W`, W, bName: `layer${l}.b`, b: (b as Tensor | null | undefined) ?? null };
    });
  }
  return pairLayers(checkTrainable(modelOrLayers, 'model'), 'model').map((p) => ({ wName: p.weightName, W: p.W, bName: p.biasName ?? '', b: p.b }));
}

/** Widths [d_in, N_1, …, d_out] of a chain of dense layers (ShapeError naming the layer that does not chain). */
function widthsOf(layers: readonly NamedLayer[]): number[] {
  const widths: number[] = [];
  layers.forEach((layer, l) => {
    if (layer.W.ndim !== 2) throw new ShapeError(`layer ${l} (${layer.wName}) must have a weight [out, in], got shape [${layer.W.shape.join(', ')}]`);
    const [out, inp] = layer.W.shape as [number, number];
    if (l === 0) widths.push(inp);
    else if (inp !== widths[l]) throw new ShapeError(`layer ${l} (${layer.wName}) has ${inp} inputs, the layer before it ${widths[l]} outputs (consecutive layers must chain)`);
    if (layer.b !== null && (layer.b.ndim !== 1 || layer.b.shape[0] !== out)) {
      throw new ShapeError(`layer ${l} (${layer.bName}) must be a bias [${out}], got shape [${layer.b.shape.join(', ')}]`);
    }
    widths.push(out);
  });
  return widths;
}

/**
 * Parameter groups with the μP rates for `SGD` ('sgd', MuSGD) or `Adam` / `AdamW` ('adam', MuAdam), from a model
 * (anything with `namedParameters()` whose weights [out, in] are each followed by their bias, e.g. `mlp(…)`) or a
 * list of dense layers `{ W, b }`. The network must be an MLP [d_in, N_1, …, N_L, d_out] with at least one hidden
 * layer; with m_l = N_l / B_l the rates are (`mupLearningRates` of initlab/init):
 *
 *     MuSGD:  W_0 baseLr·m_1,  hidden W_l baseLr·m_{l+1}/m_l,  readout W_L baseLr·m_L,  hidden b_l baseLr·m_{l+1},
 *             readout b_L baseLr
 *     MuAdam: hidden W_l baseLr/m_l (fan-in mult),  everything else baseLr
 *
 * One group per tensor, named after the parameter (`0.weight`, `layer0.W`, …), in forward order. Weight-decay
 * scaling is not set (the groups carry only `lr`).
 */
export function mupLrGroups(modelOrLayers: Trainable | readonly MupDenseLayer[], baseLr: number, options: MupLrGroupOptions = {}): LayerGroup[] {
  const o = checkedOptions('mupLrGroups', options, KEYS);
  const lr = positiveParam('baseLr', baseLr);
  const optimizer = enumParam<MupOptimizer>('options.optimizer', o['optimizer'], ['sgd', 'adam'], 'sgd');
  const layers = denseLayers(modelOrLayers);
  const widths = widthsOf(layers);
  if (widths.length < 3) throw new ShapeError(`μP needs at least one hidden layer (two dense layers or more), got ${layers.length}`);
  const base = checkMupBaseWidths(o['baseWidth'] ?? MUP_DEFAULT_BASE_WIDTH, widths.length - 2, 'options.baseWidth');
  const rates = mupLearningRates(widths, base, optimizer, lr);
  const groups: LayerGroup[] = [];
  layers.forEach((layer, l) => {
    groups.push({ name: layer.wName, params: [{ name: layer.wName, tensor: layer.W }], lr: rates[l]!.W });
    if (layer.b !== null) groups.push({ name: layer.bName, params: [{ name: layer.bName, tensor: layer.b }], lr: rates[l]!.b });
  });
  return groups;
}
