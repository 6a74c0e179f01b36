/**
 * `Conv2d`: the 2-D convolution layer y = conv2d(x, W, b) with W [out, in, kh, kw] (PyTorch layout) drawn by any
 * per-tensor initializer of the registry, fans from the receptive field (fan_in = in·kh·kw, fan_out = out·kh·kw).
 */
import { DTypeError, ShapeError } from '../../core/errors.js';
import { checkShape, MAX_ELEMENTS } from '../../core/index.js';
import { checkedOptions, optionKeys } from '../../core/options.js';
import { positiveIntParam } from '../../init/index.js';
import { conv2d, type PairLike, type Tensor } from '../../tensor/index.js';
import { type Pair, pairParam } from '../../tensor/window.js';
import { checkTensorArg } from '../checks.js';
import { Module } from '../module.js';
import { drawParameters, parseWeightOptions, type WeightedLayerOptions } from './weights.js';

/** Options of `Conv2d`: the window's stride and padding and the weighted-layer options (bias, init, seed, dtype). */
export interface Conv2dLayerOptions extends WeightedLayerOptions {
  /** Step of the window, a positive integer or [h, w]; default 1. */
  readonly stride?: PairLike;
  /** Zeros added on each side, a non-negative integer or [h, w]; default 0. */
  readonly padding?: PairLike;
}

const CONV2D_KEYS = optionKeys<Conv2dLayerOptions>({ stride: true, padding: true, bias: true, init: true, initOptions: true, seed: true, dtype: true });

/**
 * 2-D convolution layer for x [batch, inChannels, H, W] → y [batch, outChannels, OH, OW] (PyTorch's nn.Conv2d without
 * dilation or groups; OH = ⌊(H + 2·padding − kh) / stride⌋ + 1). `kernelSize`, `options.stride` (default 1) and
 * `options.padding` (default 0) are integers or [h, w] pairs. Parameters `weight` [out, in, kh, kw] and `bias` [out]
 * (or null with `bias: false`). The weight is `getTensorInitializer(init).init([out, in, kh, kw], createRng(seed),
 * initOptions)` with the default `'kaiming_uniform'` (U(±√(6/fan_in)), He et al. 2015, as `Linear`), fan_in =
 * in·kh·kw as src/init computes it; `init: 'torch_default_linear'` gives PyTorch's nn.Conv2d default
 * (U(±1/√fan_in) for weight and bias). The bias is zeros otherwise.
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: PairLike, options?: Conv2dLayerOptions) {
    super();
    const inp = positiveIntParam('inChannels', inChannels);
    const out = positiveIntParam('outChannels', outChannels);
    const [kh, kw] = pairParam('kernelSize', kernelSize, 1);
    const o = checkedOptions('Conv2d', options, CONV2D_KEYS);
    this.stride = pairParam('options.stride', o['stride'], 1, [1, 1]);
    this.padding = pairParam('options.padding', o['padding'], 0, [0, 0]);
    const spec = parseWeightOptions(o);
    const shape = [out, inp, kh, kw];
    checkShape(shape, 'the weight shape [outChannels, inChannels, kh, kw]', 4, 4, 1, MAX_ELEMENTS);
    this.inChannels = inp;
    this.outChannels = out;
    this.kernelSize = [kh, kw];
    const { weight, bias } = drawParameters(spec, shape, inp * kh * kw);
    this.weight = this.registerParameter('weight', weight);
    if (bias !== null) this.registerParameter('bias', bias);
    this.bias = bias;
  }

  /** conv2d(x, weight, bias) with the layer's stride and padding; `x` a Tensor [batch, inChannels, H, W] of its dtype. */
  forward(x: Tensor): Tensor {
    const t = checkTensorArg('Conv2d.forward: x', x);
    if (t.ndim !== 4 || t.shape[1] !== this.inChannels) {
      throw new ShapeError(`Conv2d.forward: x must have shape [batch, ${this.inChannels}, height, width] (inChannels), got [${t.shape.join(', ')}]`);
    }
    if (t.dtype !== this.weight.dtype) {
      throw new DTypeError(`Conv2d.forward: x must have the layer's dtype ${this.weight.dtype}, got ${t.dtype} (cast with .to('${this.weight.dtype}'))`);
    }
    return conv2d(t, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }
}
