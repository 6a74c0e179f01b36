/** Parameter-free pooling modules over the tensor ops: `MaxPool2d` and `AvgPool2d` (geometry checked at construction). */
import { booleanParam, checkedOptions, optionKeys } from '../../core/options.js';
import { avgPool2d, maxPool2d, type PairLike, type Tensor } from '../../tensor/index.js';
import { type Pair } from '../../tensor/window.js';
import { poolGeometry } from '../../tensor/pool.js';
import { checkTensorArg } from '../checks.js';
import { Module } from '../module.js';

/** Options of `MaxPool2d`. */
export interface MaxPool2dLayerOptions {
  /** Step of the window, a positive integer or [h, w]; default the kernel size (PyTorch's default). */
  readonly stride?: PairLike;
  /** Implicit padding on each side, an integer or [h, w] in [0, ⌊kernelSize / 2⌋]; default 0. */
  readonly padding?: PairLike;
}

/** Options of `AvgPool2d`: those of `MaxPool2d` and PyTorch's count_include_pad. */
export interface AvgPool2dLayerOptions extends MaxPool2dLayerOptions {
  /** Padded zeros count in the divisor kh·kw (true, PyTorch's default) or only in-image elements do (false). */
  readonly countIncludePad?: boolean;
}

const MAX_KEYS = optionKeys<MaxPool2dLayerOptions>({ stride: true, padding: true });
const AVG_KEYS = optionKeys<AvgPool2dLayerOptions>({ stride: true, padding: true, countIncludePad: true });
const NAMES = { kernel: 'kernelSize', stride: 'options.stride', padding: 'options.padding' };

/** The window of a pooling module, parsed once at construction. */
abstract class Pool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;

  protected constructor(kernelSize: PairLike, o: Readonly<Record<string, unknown>>) {
    super();
    const g = poolGeometry(NAMES, kernelSize, o['stride'], o['padding']);
    this.kernelSize = g.kernel;
    this.stride = g.stride;
    this.padding = g.padding;
  }
}

/**
 * Max pooling over x [batch, channels, H, W] (PyTorch's nn.MaxPool2d in floor mode, no dilation): see `maxPool2d`
 * for the tie rule (first maximum in row-major window order) and NaN handling.
 */
export class MaxPool2d extends Pool2d {
  constructor(kernelSize: PairLike, options?: MaxPool2dLayerOptions) {
    super(kernelSize, checkedOptions('MaxPool2d', options, MAX_KEYS));
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(checkTensorArg('MaxPool2d.forward: x', x), { kernel: this.kernelSize, stride: this.stride, padding: this.padding });
  }
}

/** Average pooling over x [batch, channels, H, W] (PyTorch's nn.AvgPool2d in floor mode): see `avgPool2d`. */
export class AvgPool2d extends Pool2d {
  readonly countIncludePad: boolean;

  constructor(kernelSize: PairLike, options?: AvgPool2dLayerOptions) {
    const o = checkedOptions('AvgPool2d', options, AVG_KEYS);
    super(kernelSize, o);
    this.countIncludePad = booleanParam('options.countIncludePad', o['countIncludePad'], true);
  }

  forward(x: Tensor): Tensor {
    const t = checkTensorArg('AvgPool2d.forward: x', x);
    return avgPool2d(t, { kernel: this.kernelSize, stride: this.stride, padding: this.padding, countIncludePad: this.countIncludePad });
  }
}
