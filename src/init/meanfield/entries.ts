/**
 * Registry entry (network kind) `meanfield`: the initialization of Yu & Spiliopoulos's 1/N^γ-normalized nets
 * (arXiv 2209.01018; FoDS 2023; docs/schemes/meanfield.md), drawn by `meanFieldInit`.
 *
 * Calling convention: `init(shapes, rng, options)` with dense shapes `[[N_1, d], [N_2, N_1], …, [K, N_L]]` (at least
 * one hidden layer; the last shape is the output weight C). The 1/N^γ factors are not weights: by default
 * (`fold: false`) each returned layer l ≥ 1 carries its factor N_l^{−γ_l} as the layer's forward `scale`
 * (`LayerTensors.scale`, applied to the sum over the layer's inputs, never to the bias), with the raw N(0, 1) / U(·)
 * draws as W; whatever builds a model from the entry applies it (src/nn does). `fold: true` multiplies the factors
 * into the weights instead (folded: same function at init, different training dynamics).
 * Options: gammas (default all 1: mean-field), outputInit, bias, fold, dtype.
 */
import { DomainError, describe } from '../../core/errors.js';
import { resolveDType, type DType, type Shape } from '../../core/index.js';
import type { InitializerEntry, InitOptions, LayerTensors } from '../entry.js';
import { mlpToLayerTensors, widthsFromShapes } from '../support/mlp.js';
import { booleanParam, checkedOptions, enumParam, optionKeys } from '../support/options.js';
import type { RandomSource } from '../support/rng.js';
import { meanFieldInit } from './init.js';
import { checkGammas, type Gammas, type MeanFieldBias, type MeanFieldOutputInit } from './network.js';
import { foldLayers, scaleLayers } from './factors.js';

/** Options of the `meanfield` registry entry. */
export interface MeanFieldEntryOptions {
  /** γ_1 … γ_L (or one number for all), each in [1/2, 1]; default 1 (mean-field scaling) [V-abs]. */
  readonly gammas?: Gammas;
  readonly outputInit?: MeanFieldOutputInit;
  readonly bias?: MeanFieldBias;
  /** Multiply the factors into the weights instead of returning them as layer scales; default false. */
  readonly fold?: boolean;
  readonly dtype?: DType;
}

/** What the `meanfield` entry reads. */
export const MEANFIELD_ENTRY_KEYS = optionKeys<MeanFieldEntryOptions>({ gammas: true, outputInit: true, bias: true, fold: true, dtype: true });

interface ParsedEntry {
  readonly widths: number[];
  readonly gammas: number[];
  readonly outputInit: MeanFieldOutputInit;
  readonly bias: MeanFieldBias;
  readonly fold: boolean;
  readonly dtype: DType;
}

/** Parse the entry's shapes and options once, before any draw. */
function parseEntry(shapes: readonly Shape[], options: InitOptions | undefined): ParsedEntry {
  const o = checkedOptions('meanfield', options, MEANFIELD_ENTRY_KEYS);
  const widths = widthsFromShapes(shapes);
  if (widths.length < 3) throw new DomainError(`meanfield needs at least one hidden layer (2 shapes or more), got ${describe(shapes)}`);
  return {
    widths,
    gammas: checkGammas(o['gammas'] ?? 1, widths.length - 2, 'options.gammas'),
    outputInit: enumParam<MeanFieldOutputInit>('options.outputInit', o['outputInit'], ['authors-code', 'centered'], 'authors-code'),
    bias: enumParam<MeanFieldBias>('options.bias', o['bias'], ['none', 'torch-default', 'zeros'], 'none'),
    fold: booleanParam('options.fold', o['fold'], false),
    dtype: resolveDType(o['dtype'], 'options.dtype'),
  };
}

function meanFieldNetwork(shapes: readonly Shape[], rng: RandomSource, options?: InitOptions): LayerTensors[] {
  const { widths, gammas, outputInit, bias, fold, dtype } = parseEntry(shapes, options);
  const params = meanFieldInit(widths, rng, { outputInit, bias, dtype });
  const layers = fold ? foldLayers(widths, params.layers, gammas) : scaleLayers(widths, params.layers, gammas);
  return mlpToLayerTensors(layers, dtype);
}

export const MEANFIELD_ENTRIES: readonly InitializerEntry[] = [
  {
    kind: 'network',
    name: 'meanfield',
    aliases: ['mean_field', 'mean-field'],
    description:
      "Yu & Spiliopoulos 1/N^γ normalization, init as in the authors' code: hidden weights N(0,1) whatever the fan-in, output weights " +
      "U(0,1) (outputInit 'centered': U(-1,1), an inferred mean-zero choice for the theory). Each layer l ≥ 1 carries its factor " +
      'N_l^(-γ_l) as its forward scale (multiplying the sum over its inputs, not the bias; no factor on the input layer), applied by ' +
      'whatever builds the model; sigmoid in the paper. fold: true multiplies the factors into the weights (folded: same function at ' +
      "init, different training dynamics). Options: gammas (each in [1/2, 1], default 1 = mean-field), outputInit = 'authors-code', " +
      "bias = 'none' | 'torch-default' | 'zeros', fold = false, dtype. Per-layer SGD rates: meanFieldLearningRates (verified for 1–3 hidden layers)",
    source:
      'Yu & Spiliopoulos, Normalization effects on deep neural networks, arXiv:2209.01018 (Foundations of Data Science 2023); code kspiliopoulos/NENN_Deep',
    provenance: 'authors-code',
    init: meanFieldNetwork,
  },
];
