/**
 * Registry entry (network kind) `lsuv`: layer-sequential unit-variance initialization (Mishkin & Matas; docs/schemes/
 * lsuv.md), run by `lsuvResolved`. Calling convention: `init(shapes, rng, options, context)` with dense shapes
 * `[[n_1, n_0], …, [n_L, n_{L−1}]]` and a data batch in `context.data = { x, shape: [B, …] }` whose trailing
 * dimensions flatten to n_0 (as for lps_r). Options (tol, maxIter, activation, dtype) are parsed before anything else.
 * The layers have zero biases and no forward `scale`. This module must not import registry.ts.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import type { Shape } from '../../core/index.js';
import type { InitContext, InitializerEntry, InitOptions, LayerTensors } from '../entry.js';
import { widthsFromShapes } from '../support/mlp.js';
import type { RandomSource } from '../support/rng.js';
import { lsuvResolved, parseLsuvOptions } from './lsuv.js';

function lsuvNetwork(shapes: readonly Shape[], rng: RandomSource, options?: InitOptions, context: InitContext = {}): LayerTensors[] {
  const o = parseLsuvOptions(options, 'lsuv');
  if (shapes.some((s) => s.length !== 2)) throw new DomainError(`lsuv takes dense shapes [out, in] only, got ${describe(shapes)}`);
  const widths = widthsFromShapes(shapes);
  const data = context.data;
  if (data === undefined) throw new ShapeError(`context.data (a batch with shape [B, ${widths[0]}]) is required by lsuv`);
  const shape = data.shape;
  if (!Array.isArray(shape) || shape.length < 2) throw new ShapeError(`context.data.shape must be [B, ...features], got ${describe(shape)}`);
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  if (cols !== widths[0]) throw new ShapeError(`context.data features (${describe(shape.slice(1))}) must flatten to shapes[0][1] = ${widths[0]}`);
  return lsuvResolved(widths, { rows: shape[0]!, cols, data: data.x }, rng, o).layers;
}

export const LSUV_ENTRIES: readonly InitializerEntry[] = [
  {
    kind: 'network',
    name: 'lsuv',
    aliases: ['layer_sequential_unit_variance'],
    description:
      'LSUV (Mishkin & Matas): orthogonal layers with zero biases, then, layer by layer on the data batch, W_l ← W_l/√Var(z_l) until ' +
      'the variance of the layer output is within tol of 1 (tol 0.1, at most maxIter = 10 passes per layer, LsuvConvergenceError ' +
      'otherwise); needs context.data',
    source: "Mishkin & Matas, All you need is a good init, ICLR 2016, arXiv:1511.06422; first author's code ducha-aiki/LSUV-pytorch",
    provenance: 'derived',
    init: lsuvNetwork,
  },
];
