/**
 * A dense ReLU MLP over Tensors: hidden layers y = x Wᵀ + b followed by ReLU, a linear output layer.
 * Weights use the PyTorch layout W: [out, in], the same as the initializers in src/init, so a network drawn by
 * `initializeNetwork` plugs in without copying layouts around.
 */
import type { LayerTensors } from '../init/entry.js';
import { type DType, type Tensor, linear, tensor } from '../tensor/index.js';

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
 * Forward pass. Without hooks every layer is one fused `linear` (product, bias and ReLU in one backend call).
 * `probe(l, y)` may replace layer l's pre-activation (e.g. add a zero leaf whose gradient is dL/dy_l);
 * `observe(l, x, y)` sees the layer input and pre-activation; either needs the pre-activation, so the ReLU is
 * then applied separately.
 */
export function mlpForward(
  layers: readonly Dense[],
  x: Tensor,
  hooks: { probe?: (l: number, y: Tensor) => Tensor; observe?: (l: number, input: Tensor, y: Tensor) => void } = {},
): Tensor {
  let h = x;
  const fused = hooks.probe === undefined && hooks.observe === undefined;
  layers.forEach((layer, l) => {
    const hidden = l + 1 < layers.length;
    if (fused) {
      h = linear(h, layer.W, layer.b, { relu: hidden });
      return;
    }
    let y = linear(h, layer.W, layer.b);
    if (hooks.probe !== undefined) y = hooks.probe(l, y);
    hooks.observe?.(l, h, y);
    h = hidden ? y.relu() : y;
  });
  return h;
}
