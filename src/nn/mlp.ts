/**
 * A dense ReLU MLP over Tensors: hidden layers y = scale·(x Wᵀ) + b followed by ReLU, a linear output layer.
 * Weights use the PyTorch layout W: [out, in], the same as the initializers in src/init, so a network drawn by
 * `initializeNetwork` plugs in without copying layouts around.
 */
import { DomainError, describe, resolveDType } from '../core/index.js';
import { booleanParam, checkedOptions, optionKeys } from '../core/options.js';
import type { LayerTensors } from '../init/index.js';
import { type DType, type Tensor, linear, tensor } from '../tensor/index.js';

export interface Dense {
  /** [out, in] */
  readonly W: Tensor;
  /** [out], or null for a layer without bias. */
  readonly b: Tensor | null;
  /**
   * Forward multiplier of the layer's input sum, y = scale·(x Wᵀ) + b (1: a plain dense layer). Network entries set it
   * where the scheme's factor is not part of the weights (the mean-field N^−γ).
   */
  readonly scale: number;
}

/** Options of `denseFromInit`. */
export interface DenseOptions {
  /** Element type of the copies; default 'float32'. */
  readonly dtype?: DType;
  /** Whether W and b track gradients; default true. */
  readonly requiresGrad?: boolean;
}

/** Hooks of `mlpForward` (see there). */
export interface ForwardHooks {
  readonly probe?: (l: number, y: Tensor) => Tensor;
  readonly observe?: (l: number, input: Tensor, y: Tensor) => void;
}

const DENSE_OPTION_KEYS = optionKeys<DenseOptions>({ dtype: true, requiresGrad: true });
const HOOK_KEYS = optionKeys<ForwardHooks>({ probe: true, observe: true });

/**
 * Wrap initializer output (`LayerTensors[]`) as trainable Tensors (copies into `dtype`), keeping each layer's scale.
 * `options` is checked like every options record: null, an unknown key or a wrong type is a DomainError.
 */
export function denseFromInit(layers: readonly LayerTensors[], options?: DenseOptions): Dense[] {
  const o = checkedOptions('denseFromInit', options, DENSE_OPTION_KEYS);
  const dtype = resolveDType(o.dtype, 'options.dtype');
  const requiresGrad = booleanParam('options.requiresGrad', o.requiresGrad, true);
  return layers.map((l) => ({
    W: tensor(l.W, [l.shape[0] as number, l.shape[1] as number], { dtype, requiresGrad }),
    b: l.b === undefined ? null : tensor(l.b, [l.shape[0] as number], { dtype, requiresGrad }),
    scale: l.scale ?? 1,
  }));
}

/**
 * Forward pass. Without hooks every layer is one fused `linear` (product, bias and ReLU in one backend call).
 * `probe(l, y)` may replace layer l's pre-activation (e.g. add a zero leaf whose gradient is dL/dy_l);
 * `observe(l, x, y)` sees the layer input and pre-activation; either needs the pre-activation, so the ReLU is
 * then applied separately.
 */
export function mlpForward(layers: readonly Dense[], x: Tensor, hooks?: ForwardHooks): Tensor {
  const given = checkedOptions('mlpForward', hooks, HOOK_KEYS, 'hooks');
  for (const k of HOOK_KEYS) {
    if (given[k] !== undefined && typeof given[k] !== 'function') {
      throw new DomainError(`hooks.${k} must be a function, got ${describe(given[k])}`);
    }
  }
  const hk = given as ForwardHooks;
  let h = x;
  const fused = hk.probe === undefined && hk.observe === undefined;
  layers.forEach((layer, l) => {
    const hidden = l + 1 < layers.length;
    // scale·(x Wᵀ) = (scale·x) Wᵀ: scaling the input keeps the fused linear op and leaves the bias unscaled
    const input = layer.scale === 1 ? h : h.scale(layer.scale);
    if (fused) {
      h = linear(input, layer.W, layer.b, { relu: hidden });
      return;
    }
    let y = linear(input, layer.W, layer.b);
    if (hk.probe !== undefined) y = hk.probe(l, y);
    hk.observe?.(l, h, y);
    h = hidden ? y.relu() : y;
  });
  return h;
}
