/**
 * Variance scaling and the named schemes built on it (docs/schemes/classic.md): LeCun, Glorot / Xavier, He / Kaiming,
 * framework-default presets. One code path: every named function is a thin wrapper over `varianceScaling`.
 *
 * ```
 * n = fan_in | fan_out | (fan_in + fan_out)/2 | sqrt(fan_in·fan_out)     (mode fan_in | fan_out | fan_avg | fan_geo_avg)
 * v = scale / n                                                          (target variance)
 * truncated_normal: σ_p = sqrt(v)/0.87962566103423978, N(0, σ_p²) truncated to [−2σ_p, 2σ_p]  (realised std sqrt(v))
 * normal:           N(0, v)
 * uniform:          U(−sqrt(3v), +sqrt(3v))
 * ```
 *
 * Sources: Keras `VarianceScaling`, JAX `jax.nn.initializers.variance_scaling` (incl. `fan_geo_avg`), PyTorch
 * `xavier_*_` / `kaiming_*_`; LeCun et al. (1998, Efficient BackProp), Glorot & Bengio (2010), He et al. (2015).
 *
 * Naming (recommended by docs/schemes/classic.md): PyTorch names (`xavier*`, `kaiming*`) sample **untruncated** normals;
 * Keras / JAX names (`lecun*`, `glorot*`, `he*`) sample **truncated** normals with the 0.8796 correction, so the
 * realised std equals the formula.
 */
import { DomainError, describe } from '../../core/errors.js';
import { computeFans, fanForMode, FAN_MODES, LAYOUTS, type FanMode, type Layout } from '../support/fans.js';
import { calculateGain, NONLINEARITIES, type Nonlinearity } from '../support/gain.js';
import { checkedOptions, enumParam, finiteParam, optionKeys, optionsRecord, positiveParam } from '../support/options.js';
import { checkRng, type RandomSource } from '../support/rng.js';
import { fillNormal, fillTruncatedNormal, fillUniform, TRUNCATED_NORMAL_STD_2 } from '../support/sampling.js';
import { allocate, resolveDType, type DType, type DTypeOptions, type FloatArray, type Shape } from '../../core/index.js';
import { checkInitShape } from '../support/size.js';
import { type InitOptions } from '../entry.js';

/** Distribution of `varianceScaling`; `untruncated_normal` is Keras 3's name for `normal`. */
export type VarianceDistribution = 'truncated_normal' | 'normal' | 'untruncated_normal' | 'uniform';

export const VARIANCE_DISTRIBUTIONS: readonly VarianceDistribution[] = [
  'truncated_normal',
  'normal',
  'untruncated_normal',
  'uniform',
];

export interface VarianceScalingOptions extends DTypeOptions {
  /** Numerator of the target variance (g² for a gain g); > 0, default 1. */
  readonly scale?: number;
  /** Default `'fan_in'`. */
  readonly mode?: FanMode;
  /** Default `'truncated_normal'` (Keras / JAX default). */
  readonly distribution?: VarianceDistribution;
  /** Weight layout used to compute fans, default `'torch'`. */
  readonly layout?: Layout;
  /**
   * `'tfjs'`: TF.js behaviour, where `distribution: 'normal'` samples a normal truncated at ±2·sqrt(v) **without**
   * the 0.8796 correction (realised std 0.8796·sqrt(v)). Default `'none'`.
   */
  readonly compat?: 'none' | 'tfjs';
}

/** The parameters `varianceScaling` uses for a shape (handy for reporting and golden tests). */
export interface VarianceScalingParams {
  readonly fanIn: number;
  readonly fanOut: number;
  /** The fan selected by the mode. */
  readonly n: number;
  /** Target variance scale/n. */
  readonly variance: number;
  /** sqrt(variance). */
  readonly std: number;
  /** Uniform bound sqrt(3·variance). */
  readonly bound: number;
  /** Parent std of the truncated normal: std / 0.87962566103423978 (the std itself in TF.js compat). */
  readonly parentStd: number;
  readonly distribution: 'truncated_normal' | 'normal' | 'uniform';
}

/** Keys of `VarianceScalingOptions`. */
export const VARIANCE_SCALING_KEYS = optionKeys<VarianceScalingOptions>({
  scale: true,
  mode: true,
  distribution: true,
  layout: true,
  compat: true,
  dtype: true,
});

/** The options of `varianceScaling`, validated, defaults filled in. */
export interface ResolvedVarianceScaling {
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: VarianceDistribution;
  readonly layout: Layout;
  readonly compat: 'none' | 'tfjs';
  readonly dtype: DType;
}

