/**
 * `Linear`: the dense layer y = scale·(x Wᵀ) + b with W [out, in] (PyTorch layout) drawn by any per-tensor
 * initializer of the registry.
 */
import { DomainError, DTypeError, ShapeError, describe } from '../../core/errors.js';
import { resolveDType } from '../../core/index.js';
import { booleanParam, checkedOptions, optionKeys } from '../../core/options.js';
import { createRng, getTensorInitializer, positiveIntParam, positiveParam, optionsRecord, type InitOptions, type Seed } from '../../init/index.js';
import { type DType, type Tensor, linear, noGrad, tensor, zeros } from '../../tensor/index.js';
import { checkTensorArg } from '../checks.js';
import { Module } from '../module.js';

/** Options of `Linear`. */
export interface LinearLayerOptions {
  /** Whether the layer has a bias (zeros, or U(±1/√in) under `init: 'torch_default_linear'`); default true. */
  readonly bias?: boolean;
  /** A per-tensor registry initializer for the weight; default `'kaiming_uniform'` (U(±√(6/in))). */
  readonly init?: string;
  /** Options of that initializer (e.g. `{ mode: 'fan_out' }`), checked by it. */
  readonly initOptions?: InitOptions;
  /** Seed of the weight's (and bias's) draw; required, as for every random draw in initlab. */
  readonly seed?: Seed;
  /** Element type of the parameters; default 'float32'. */
  readonly dtype?: DType;
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
    const hasBias = booleanParam('options.bias', o.bias, true);
    const initName = o.init ?? 'kaiming_uniform';
    if (typeof initName !== 'string') throw new DomainError(`options.init must be an initializer name, got ${describe(initName)}`);
    const entry = getTensorInitializer(initName);
    const initOptions = optionsRecord(o.initOptions, 'options.initOptions');
    if (o.seed === undefined) throw new DomainError('options.seed is required (every random draw in initlab takes an explicit seed), got undefined');
    const rng = createRng(o.seed as Seed);
    const dtype = resolveDType(o.dtype, 'options.dtype');
    this.scale = positiveParam('options.scale', o.scale, 1);
    this.inFeatures = inp;
    this.outFeatures = out;
    const W = entry.init([out, inp], rng, initOptions);
    this.weight = this.registerParameter('weight', tensor(W, [out, inp], { dtype, requiresGrad: true }));
    let b: Tensor | null = null;
    if (hasBias) {
      const bound = 1 / Math.sqrt(inp);
      b = entry.name === 'torch_default_linear'
        ? tensor(Float64Array.from({ length: out }, () => (2 * rng.nextFloat64() - 1) * bound), [out], { dtype, requiresGrad: true })
        : zeros([out], { dtype, requiresGrad: true });
      this.registerParameter('bias', b);
    }
    this.bias = b;
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
