/**
 * Deterministic and basic random initializers (docs/schemes/classic.md), after PyTorch `torch.nn.init`
 * (`zeros_`, `ones_`, `constant_`, `uniform_`, `normal_`, `trunc_normal_`, `eye_`, `dirac_`, `sparse_`) and the
 * Keras / TF.js initializers of the same names.
 *
 * All functions return a fresh row-major array: `Float32Array` by default, `Float64Array` with `{ dtype: 'float64' }`.
 * Parameters and samples are computed in float64 and rounded on assignment. Random ones draw from the explicit
 * `rng` in row-major order.
 */
import { DomainError, describe } from '../../core/errors.js';
import { checkedOptions, finiteParam, nonNegativeParam, optionKeys, positiveIntParam, positiveParam, rangeParam } from '../support/options.js';
import { checkRng, type RandomSource } from '../support/rng.js';
import { fillNormal, fillTruncatedNormal, fillUniform, MIN_TRUNCATION_MASS } from '../support/sampling.js';
import { normalCdf, normalPdf } from '../support/special.js';
import { allocate, resolveDType, type DTypeOptions, type FloatArray, type Shape } from '../../core/index.js';
import { checkInitShape } from '../support/size.js';

const DTYPE_KEYS = optionKeys<DTypeOptions>({ dtype: true });

/** Fill with 0. No RNG use. */
export function zeros(shape: Shape, options: DTypeOptions = {}): FloatArray {
  const n = checkInitShape(shape);
  return allocate(n, resolveDType(checkedOptions('zeros', options, DTYPE_KEYS)['dtype']));
}

/** Fill with 1. No RNG use. */
export function ones(shape: Shape, options: DTypeOptions = {}): FloatArray {
  return constant(shape, 1, checkedOptions('ones', options, DTYPE_KEYS));
}

/** Fill with `value` (rounded to float32 unless `dtype: 'float64'`). No RNG use. */
export function constant(shape: Shape, value: number, options: DTypeOptions = {}): FloatArray {
  const n = checkInitShape(shape);
  const v = finiteParam('value', value);
  return allocate(n, resolveDType(checkedOptions('constant', options, DTYPE_KEYS)['dtype'])).fill(v);
}

export interface UniformOptions extends DTypeOptions {
  /** Lower bound, default 0 (PyTorch `uniform_`). */
  readonly a?: number;
  /** Upper bound, default 1; must exceed `a`. */
  readonly b?: number;
}

/**
 * U[a, b): `a + (b − a)·nextFloat64()` in row-major order. Mean (a+b)/2, variance (b−a)²/12. Any finite bounds
 * work: when b − a overflows (e.g. ±1e308) the draw is computed as `(a − u·a) + u·b` (support/rng.ts).
 */
export function uniform(shape: Shape, rng: RandomSource, options: UniformOptions = {}): FloatArray {
  const o = checkedOptions('uniform', options, optionKeys<UniformOptions>({ a: true, b: true, dtype: true }));
  const n = checkInitShape(shape);
  const a = finiteParam('a', o['a'], 0);
  const b = finiteParam('b', o['b'], 1);
  if (!(a < b)) throw new DomainError(`a must be < b, got a = ${describe(a)}, b = ${describe(b)}`);
  checkRng(rng);
  return fillUniform(allocate(n, resolveDType(o['dtype'])), rng, a, b);
}

export interface NormalOptions extends DTypeOptions {
  /** Default 0. */
  readonly mean?: number;
  /** Default 1; must be ≥ 0. */
  readonly std?: number;
}

/** N(mean, std²): `mean + std·nextNormal()` in row-major order (PyTorch `normal_`). */
export function normal(shape: Shape, rng: RandomSource, options: NormalOptions = {}): FloatArray {
  const o = checkedOptions('normal', options, optionKeys<NormalOptions>({ mean: true, std: true, dtype: true }));
  const n = checkInitShape(shape);
  const mean = finiteParam('mean', o['mean'], 0);
  const std = nonNegativeParam('std', o['std'], 1);
  checkRng(rng);
  return fillNormal(allocate(n, resolveDType(o['dtype'])), rng, mean, std);
}

export interface TruncatedNormalOptions extends DTypeOptions {
  /** Mean of the parent normal, default 0. */
  readonly mean?: number;
  /** Std of the parent normal (not of the result), default 1; must be > 0. */
  readonly std?: number;
  /** Absolute lower bound (PyTorch `trunc_normal_` convention); default `mean − 2·std` (Keras convention). */
  readonly a?: number;
  /** Absolute upper bound; default `mean + 2·std`. */
  readonly b?: number;
}

// One threshold for every truncated-normal window of src/init (sampler, fill, moments, this initializer).
export { MIN_TRUNCATION_MASS } from '../support/sampling.js';

