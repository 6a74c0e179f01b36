/**
 * Registry entry (network kind) `meanfield`: the initialization of Yu & Spiliopoulos's 1/N^γ-normalized nets
 * (arXiv 2209.01018; FoDS 2023; spec/meanfield_normalization.md), drawn by `meanFieldInit`.
 *
 * Calling convention: `init(shapes, rng, options)` with dense shapes `[[N_1, d], [N_2, N_1], …, [K, N_L]]` (at least
 * one hidden layer; the last shape is the output weight C). The registry returns plain weights, but the scheme's
 * 1/N^γ factors are not weights: by default (`fold: false`) the returned W are the raw N(0, 1) / U(·) draws and the
 * caller must multiply the sum over layer ℓ's N_ℓ units by N_ℓ^{−γ_ℓ} in the forward pass (`meanFieldForward`), with
 * no factor on the input layer. `fold: true` multiplies those factors into the weights instead (folded: same function
 * at init, different training dynamics). Options: gammas (default all 1: mean-field), outputInit, bias, fold, dtype.
 * This module must not import registry.ts.
 */
import { DomainError, describe } from '../../core/errors.js';
import { checkGammas, foldMeanFieldFactors, meanFieldInit, type MeanFieldBias, type MeanFieldOutputInit } from './meanfield.js';
import { mlpToLayerTensors, widthsFromShapes } from '../support/mlp.js';
import { checkedOptions } from '../support/options.js';
import type { RandomSource } from '../support/rng.js';
import type { Shape } from '../../core/index.js';
import type { InitializerEntry, InitOptions, LayerTensors } from '../entry.js';
import { resolveDType } from '../../core/index.js';

/** What the `meanfield` entry reads. */
export const MEANFIELD_ENTRY_KEYS: readonly string[] = ['gammas', 'outputInit', 'bias', 'fold', 'dtype'];

function meanFieldNetwork(shapes: readonly Shape[], rng: RandomSource, options0?: InitOptions): LayerTensors[] {
  const options = checkedOptions('meanfield', options0, MEANFIELD_ENTRY_KEYS);
  const widths = widthsFromShapes(shapes);
  if (widths.length < 3) throw new DomainError(`meanfield needs at least one hidden layer (2 shapes or more), got ${describe(shapes)}`);
  const L = widths.length - 2;
  const gammas = checkGammas(options['gammas'] ?? 1, L, 'options.gammas'); // default: mean-field scaling γ = 1 [V-abs]
  const fold = options['fold'] ?? false;
  if (typeof fold !== 'boolean') throw new DomainError(`options.fold must be a boolean, got ${describe(fold)}`);
  const dtype = resolveDType(options['dtype']);
  const params = meanFieldInit(widths, rng, {
    ...(options['outputInit'] !== undefined ? { outputInit: options['outputInit'] as MeanFieldOutputInit } : {}),
    ...(options['bias'] !== undefined ? { bias: options['bias'] as MeanFieldBias } : {}),
    dtype,
  });
  const layers = fold ? foldMeanFieldFactors(params, { gammas }) : params.layers;
  return mlpToLayerTensors(layers, dtype);
}

export const MEANFIELD_ENTRIES: readonly InitializerEntry[] = [
  {
    kind: 'network',
    name: 'meanfield',
    aliases: ['mean_field', 'mean-field'],
    description:
      "Yu & Spiliopoulos 1/N^γ normalization, init as in the authors' code: hidden weights N(0,1) whatever the fan-in, output weights " +
      "U(0,1) (outputInit 'centered': U(-1,1), an inferred mean-zero choice for the theory). The returned W are raw: the sum over " +
      'layer l\'s N_l units must be multiplied by N_l^(-γ_l) in the forward pass (meanFieldForward; no factor on the input layer; ' +
      'sigmoid in the paper). fold: true multiplies the factors into the weights (folded: same function at init, different training ' +
      "dynamics). Options: gammas (each in [1/2, 1], default 1 = mean-field), outputInit = 'authors-code', bias = 'none' | " +
      "'torch-default' | 'zeros', fold = false, dtype. Per-layer SGD rates: meanFieldLearningRates (verified for 1–3 hidden layers)",
    source:
      'Yu & Spiliopoulos, Normalization effects on deep neural networks, arXiv:2209.01018 (Foundations of Data Science 2023); code kspiliopoulos/NENN_Deep',
    provenance: 'authors-code',
    init: meanFieldNetwork,
  },
];
