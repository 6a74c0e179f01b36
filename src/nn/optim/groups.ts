/**
 * Parameter groups with one learning rate per layer, from the per-layer rules of src/init: the Defazio–Bottou
 * learning-rate multipliers of a scaling report and the mean-field learning rates. A layer's weight and bias share
 * the layer's rate (as in the mean-field authors' code, one `param_group` per `nn.Linear`).
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import {
  checkedOptions,
  enumParam,
  finiteParam,
  inferredGeneralDepthLearningRates,
  lrMultipliers,
  meanFieldLearningRates,
  nonNegativeParam,
  optionKeys,
  positiveParam,
  type Gammas,
  type ScalingReport,
} from '../../init/index.js';
import { Tensor } from '../../tensor/index.js';
import type { ParamLike } from './params.js';

/**
 * The parameters of one layer: a list of tensors / named tensors, or a dense layer `{ W, b }` (e.g. a `Dense` of
 * `denseFromInit`), whose parameters are named `layer<l>.W` and `layer<l>.b`.
 */
export type LayerParams = readonly ParamLike[] | { readonly W: Tensor; readonly b?: Tensor | null };

/** A parameter group with its own learning rate, accepted by `SGD`, `Adam` and `AdamW`. */
export interface LayerGroup {
  readonly name: string;
  readonly params: ParamLike[];
  readonly lr: number;
}

/** `layers` must be a non-empty array (its entries are checked by `layerParamList`). */
function checkLayers(layers: unknown): void {
  if (!Array.isArray(layers) || layers.length === 0) throw new DomainError(`layers must be a non-empty array of layers, got ${describe(layers)}`);
}

/** The weight W of a layer given as `{ W, b }`, else undefined (a parameter list, or junk `layerParamList` rejects). */
function layerWeight(layer: unknown): unknown {
  return typeof layer === 'object' && layer !== null && !Array.isArray(layer) ? (layer as { W?: unknown }).W : undefined;
}

function layerParamList(layer: unknown, l: number): ParamLike[] {
  if (Array.isArray(layer)) return layer.slice() as ParamLike[];
  if (typeof layer === 'object' && layer !== null && 'W' in layer) {
    const { W, b } = layer as { W: unknown; b?: unknown };
    if (!(W instanceof Tensor)) throw new DomainError(`layers[${l}].W must be a Tensor, got ${describe(W)}`);
    const out: ParamLike[] = [{ name: `layer${l}.W`, tensor: W }];
    if (b instanceof Tensor) out.push({ name: `layer${l}.b`, tensor: b });
    else if (b !== null && b !== undefined) throw new DomainError(`layers[${l}].b must be a Tensor, null or absent, got ${describe(b)}`);
    return out;
  }
  throw new DomainError(`layers[${l}] must be an array of parameters or a layer { W, b }, got ${describe(layer)}`);
}

/**
 * One group per layer: group l holds layer l's parameters with learning rate `rates[l]` (finite, ≥ 0), named
 * `layer<l>`. The building block of the two helpers below; `rates.length` must equal `layers.length`.
 */
export function layerGroups(layers: readonly LayerParams[], rates: readonly number[]): LayerGroup[] {
  checkLayers(layers);
  if (!Array.isArray(rates) || rates.length !== layers.length) {
    throw new ShapeError(`rates must hold one learning rate per layer (${layers.length}), got ${describe(rates)}`);
  }
  return layers.map((layer, l) => ({ name: `layer${l}`, params: layerParamList(layer, l), lr: nonNegativeParam(`rates[${l}]`, rates[l]) }));
}

/**
 * Groups with the Defazio–Bottou per-layer rates lr_l = baseLr · λ_l, λ_l = sqrt(γ_ref / γ_l) (`lrMultipliers` of
 * src/init; a reconstruction after Defazio & Bottou, "A scaling calculus for the design and initialization of ReLU
 * networks", Neural Comput. Appl. 2022, arXiv:1906.04267 — see docs/schemes/scaling.md). `report` must describe the
 * same network: one weight layer per entry of `layers`, in forward order, with matching weight shapes where the
 * layer is a `{ W, b }`.
 */