/** The closed-form moments of `truncatedNormalMoments`, unchecked (callers validated the window). */
function truncatedMoments(mean: number, std: number, a: number, b: number): { mean: number; std: number; mass: number } {
  const al = (a - mean) / std;
  const be = (b - mean) / std;
  // mass via the tail that is more accurate
  const mass = al > 0 ? normalCdf(-al) - normalCdf(-be) : normalCdf(be) - normalCdf(al);
  const pa = Number.isFinite(al) ? normalPdf(al) : 0;
  const pb = Number.isFinite(be) ? normalPdf(be) : 0;
  const ta = Number.isFinite(al) ? al * pa : 0;
  const tb = Number.isFinite(be) ? be * pb : 0;
  const m1 = (pa - pb) / mass;
  const v = 1 + (ta - tb) / mass - m1 * m1;
  return { mean: mean + std * m1, std: std * Math.sqrt(v), mass };
}

/**
 * Mean and std of N(mean, std²) truncated to [a, b] (closed form with φ, Φ), and the probability mass kept.
 * For bounds mean ± 2·std the std is 0.87962566103423978·std (docs/schemes/classic.md).
 * mean finite, std finite and > 0, a < b (either may be infinite); the window must keep at least
 * MIN_TRUNCATION_MASS = 1e-6 of the probability: further in the tail the ratios φ/mass lose every digit (NaN), so
 * such windows are a DomainError instead.
 */
export function truncatedNormalMoments(
  mean: number,
  std: number,
  a: number,
  b: number,
): { mean: number; std: number; mass: number } {
  finiteParam('mean', mean);
  positiveParam('std', std);
  for (const [n, v] of [['a', a], ['b', b]] as const) {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new DomainError(`${n} must be a number (±Infinity allowed), got ${describe(v)}`);
  }
  if (!(a < b)) throw new DomainError(`a must be < b (the truncation window [a, b] must not be empty), got a = ${describe(a)}, b = ${describe(b)}`);
  const r = truncatedMoments(mean, std, a, b);
  if (!(r.mass >= MIN_TRUNCATION_MASS)) {
    throw new DomainError(`truncation window [a, b] = [${a}, ${b}] keeps probability ${r.mass} of N(${mean}, ${std}²); must be >= MIN_TRUNCATION_MASS = ${MIN_TRUNCATION_MASS}`);
  }
  return r;
}

/**
 * Truncated normal by rejection: draw z = nextNormal() until a ≤ mean + std·z ≤ b (row-major).
 * - Keras / TF / TF.js `TruncatedNormal(mean, stddev)`: omit a, b; bounds mean ± 2·std, realised std
 *   0.87962566103423978·std.
 * - PyTorch `trunc_normal_(mean, std, a, b)`: a, b are absolute bounds (with std = 0.02 and a = −2, b = 2 there is
 *   effectively no truncation).
 * The kept probability mass must be ≥ 1e-6 (else the rejection loop would be impractical): DomainError.
 */
export function truncatedNormal(shape: Shape, rng: RandomSource, options: TruncatedNormalOptions = {}): FloatArray {
  const o = checkedOptions('truncatedNormal', options, optionKeys<TruncatedNormalOptions>({ mean: true, std: true, a: true, b: true, dtype: true }));
  const n = checkInitShape(shape);
  const mean = finiteParam('mean', o['mean'], 0);
  const std = rangeParam('std', o['std'], 0, Infinity, { dflt: 1, openLo: true, openHi: true });
  const a = finiteParam('a', o['a'], mean - 2 * std);
  const b = finiteParam('b', o['b'], mean + 2 * std);
  // name each bound as the caller wrote it, or as the default it came from
  const aName = o['a'] === undefined ? `a (default mean - 2·std = ${a})` : `options.a = ${a}`;
  const bName = o['b'] === undefined ? `b (default mean + 2·std = ${b})` : `options.b = ${b}`;
  if (!(a < b)) throw new DomainError(`a must be < b: the truncation interval [a, b] = [${a}, ${b}] is empty (${aName}, ${bName})`);
  const { mass } = truncatedMoments(mean, std, a, b);
  if (!(mass >= MIN_TRUNCATION_MASS)) {
    throw new DomainError(
      `truncation interval [a, b] = [${a}, ${b}] (${aName}, ${bName}) keeps probability ${mass} of N(${mean}, ${std}²); must be >= ${MIN_TRUNCATION_MASS}`,
    );
  }
  checkRng(rng);
  return fillTruncatedNormal(allocate(n, resolveDType(o['dtype'])), rng, mean, std, a, b);
}

export interface EyeOptions extends DTypeOptions {
  /** Value on the diagonal, default 1 (Keras `Identity(gain)`). */
  readonly gain?: number;
}

