/**
 * `Linear`: the dense layer y = scale·(x Wᵀ) + b with W [out, in] (PyTorch layout) drawn by any per-tensor
 * initializer of the registry.
 */
import { DTypeError, ShapeError } from '../../core/errors.js';
import { checkedOptions, optionKeys } from '../../core/options.js';
import { positiveIntParam, positiveParam } from '../../init/index.js';
import { type DType, type Tensor, linear, noGrad } from '../../tensor/index.js';
import { checkTensorArg } from '../checks.js';
import { Module } from '../module.js';
import { drawParameters, parseWeightOptions, type WeightedLayerOptions } from './weights.js';

/** Options of `Linear`: the weighted-layer options (bias, init, initOptions, seed, dtype) and the forward scale. */
export interface LinearLayerOptions extends WeightedLayerOptions {
  /** Forward multiplier of the input sum (e.g. a mean-field N^−γ), finite and > 0; default 1. */
  readonly scale?: number;
}

const LINEAR_KEYS = optionKeys<LinearLayerOptions>({ bias: true, init: true, initOptions: true, seed: true, dtype: true, scale: true });

/**
 * Dense layer y = scale·(x Wᵀ) + b for x [batch, in] → y [batch, out]; `weight` [out, in], `bias` [out] or null.
 * The weight is `getTensorInitializer(init).init([out, in], createRng(seed), initOptions)`. The bias is zeros, except
 * under `init: 'torch_default_linear'`, where it is PyTorch's nn.Linear default U(±1/√in) (reset_parameters), drawn
 * from the same stream after the weight. The forward scales x (scale·(x Wᵀ) = (scale·x) Wᵀ, as `mlpForward` does), so
 * the bias stays unscaled and the product stays the one fused `linear` op.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly scale: number;

  constructor(inFeatures: number, outFeatures: number, options?: LinearLayerOptions) {
    super();
    const inp = positiveIntParam('inFeatures', inFeatures);
    const out = positiveIntParam('outFeatures', outFeatures);
    const o = checkedOptions('Linear', options, LINEAR_KEYS);
    const spec = parseWeightOptions(o);
    this.scale = positiveParam('options.scale', o['scale'], 1);
    this.inFeatures = inp;
    this.outFeatures = out;
    const { weight, bias } = drawParameters(spec, [out, inp], inp);
    this.weight = this.registerParameter('weight', weight);
    if (bias !== null) this.registerParameter('bias', bias);
    this.bias = bias;
  }

  /** y = scale·(x Wᵀ) + b; `x` a Tensor [batch, in] of the layer's dtype. */
  forward(x: Tensor): Tensor {
    checkLinearInput(this, x);
    return linear(this.scale === 1 ? x : x.scale(this.scale), this.weight, this.bias);
  }
}

/** `x` must be a Tensor [batch, in] of `layer`'s dtype. */
function checkLinearInput(layer: Linear, x: unknown): Tensor {
  const t = checkTensorArg('Linear.forward: x', x);
  if (t.ndim !== 2 || t.shape[1] !== layer.inFeatures) {
    throw new ShapeError(`Linear.forward: x must have shape [batch, ${layer.inFeatures}] (inFeatures), got [${t.shape.join(', ')}]`);
  }
  if (t.dtype !== layer.weight.dtype) throw new DTypeError(`Linear.forward: x must have the layer's dtype ${layer.weight.dtype}, got ${t.dtype} (cast with .to('${layer.weight.dtype}'))`);
  return t;
}

/**
 * A Linear layer holding given tensors (copied into `dtype`): W [out, in] row-major, b [out] or undefined (zeros
 * when `bias`), the forward `scale`. What `mlp` uses to load a network initializer's output.
 */
export function linearFromValues(
  W: ArrayLike<number>, b: ArrayLike<number> | undefined, shape: readonly [number, number], o: { bias: boolean; dtype: DType; scale: number },
): Linear {
  const [out, inp] = shape;
  const layer = new Linear(inp, out, { bias: o.bias, dtype: o.dtype, scale: o.scale, init: 'zeros', seed: 0 });
  noGrad(() => {
    layer.weight.data.set(W);
    if (layer.bias !== null && b !== undefined) layer.bias.data.set(b);
  });
  return layer;
}