export function scalingLrGroups(layers: readonly LayerParams[], report: ScalingReport, baseLr: number): LayerGroup[] {
  checkLayers(layers);
  const base = positiveParam('baseLr', baseLr);
  if (typeof report !== 'object' || report === null || !Array.isArray(report.layers)) {
    throw new DomainError(`report must be a ScalingReport (from scalingReport), got ${describe(report)}`);
  }
  if (report.layers.length !== layers.length) {
    throw new ShapeError(`report describes ${report.layers.length} weight layer(s), layers has ${layers.length}`);
  }
  // The entries of report.layers are checked by lrMultipliers below; here only those that can be compared are.
  (report.layers as readonly unknown[]).forEach((entry, l) => {
    const W = layerWeight(layers[l]);
    const r = (typeof entry === 'object' && entry !== null ? entry : {}) as { kind?: unknown; fanOut?: unknown; fanIn?: unknown };
    if (W instanceof Tensor && r.kind === 'dense' && (W.shape[0] !== r.fanOut || W.shape[1] !== r.fanIn)) {
      throw new ShapeError(`layers[${l}].W has shape [${W.shape.join(', ')}], the report's layer ${l} is [${r.fanOut}, ${r.fanIn}] (fan_out, fan_in)`);
    }
  });
  return layerGroups(layers, lrMultipliers(report).map((m) => base * m));
}

/** Options of `meanFieldLrGroups`. */
export interface MeanFieldLrGroupOptions {
  /** α0, the O(1) constant multiplying every rate; default 1 (the authors' code). */
  readonly baseLr?: number;
  /**
   * `'verified'` (default): the authors' formulas, 1–3 hidden layers (`meanFieldLearningRates`); `'inferred'`: the
   * inferred general-depth rule (`inferredGeneralDepthLearningRates`), any depth.
   */
  readonly rule?: 'verified' | 'inferred';
}

/**
 * Groups with the mean-field per-layer SGD rates for widths `[d, N_1, …, N_L, K]` and `gammas` `[γ_1, …, γ_L]`
 * (Yu & Spiliopoulos, "Normalization effects on deep neural networks", arXiv:2209.01018; docs/schemes/meanfield.md): layer l (forward order, the output
 * layer last) gets α_{W^{l+1}} of `meanFieldLearningRates` (e.g. two hidden layers: α_1 = N1^{2γ1−1} N2^{2γ2−3},
 * α_2 = N1^{2γ1−1} N2^{2γ2−2}, α_C = N2^{2γ2−2}), times `baseLr`. Layers given as `{ W, b }` are checked against
 * the widths (W_l: [N_{l+1}, N_l]).
 */
export function meanFieldLrGroups(
  layers: readonly LayerParams[],
  widths: readonly number[],
  gammas: Gammas,
  options: MeanFieldLrGroupOptions = {},
): LayerGroup[] {
  checkLayers(layers);
  const o = checkedOptions('meanFieldLrGroups', options, optionKeys<MeanFieldLrGroupOptions>({ baseLr: true, rule: true }));
  const alpha0 = positiveParam('options.baseLr', o['baseLr'], 1);
  const rule = enumParam('options.rule', o['rule'], ['verified', 'inferred'] as const, 'verified');
  const rates = rule === 'verified' ? meanFieldLearningRates(widths, gammas, { alpha0 }) : inferredGeneralDepthLearningRates(widths, gammas, { alpha0 });
  if (rates.length !== layers.length) {
    throw new ShapeError(`widths [${widths.join(', ')}] describe ${rates.length} weight layers, layers has ${layers.length}`);
  }
  layers.forEach((layer, l) => {
    const W = layerWeight(layer);
    const out = finiteParam(`widths[${l + 1}]`, widths[l + 1]);
    const inp = finiteParam(`widths[${l}]`, widths[l]);
    if (W instanceof Tensor && (W.shape[0] !== out || W.shape[1] !== inp)) {
      throw new ShapeError(`layers[${l}].W has shape [${W.shape.join(', ')}], widths give [${out}, ${inp}]`);
    }
  });
  return layerGroups(layers, rates);
}