/**
 * Identity matrix (PyTorch `eye_`, Keras `Identity`): rank 2 only, `W[i][i] = gain` for i < min(out, in), all else 0;
 * rectangular shapes allowed. `W·x` returns `gain·x[i]` in output i < min(out, in). No RNG use.
 */
export function eye(shape: Shape, options: EyeOptions = {}): FloatArray {
  const o = checkedOptions('eye', options, optionKeys<EyeOptions>({ gain: true, dtype: true }));
  checkInitShape(shape, 'shape', 2, 2);
  const gain = finiteParam('gain', o['gain'], 1);
  const rows = shape[0] as number;
  const cols = shape[1] as number;
  const out = allocate(rows * cols, resolveDType(o['dtype']));
  const m = Math.min(rows, cols);
  for (let i = 0; i < m; i++) out[i * cols + i] = gain;
  return out;
}

export interface DiracOptions extends DTypeOptions {
  /** Number of groups; `shape[0]` must be divisible by it. Default 1. */
  readonly groups?: number;
}

/**
 * Dirac delta (PyTorch `dirac_`): rank 3, 4 or 5 conv weight `[out, in/groups, k…]`. With `opg = out/groups` and
 * `m = min(opg, shape[1])`, sets `W[g·opg + d, d, ⌊k1/2⌋, ⌊k2/2⌋, …] = 1` for every group g and d < m, else 0.
 * A stride-1 convolution with odd kernels and "same" zero padding then passes input channel `g·shape[1] + d`
 * unchanged to output channel `g·opg + d`. With even kernel sizes ⌊k/2⌋ is off-centre, so the identity holds only up
 * to a shift that depends on the padding. No RNG use.
 */
export function dirac(shape: Shape, options: DiracOptions = {}): FloatArray {
  const o = checkedOptions('dirac', options, optionKeys<DiracOptions>({ groups: true, dtype: true }));
  const n = checkInitShape(shape, 'shape', 3, 5);
  const groups = positiveIntParam('groups', o['groups'], 1);
  const out0 = shape[0] as number;
  if (out0 % groups !== 0) {
    throw new DomainError(`groups must divide shape[0] = ${out0}, got groups = ${groups}`);
  }
  const out = allocate(n, resolveDType(o['dtype']));
  const opg = out0 / groups;
  const cin = shape[1] as number;
  const m = Math.min(opg, cin);
  const ks = shape.slice(2);
  let kernelSize = 1;
  for (const k of ks) kernelSize *= k;
  // flat offset of the kernel centre
  let centre = 0;
  for (let i = 0; i < ks.length; i++) {
    let stride = 1;
    for (let j = i + 1; j < ks.length; j++) stride *= ks[j] as number;
    centre += Math.floor((ks[i] as number) / 2) * stride;
  }
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < m; d++) {
      out[((g * opg + d) * cin + d) * kernelSize + centre] = 1;
    }
  }
  return out;
}

export interface SparseOptions extends DTypeOptions {
  /** Fraction of each column set to zero, in [0, 1]; required. */
  readonly sparsity?: number;
  /** Std of the non-zero normal entries, default 0.01. */
  readonly std?: number;
}

/**
 * Sparse init (PyTorch `sparse_`, after Martens 2010): rank 2 `[rows = out, cols = in]`.
 * 1. numZeros = ceil(sparsity·rows); 2. fill the matrix with N(0, std²) row-major;
 * 3. for each column c in order: partial Fisher–Yates on perm = [0..rows−1] (for i < numZeros,
 *    j = i + nextInt(rows − i), swap), then zero W[perm[i]][c] for i < numZeros.
 * Every column has exactly numZeros zeros. Note: Martens' original scheme fixes the number of non-zero incoming
 * weights per unit (e.g. 15); this is PyTorch's variant, which zeroes a fraction of each column.
 */
export function sparse(shape: Shape, rng: RandomSource, options: SparseOptions = {}): FloatArray {
  const o = checkedOptions('sparse', options, optionKeys<SparseOptions>({ sparsity: true, std: true, dtype: true }));
  checkInitShape(shape, 'shape', 2, 2);
  if (o['sparsity'] === undefined) throw new DomainError('sparsity is required (a number in [0, 1])');
  const sparsity = rangeParam('sparsity', o['sparsity'], 0, 1);
  const std = nonNegativeParam('std', o['std'], 0.01);
  checkRng(rng);
  const rows = shape[0] as number;
  const cols = shape[1] as number;
  const out = fillNormal(allocate(rows * cols, resolveDType(o['dtype'])), rng, 0, std);
  const numZeros = Math.ceil(sparsity * rows);
  const perm = new Int32Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < rows; i++) perm[i] = i;
    for (let i = 0; i < numZeros; i++) {
      const j = i + rng.nextInt(rows - i);
      const t = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = t;
    }
    for (let i = 0; i < numZeros; i++) out[(perm[i] as number) * cols + c] = 0;
  }
  return out;
}
