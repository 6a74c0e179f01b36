/**
 * Geometric-mean initialization of the Defazio–Bottou scheme (docs/schemes/scaling.md): A. Defazio and L. Bottou,
 * "A scaling calculus for the design and initialization of ReLU networks", Neural Computing and Applications (2022),
 * DOI 10.1007/s00521-022-07308-z (arXiv:1906.04267). The rule Var(W) ∝ 1/sqrt(fan_in·fan_out) is verified (abstract;
 * JAX `fan_geo_avg`); the gain g = 2 is the natural reading (it reduces to He for square layers), not verified.
 */
import { checkedOptions, enumParam, optionKeys, positiveParam } from '../support/options.js';
import type { RandomSource } from '../support/rng.js';
import type { Layout } from '../support/fans.js';
import type { DTypeOptions, FloatArray, Shape } from '../../core/index.js';
import { drawVarianceScaling, parseVarianceScaling, VARIANCE_DISTRIBUTIONS, type VarianceDistribution } from '../classic/variance.js';

export interface GeometricInitOptions extends DTypeOptions {
  /** Numerator g of the variance g/sqrt(fan_in·fan_out); default 2 (ReLU). Note: a variance numerator, not a std gain. */
  readonly gain?: number;
  /** Default `'normal'` (the calculus only uses second moments; any symmetric distribution works). */
  readonly distribution?: VarianceDistribution;
  readonly layout?: Layout;
  /** As for `varianceScaling` (`'tfjs'` only changes `distribution: 'normal'`). */
  readonly compat?: 'none' | 'tfjs';
}

/** Keys of `GeometricInitOptions`. */
export const GEOMETRIC_KEYS = optionKeys<GeometricInitOptions>({ gain: true, distribution: true, layout: true, compat: true, dtype: true });

/**
 * Geometric-mean initialization (Defazio & Bottou): Var(W) = g/sqrt(fan_in·fan_out), g = 2 for ReLU; identical to
 * `varianceScaling(shape, rng, {scale: g, mode: 'fan_geo_avg'})` (JAX `variance_scaling(2.0, "fan_geo_avg")`).
 * The rule is verified; the constant g = 2 is the natural reading (it reduces to He for square layers), not verified.
 */
export function geometricInit(shape: Shape, rng: RandomSource, options: GeometricInitOptions = {}): FloatArray {
  const o = checkedOptions('geometricInit', options, GEOMETRIC_KEYS);
  const g = positiveParam('gain', o['gain'], 2);
  const distribution = enumParam('distribution', o['distribution'], VARIANCE_DISTRIBUTIONS, 'normal');
  return drawVarianceScaling(shape, rng, parseVarianceScaling(o, { scale: g, mode: 'fan_geo_avg', distribution }));
}
