/**
 * A dense ReLU MLP over Tensors: hidden layers y = x Wᵀ + b followed by ReLU, a linear output layer.
 * Weights use the PyTorch layout W: [out, in], the same as the initializers in src/init, so a network drawn by
 * `initializeNetwork` plugs in without copying layouts around.
 */
import type { LayerTensors } from '../init/types.js';
import { type DType, type Tensor, tensor } from '../tensor/index.js';

export interface Dense {
  /** [out, in] */
  readonly W: Tensor;
  /** [out], or null for a layer without bias. */
  readonly b: Tensor | null;
}

/** Wrap initializer output (`LayerTensors[]`) as trainable Tensors (copies into `dtype`). */
export function denseFromInit(layers: readonly LayerTensors[], options: { dtype?: DType; requiresGrad?: boolean } = {}): Dense[] {
  const dtype = options.dtype ?? 'float32';
  const requiresGrad = options.requiresGrad ?? true;
  return layers.map((l) => ({
    W: tensor(l.W, [l.shape[0] as number, l.shape[1] as number], { dtype, requiresGrad }),
    b: l.b === undefined ? null : tensor(l.b, [l.shape[0] as number], { dtype, requiresGrad }),
  }));
}

/**
 * Forward pass. `probe(l, y)` may replace layer l's pre-activation (e.g. add a zero leaf whose gradient is dL/dy_l);
 * `observe(l, x, y)` sees the layer input and pre-activation.
 */
export function mlpForward(
  layers: readonly Dense[],
  x: Tensor,
  hooks: { probe?: (l: number, y: Tensor) => Tensor; observe?: (l: number, input: Tensor, y: Tensor) => void } = {},
): Tensor {
  let h = x;
  layers.forEach((layer, l) => {
    let y = h.matmul(layer.W.transpose());
    if (layer.b !== null) y = y.add(layer.b);
    if (hooks.probe !== undefined) y = hooks.probe(l, y);
    hooks.observe?.(l, h, y);
    h = l + 1 < layers.length ? y.relu() : y;
  });
  return h;
}
