/**
 * A dense ReLU MLP over Tensors: hidden layers y = scale·(x Wᵀ) + b followed by ReLU, a linear output layer.
 * Weights use the PyTorch layout W: [out, in], the same as the initializers in src/init, so a network drawn by
 * `initializeNetwork` plugs in without copying layouts around.
 */
import { resolveDType } from '../core/index.js';
import { booleanParam, checkedOptions, optionKeys } from '../core/options.js';
import { validateMlp, type LayerTensors } from '../init/index.js';
import { type DType, type Tensor, linear, tensor } from '../tensor/index.js';
import { checkBatch, checkDenseLayers, checkProbed, parseHooks, type ForwardHooks } from './checks.js';

export type { ForwardHooks } from './checks.js';

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

const DENSE_OPTION_KEYS = optionKeys<DenseOptions>({ dtype: true, requiresGrad: true });

/**
 * Wrap initializer output (`LayerTensors[]`) as trainable Tensors (copies into `dtype`), keeping each layer's scale.
 * `layers` must be a dense network as src/init's `validateMlp` checks it (non-empty, `shape: [out, in]` — a conv
 * shape is a ShapeError —, `W` and `b` of matching lengths, `scale` > 0, layers chaining, finite entries);
 * `options` is checked like every options record: null, an unknown key or a wrong type is a DomainError.
 */
export function denseFromInit(layers: readonly LayerTensors[], options?: DenseOptions): Dense[] {
  validateMlp(layers, 'layers');
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
 * `layers`: a non-empty chain of Dense layers of one dtype; `x`: a Tensor [batch, in] of that dtype; `hooks`: an object
 * with only `probe` and `observe` (functions); `probe` must return a Tensor of y's shape and dtype.
 */
export function mlpForward(layers: readonly Dense[], x: Tensor, hooks: ForwardHooks = {}): Tensor {
  checkDenseLayers(layers, 'layers');
  let h = checkBatch(x, layers, 'x');
  const hk = parseHooks(hooks, 'mlpForward');
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
    if (hk.probe !== undefined) y = checkProbed(hk.probe(l, y), y, l);
    hk.observe?.(l, h, y);
    h = hidden ? y.relu() : y;
  });
  return h;
}