/**
 * Parse an options record whose keys are already checked (`checkedOptions`) into `ResolvedVarianceScaling`. `fixed`
 * holds what a wrapper sets itself (He: scale 2, mode, distribution); those are validated but not read from `o`.
 */
export function parseVarianceScaling(
  o: InitOptions,
  fixed: { readonly scale?: number; readonly mode?: FanMode; readonly distribution?: VarianceDistribution } = {},
): ResolvedVarianceScaling {
  const r = optionsRecord(o); // undefined reads as {}; null or a number is a DomainError naming options
  const f = optionsRecord(fixed, 'fixed');
  return {
    scale: positiveParam('scale', f['scale'] ?? r['scale'], 1),
    mode: enumParam<FanMode>('mode', f['mode'] ?? r['mode'], FAN_MODES, 'fan_in'),
    distribution: enumParam<VarianceDistribution>('distribution', f['distribution'] ?? r['distribution'], VARIANCE_DISTRIBUTIONS, 'truncated_normal'),
    layout: enumParam<Layout>('layout', r['layout'], LAYOUTS, 'torch'),
    compat: enumParam<'none' | 'tfjs'>('compat', r['compat'], ['none', 'tfjs'], 'none'),
    dtype: resolveDType(r['dtype']),
  };
}

/**
 * A `ResolvedVarianceScaling` handed to `drawVarianceScaling` by a caller: every field checked as `parseVarianceScaling`
 * would resolve it (no defaults: a missing field is an error naming `resolved.<field>`).
 */
function checkResolved(value: unknown): ResolvedVarianceScaling {
  if (value === null || typeof value !== 'object') {
    throw new DomainError(`resolved must be a ResolvedVarianceScaling (from parseVarianceScaling), got ${describe(value)}`);
  }
  const r = value as Record<string, unknown>;
  positiveParam('resolved.scale', r['scale']);
  enumParam<FanMode>('resolved.mode', r['mode'], FAN_MODES);
  enumParam<VarianceDistribution>('resolved.distribution', r['distribution'], VARIANCE_DISTRIBUTIONS);
  enumParam<Layout>('resolved.layout', r['layout'], LAYOUTS);
  enumParam<'none' | 'tfjs'>('resolved.compat', r['compat'], ['none', 'tfjs']);
  if (r['dtype'] !== 'float32' && r['dtype'] !== 'float64') throw new DomainError(`resolved.dtype must be "float32" or "float64", got ${describe(r['dtype'])}`);
  return value as ResolvedVarianceScaling;
}

/** Resolve and validate the options of `varianceScaling` for `shape`. */
export function varianceScalingParams(shape: Shape, options: VarianceScalingOptions = {}): VarianceScalingParams {
  return paramsFor(shape, parseVarianceScaling(checkedOptions('varianceScalingParams', options, VARIANCE_SCALING_KEYS)));
}

function paramsFor(shape: Shape, r: ResolvedVarianceScaling): VarianceScalingParams {
  const [fanIn, fanOut] = computeFans(shape, r.layout);
  const n = fanForMode(fanIn, fanOut, r.mode);
  if (!(n > 0)) throw new DomainError(`${r.mode} must be > 0, got ${n}`);
  const variance = r.scale / n;
  const std = Math.sqrt(variance);
  let distribution: 'truncated_normal' | 'normal' | 'uniform' = r.distribution === 'untruncated_normal' ? 'normal' : r.distribution;
  let parentStd = std / TRUNCATED_NORMAL_STD_2;
  if (r.compat === 'tfjs' && distribution === 'normal') {
    distribution = 'truncated_normal';
    parentStd = std;
  }
  return { fanIn, fanOut, n, variance, std, bound: Math.sqrt(3 * variance), parentStd, distribution };
}

/**
 * Variance scaling (Keras `VarianceScaling`, JAX `variance_scaling`): zero-mean samples with variance scale/n,
 * n chosen by `mode` (see the module comment). Row-major draws from `rng`.
 */
export function varianceScaling(shape: Shape, rng: RandomSource, options: VarianceScalingOptions = {}): FloatArray {
  return drawVarianceScaling(shape, rng, parseVarianceScaling(checkedOptions('varianceScaling', options, VARIANCE_SCALING_KEYS)));
}

/** `varianceScaling` for resolved options (the named wrappers and `geometricInit` parse their own options first). */
export function drawVarianceScaling(shape: Shape, rng: RandomSource, r: ResolvedVarianceScaling): FloatArray {
  checkResolved(r);
  const p = paramsFor(shape, r);
  const size = checkInitShape(shape);
  checkRng(rng);
  const out = allocate(size, r.dtype);
  switch (p.distribution) {
    case 'uniform':
      return fillUniform(out, rng, -p.bound, p.bound);
    case 'normal':
      return fillNormal(out, rng, 0, p.std);
    case 'truncated_normal':
      return fillTruncatedNormal(out, rng, 0, p.parentStd, -2 * p.parentStd, 2 * p.parentStd);
  }
}

