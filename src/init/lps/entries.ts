/**
 * Registry entries (network kind) for LPS-R, the reconstruction of the LPS initialization of Chen, Hao & He
 * (docs/schemes/lps.md; the algorithm is a reconstruction, not the paper's verified method).
 *
 * Calling convention: `init(shapes, rng, options, context)` with dense shapes `[[n_1, n_0], …, [n_out, n_L]]`
 * (at least one hidden layer) and a data batch in `context.data = { x, shape: [B, …] }` whose trailing dimensions
 * flatten to n_0. Options are those of `lpsInitMLP` (kMax, q, anchorTol, allowSmallBatch, dtype), parsed once by
 * `parseLpsEntryOptions` before any work; `mode` is fixed by the entry (accepted only when it agrees). Any other key
 * is rejected (`LPS_ENTRY_KEYS`). The layers have no forward `scale`.
 * Convolutional layers: call `lpsConv2d` directly. This module must not import registry.ts.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import type { Shape } from '../../core/index.js';
import type { InitContext, InitializerEntry, InitOptions, LayerTensors } from '../entry.js';
import { widthsFromShapes } from '../support/mlp.js';
import type { RandomSource } from '../support/rng.js';
import { lpsNetwork } from './network.js';
import { type LpsMode, parseLpsEntryOptions } from './options.js';

function lpsEntry(mode: LpsMode, name: string) {
  return (shapes: readonly Shape[], rng: RandomSource, options?: InitOptions, context: InitContext = {}): LayerTensors[] => {
    const o = parseLpsEntryOptions(name, mode, options);
    if (shapes.some((s) => s.length !== 2)) {
      throw new DomainError(`${name} takes dense shapes [out, in] only; use lpsConv2d for convolutional layers, got ${describe(shapes)}`);
    }
    const widths = widthsFromShapes(shapes);
    const data = context.data;
    if (data === undefined) throw new ShapeError(`context.data (a batch with shape [B, ${widths[0]}]) is required by ${name}`);
    const shape = data.shape;
    if (!Array.isArray(shape) || shape.length < 2) throw new ShapeError(`context.data.shape must be [B, ...features], got ${describe(shape)}`);
    const rows = shape[0]!;
    const cols = shape.slice(1).reduce((a, b) => a * b, 1);
    if (cols !== widths[0]) throw new ShapeError(`context.data features (${describe(shape.slice(1))}) must flatten to shapes[0][1] = ${widths[0]}`);
    // lpsNetwork allocates fresh arrays in o.dtype: they are the entry's result as they are.
    return lpsNetwork(widths, { rows, cols, data: data.x }, rng, o).mlp;
  };
}

export const LPS_ENTRIES: readonly InitializerEntry[] = [
  {
    kind: 'network',
    name: 'lps_r',
    aliases: ['lps-r'],
    description:
      'LPS-R (reconstruction of the LPS initialization of Chen, Hao & He), faithful mode: data-anchored layer-by-layer solves ' +
      'against N(0,1) targets at min(fan_in+1, B) anchor samples, one positive rescale per layer; He-normal output layer; needs context.data',
    source: 'Chen, Hao & He, arXiv:2109.00125 (Appl. Math. Comput. 415, 2022); algorithm reconstructed (LPS-R), see docs/schemes/lps.md',
    provenance: 'reconstruction',
    init: lpsEntry('faithful', 'lps_r'),
  },
  {
    kind: 'network',
    name: 'lps_r_plus',
    aliases: ['lps-r+', 'lps_r+'],
    description:
      'LPS-R+ (practical variant of LPS-R, the reconstruction of the LPS initialization of Chen, Hao & He): positive U(0.1, 1) targets, ' +
      'kMax = 256 anchors, Gaussian null-space term; no unit dead on the batch; needs context.data',
    source: 'Chen, Hao & He, arXiv:2109.00125 (Appl. Math. Comput. 415, 2022); algorithm reconstructed (LPS-R), see docs/schemes/lps.md',
    provenance: 'reconstruction',
    init: lpsEntry('plus', 'lps_r_plus'),
  },
];
