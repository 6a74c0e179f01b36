/**
 * The fractional moment-preserving initializer (docs/schemes/fractional.md), after M. Gürbüzbalaban & Y. Hu,
 * "Fractional moment-preserving initialization schemes for training deep neural networks", AISTATS 2021
 * (arXiv:2005.11878): N(0, σ_s²) weights, σ_s = M_n(s)^(−1/s) (sigma.ts).
 */
import { computeFans, LAYOUTS, type Layout } from '../support/fans.js';
import { checkedOptions, enumParam, optionKeys } from '../support/options.js';
import { checkRng, type RandomSource } from '../support/rng.js';
import { fillNormal } from '../support/sampling.js';
import { NonFiniteError } from '../../core/errors.js';
import { allocate, resolveDType, type DType, type DTypeOptions, type FloatArray, type Shape } from '../../core/index.js';
import { checkInitShape } from '../support/size.js';
import { parseActivation, type FractionalActivationSpec, type ResolvedActivation } from './activation.js';
import { compatParam, momentOrderParam, type FractionalCompat } from './params.js';
import { sigmaFor, type SigmaSOptions } from './sigma.js';

export interface FractionalMomentOptions extends DTypeOptions, SigmaSOptions {
  /** Activation; default `'relu'`. */
  readonly act?: FractionalActivationSpec;
  /** Moment order s ∈ (0, 2]; default 1. */
  readonly s?: number;
  /** Width n = fan_in (default, as the authors' code) or fan_out. */
  readonly mode?: 'fan_in' | 'fan_out';
  readonly layout?: Layout;
}

/** Keys of `FractionalMomentOptions`. */
export const FRACTIONAL_KEYS = optionKeys<FractionalMomentOptions>({ act: true, s: true, mode: true, layout: true, compat: true, dtype: true });

/** `FractionalMomentOptions` parsed and validated, defaults filled in. */
export interface ResolvedFractionalOptions {
  readonly act: ResolvedActivation;
  readonly s: number;
  readonly mode: 'fan_in' | 'fan_out';
  readonly layout: Layout;
  readonly compat: FractionalCompat;
  readonly dtype: DType;
}

/**
 * Parse the options of `fractionalMomentNormal` (or of the function `fn` that takes them): unknown keys, a bad
 * activation, s outside (0, 2], an unknown mode / layout / compat / dtype are typed errors naming `options.<key>`.
 */
export function parseFractionalOptions(options: unknown, fn = 'fractionalMomentNormal'): ResolvedFractionalOptions {
  const o = checkedOptions(fn, options, FRACTIONAL_KEYS);
  return {
    act: parseActivation(o['act'] === undefined ? 'relu' : o['act'], 'options.act', fn),
    s: momentOrderParam('options.s', o['s'], 1),
    mode: enumParam('options.mode', o['mode'], ['fan_in', 'fan_out'] as const, 'fan_in'),
    layout: enumParam('options.layout', o['layout'], LAYOUTS, 'torch'),
    compat: compatParam('options.compat', o['compat']),
    dtype: resolveDType(o['dtype'], 'options.dtype'),
  };
}

/**
 * Fractional moment-preserving init: N(0, σ_s²) with σ_s = sigmaS(act, n, s, {compat}), n = fan_in (default) or
 * fan_out of `shape`. Row-major draws from `rng`. For leaky ReLU / RReLU the exact σ_s is derived (the paper's exact
 * statement is unverified); `compat: 'authors-code'` uses the authors' asymptotic formulas.
 */
export function fractionalMomentNormal(shape: Shape, rng: RandomSource, options: FractionalMomentOptions = {}): FloatArray {
  const o = parseFractionalOptions(options);
  const size = checkInitShape(shape, 'shape', 2);
  const [fanIn, fanOut] = computeFans(shape, o.layout);
  const n = o.mode === 'fan_in' ? fanIn : fanOut;
  const sigma = sigmaFor(o.act, n, o.s, o.compat);
  if (!Number.isFinite(sigma)) {
    throw new NonFiniteError(
      `σ_s overflows float64 for options.s = ${o.s} with act ${o.act.kind} and n = ${n} (${o.mode}): for ReLU σ_s → ∞ as s → 0 ` +
        `because no unit is active with probability 2^-n; use a larger options.s`,
    );
  }
  checkRng(rng);
  return fillNormal(allocate(size, o.dtype), rng, 0, sigma);
}