/** Options of the Keras / JAX-named wrappers. */
export interface NamedVarianceOptions extends DTypeOptions {
  readonly layout?: Layout;
  readonly compat?: 'none' | 'tfjs';
}

/** Keys of `NamedVarianceOptions`. */
export const NAMED_VARIANCE_KEYS = optionKeys<NamedVarianceOptions>({ layout: true, compat: true, dtype: true });

/** Draw for a wrapper: the pass-through keys (layout, compat, dtype) of its checked record, its own scale / mode / distribution. */
function named(
  shape: Shape,
  rng: RandomSource,
  o: InitOptions,
  scale: number,
  mode: FanMode,
  distribution: VarianceDistribution,
): FloatArray {
  return drawVarianceScaling(shape, rng, parseVarianceScaling(o, { scale, mode, distribution }));
}

/** LeCun normal (LeCun et al. 1998; Keras `LecunNormal`): truncated normal, std 1/sqrt(fan_in). */
export function lecunNormal(shape: Shape, rng: RandomSource, options?: NamedVarianceOptions): FloatArray {
  return named(shape, rng, checkedOptions('lecunNormal', options, NAMED_VARIANCE_KEYS), 1, 'fan_in', 'truncated_normal');
}

/** LeCun uniform (Keras `LecunUniform`): U(±sqrt(3/fan_in)). */
export function lecunUniform(shape: Shape, rng: RandomSource, options?: NamedVarianceOptions): FloatArray {
  return named(shape, rng, checkedOptions('lecunUniform', options, NAMED_VARIANCE_KEYS), 1, 'fan_in', 'uniform');
}

export interface GlorotOptions extends NamedVarianceOptions {
  /** Gain g (scale g²); default 1 as in Keras. */
  readonly gain?: number;
}

/** Keys of `GlorotOptions`. */
export const GLOROT_KEYS = optionKeys<GlorotOptions>({ gain: true, layout: true, compat: true, dtype: true });

function glorotScale(fn: string, options: GlorotOptions | undefined): { o: InitOptions; scale: number } {
  const o = checkedOptions(fn, options, GLOROT_KEYS);
  const g = finiteParam('options.gain', o['gain'], 1);
  const scale = g * g;
  // the gain enters as scale = gain²: report a bad gain under its own name, not as the internal scale
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new DomainError(`options.gain must be non-zero with a finite square (0 < |gain| <= 1.3407807929942596e154), got ${g}`);
  }
  return { o, scale };
}

/** Glorot normal (Glorot & Bengio 2010; Keras `GlorotNormal`): truncated normal, std g·sqrt(2/(fan_in+fan_out)). */
export function glorotNormal(shape: Shape, rng: RandomSource, options: GlorotOptions = {}): FloatArray {
  const { o, scale } = glorotScale('glorotNormal', options);
  return named(shape, rng, o, scale, 'fan_avg', 'truncated_normal');
}

/** Glorot uniform (Keras `GlorotUniform`, the Keras / TF.js default kernel init): U(±g·sqrt(6/(fan_in+fan_out))). */
export function glorotUniform(shape: Shape, rng: RandomSource, options: GlorotOptions = {}): FloatArray {
  const { o, scale } = glorotScale('glorotUniform', options);
  return named(shape, rng, o, scale, 'fan_avg', 'uniform');
}

/** Xavier normal (PyTorch `xavier_normal_`): **untruncated** N(0, g²·2/(fan_in+fan_out)), gain default 1. */
export function xavierNormal(shape: Shape, rng: RandomSource, options: GlorotOptions = {}): FloatArray {
  const { o, scale } = glorotScale('xavierNormal', options);
  return named(shape, rng, o, scale, 'fan_avg', 'normal');
}

/** Xavier uniform (PyTorch `xavier_uniform_`): U(±g·sqrt(6/(fan_in+fan_out))), gain default 1. */
export function xavierUniform(shape: Shape, rng: RandomSource, options: GlorotOptions = {}): FloatArray {
  const { o, scale } = glorotScale('xavierUniform', options);
  return named(shape, rng, o, scale, 'fan_avg', 'uniform');
}

export interface HeOptions extends NamedVarianceOptions {
  /** `'fan_in'` (default) or `'fan_out'`. */
  readonly mode?: 'fan_in' | 'fan_out';
}

/** Keys of `HeOptions`. */
export const HE_KEYS = optionKeys<HeOptions>({ mode: true, layout: true, compat: true, dtype: true });

