/**
 * Registry entry (network kind) `mup`: maximal-update parametrization of an MLP (docs/schemes/mup.md), drawn by
 * `mupLayers`. Calling convention: `init(shapes, rng, options)` with dense shapes `[[N_1, d_in], …, [d_out, N_L]]`
 * (at least one hidden layer). The readout layer carries MuReadout's output multiplier outputMult·B_L/N_L as its
 * forward `scale` (y = scale·(W h) + b), which whatever builds a model from the entry must apply (src/nn's `mlp`
 * does). The per-layer learning rates are not part of an init: `mupLearningRates` / `mupLrGroups` give them.
 * This module must not import registry.ts.
 */
import type { Shape } from '../../core/index.js';
import type { InitializerEntry, InitOptions, LayerTensors } from '../entry.js';
import { widthsFromShapes } from '../support/mlp.js';
import type { RandomSource } from '../support/rng.js';
import { mupLayers, parseMupOptions } from './init.js';
import { checkMupWidths } from './shapes.js';

function mupNetwork(shapes: readonly Shape[], rng: RandomSource, options?: InitOptions): LayerTensors[] {
  const widths = checkMupWidths(widthsFromShapes(shapes), 'the widths of shapes');
  return mupLayers(widths, rng, parseMupOptions(options, widths.length - 2, 'mup'));
}

export const MUP_ENTRIES: readonly InitializerEntry[] = [
  {
    kind: 'network',
    name: 'mup',
    aliases: ['mu_p', 'maximal_update'],
    description:
      'maximal-update parametrization (μP) of an MLP relative to base widths B_l (option baseWidth, default 64): hidden weights ' +
      'N(0, gain²/fan_in) (gain √2), zero biases, readout N(0, gain²/B_L) (or zero: readoutZeroInit) with forward scale ' +
      'outputMult·B_L/N_L (MuReadout). Per-layer MuSGD / MuAdam rates: mupLearningRates (initlab/init), mupLrGroups (initlab/nn)',
    source: 'Yang, Hu et al., Tensor Programs V, arXiv:2203.03466; package microsoft/mup (MuReadout, set_base_shapes, MuSGD, MuAdam)',
    provenance: 'verified',
    init: mupNetwork,
  },
];
