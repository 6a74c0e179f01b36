/**
 * Randomized leaky ReLU (Xu et al. 2015, "Empirical Evaluation of Rectified Activations in Convolutional Network";
 * PyTorch nn.RReLU): y = x for x > 0, a·x otherwise, with the slope a drawn per element in training and fixed in eval.
 */
import { DomainError, describe } from '../../core/errors.js';
import { checkedOptions, optionKeys } from '../../core/options.js';
import { createRng, rangeParam, type RandomSource, type Seed } from '../../init/index.js';
import { type Tensor, leakyRelu, mul, tensor } from '../../tensor/index.js';
import { checkTensorArg } from '../checks.js';
import { Module } from '../module.js';

/** Options of `RReLU`. */
export interface RReLUOptions {
  /** Seed of the slope stream; required (the layer draws in training mode). */
  readonly seed?: Seed;
}

const RRELU_KEYS = optionKeys<RReLUOptions>({ seed: true });

/**
 * RReLU(lower, upper): in training, y_i = x_i for x_i > 0 and a_i·x_i otherwise with a_i ~ U(lower, upper) drawn
 * independently per element from a stream seeded at construction, which advances with every training forward (one
 * draw per element, so the sequence depends only on the seed and the input sizes); in eval, the fixed mean slope
 * (lower + upper)/2. The training forward is x ⊙ s with s_i = 1 (x_i > 0) or a_i a constant tensor, so dy/dx = s.
 * 0 ≤ lower ≤ upper ≤ 1; defaults 1/8 and 1/3 as in PyTorch.
 */
export class RReLU extends Module {
  readonly lower: number;
  readonly upper: number;
  readonly #rng: RandomSource;

  constructor(lower: number = 1 / 8, upper: number = 1 / 3, options?: RReLUOptions) {
    super();
    this.lower = rangeParam('lower', lower, 0, 1, { dflt: 1 / 8 });
    this.upper = rangeParam('upper', upper, 0, 1, { dflt: 1 / 3 });
    if (this.upper < this.lower) throw new DomainError(`upper must be ≥ lower = ${this.lower}, got ${describe(this.upper)}`);
    const o = checkedOptions('RReLU', options, RRELU_KEYS);
    if (o.seed === undefined) throw new DomainError('options.seed is required (the slopes are random in training mode), got undefined');
    this.#rng = createRng(o.seed as Seed);
  }

  forward(x: Tensor): Tensor {
    const t = checkTensorArg('RReLU.forward: x', x);
    if (!this.training) return leakyRelu(t, (this.lower + this.upper) / 2);
    const v = t.dense();
    const width = this.upper - this.lower;
    const s = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const a = this.lower + width * this.#rng.nextFloat64();
      s[i] = (v[i] as number) > 0 ? 1 : a;
    }
    return mul(t, tensor(s, [...t.shape], { dtype: t.dtype }));
  }
}