function heMode(fn: string, options: HeOptions | undefined): { o: InitOptions; mode: 'fan_in' | 'fan_out' } {
  const o = checkedOptions(fn, options, HE_KEYS);
  return { o, mode: enumParam<'fan_in' | 'fan_out'>('mode', o['mode'], ['fan_in', 'fan_out'], 'fan_in') };
}

/** He normal (He et al. 2015; Keras `HeNormal`): truncated normal with realised std sqrt(2/fan). */
export function heNormal(shape: Shape, rng: RandomSource, options: HeOptions = {}): FloatArray {
  const { o, mode } = heMode('heNormal', options);
  return named(shape, rng, o, 2, mode, 'truncated_normal');
}

/** He uniform (Keras `HeUniform`): U(±sqrt(6/fan)). */
export function heUniform(shape: Shape, rng: RandomSource, options: HeOptions = {}): FloatArray {
  const { o, mode } = heMode('heUniform', options);
  return named(shape, rng, o, 2, mode, 'uniform');
}

export interface KaimingOptions extends NamedVarianceOptions {
  /** Negative slope of leaky ReLU (used only with `nonlinearity: 'leaky_relu'`), default 0 (PyTorch). */
  readonly a?: number;
  /** `'fan_in'` (default) or `'fan_out'`. */
  readonly mode?: 'fan_in' | 'fan_out';
  /** Default `'leaky_relu'` (PyTorch), so the default gain is sqrt(2). */
  readonly nonlinearity?: Nonlinearity;
}

/** Keys of `KaimingOptions`. */
export const KAIMING_KEYS = optionKeys<KaimingOptions>({ a: true, mode: true, nonlinearity: true, layout: true, compat: true, dtype: true });

function kaimingScale(fn: string, options: KaimingOptions | undefined): { o: InitOptions; scale: number; mode: 'fan_in' | 'fan_out' } {
  const o = checkedOptions(fn, options, KAIMING_KEYS);
  const a = finiteParam('a', o['a'], 0);
  const mode = enumParam<'fan_in' | 'fan_out'>('mode', o['mode'], ['fan_in', 'fan_out'], 'fan_in');
  const g = calculateGain(enumParam('nonlinearity', o['nonlinearity'], NONLINEARITIES, 'leaky_relu'), a);
  return { o, scale: g * g, mode };
}

/** Kaiming normal (PyTorch `kaiming_normal_`): **untruncated** N(0, g²/fan), g = calculateGain(nonlinearity, a). */
export function kaimingNormal(shape: Shape, rng: RandomSource, options: KaimingOptions = {}): FloatArray {
  const { o, scale, mode } = kaimingScale('kaimingNormal', options);
  return named(shape, rng, o, scale, mode, 'normal');
}

/** Kaiming uniform (PyTorch `kaiming_uniform_`): U(±g·sqrt(3/fan)). */
export function kaimingUniform(shape: Shape, rng: RandomSource, options: KaimingOptions = {}): FloatArray {
  const { o, scale, mode } = kaimingScale('kaimingUniform', options);
  return named(shape, rng, o, scale, mode, 'uniform');
}

/**
 * PyTorch's default `nn.Linear` / `nn.ConvNd` weight init: `kaiming_uniform_(a = sqrt(5))`, i.e. U(±1/sqrt(fan_in)).
 * Options: `dtype`, and `layout` / `compat` as for the other named schemes.
 */
export function torchDefaultLinear(shape: Shape, rng: RandomSource, options: NamedVarianceOptions = {}): FloatArray {
  const o = checkedOptions('torchDefaultLinear', options, NAMED_VARIANCE_KEYS);
  return kaimingUniform(shape, rng, { ...o, a: Math.sqrt(5), nonlinearity: 'leaky_relu', mode: 'fan_in' });
}

/** PyTorch's default bias init for a layer with weight `weightShape`: U(±1/sqrt(fan_in)), length weightShape[0]. */
export function torchDefaultBias(weightShape: Shape, rng: RandomSource, options: DTypeOptions = {}): FloatArray {
  const dtype = resolveDType(checkedOptions('torchDefaultBias', options, optionKeys<DTypeOptions>({ dtype: true }))['dtype']);
  const [fanIn] = computeFans(weightShape, 'torch');
  const bound = 1 / Math.sqrt(fanIn);
  checkRng(rng);
  return fillUniform(allocate(weightShape[0] as number, dtype), rng, -bound, bound);
}

/** Keras / TF.js default kernel init: Glorot uniform (biases zero). */
export function kerasDefault(shape: Shape, rng: RandomSource, options: GlorotOptions = {}): FloatArray {
  return glorotUniform(shape, rng, checkedOptions('kerasDefault', options, GLOROT_KEYS));
}
