/**
 * Measurements from arrays for the Defazio–Bottou scaling calculus (docs/schemes/scaling.md): the uncentred second
 * moment every γ is built from, and the empirical γ̂ of a layer from per-sample weight gradients.
 */
import { DomainError, NonFiniteError, ShapeError, describe } from '../../core/errors.js';

/** A non-empty array of numbers or float typed array named `name` (ShapeError / DomainError otherwise). */
function checkValues(x: unknown, name: string): ArrayLike<number> {
  if (!(Array.isArray(x) || x instanceof Float64Array || x instanceof Float32Array)) {
    throw new ShapeError(`${name} must be an array of numbers or a Float64Array / Float32Array, got ${describe(x)}`);
  }
  if (Array.isArray(x)) {
    x.forEach((v: unknown, i) => {
      if (typeof v !== 'number') throw new DomainError(`${name}[${i}] must be a number, got ${describe(v)}`);
    });
  }
  return x as ArrayLike<number>;
}

/** mean(x²), unchecked (float64 accumulation in index order). */
function meanSquare(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (x[i] as number);
  return s / x.length;
}

/** Uncentred second moment mean(x²) of a non-empty array (float64 accumulation in index order). */
export function secondMoment(x: ArrayLike<number>): number {
  checkValues(x, 'x');
  if (x.length === 0) throw new ShapeError('secondMoment needs a non-empty array');
  return meanSquare(x);
}

/** Largest |x_i| (0 for an all-zero array). */
function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] as number));
  return m;
}

/** Smallest normal float64 with margin: sums of squares above it kept their digits. */
const SAFE_MOMENT = 1e-290;

/**
 * Empirical γ̂ = mean over samples of mean(ΔW²) / mean(W²) from per-sample weight gradients (the measured counterpart
 * of the report's γ; reconstruction). `W` and each gradient: arrays of finite numbers of one length; mean(W²) > 0.
 * When the squares leave the normal float64 range (entries below ~1e-145 or above ~1e154) the moments are taken of
 * the arrays divided by their largest |entry| and the scales put back in the ratio, so the result stays finite
 * whenever γ̂ itself is representable (NonFiniteError when it is not).
 */
export function empiricalGamma(W: ArrayLike<number>, perSampleGrads: readonly ArrayLike<number>[]): number {
  checkValues(W, 'W');
  if (!Array.isArray(perSampleGrads)) throw new ShapeError(`perSampleGrads must be an array of gradient arrays, got ${describe(perSampleGrads)}`);
  if (perSampleGrads.length === 0) throw new ShapeError('perSampleGrads must be non-empty');
  if (W.length === 0) throw new ShapeError('W must be a non-empty array');
  const all = [W, ...perSampleGrads.map((gr: unknown, s) => checkValues(gr, `perSampleGrads[${s}]`))];
  for (const x of all) {
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new NonFiniteError(`W and perSampleGrads must hold finite numbers, got ${describe(x[i])}`);
  }
  let acc = 0;
  for (const gr of perSampleGrads) {
    if (gr.length !== W.length) throw new ShapeError(`gradient length ${gr.length} does not match W length ${W.length}`);
    acc += meanSquare(gr);
  }
  const sW = meanSquare(W);
  if (sW > SAFE_MOMENT && (acc > SAFE_MOMENT || acc === 0) && Number.isFinite(acc) && Number.isFinite(sW)) return acc / perSampleGrads.length / sW;
  // scaled path: the moments of W / a and g / b, then (b / a)² put back
  const a = maxAbs(W);
  if (a === 0) throw new DomainError('W must not be all zeros: γ̂ divides by mean(W²)');
  const b = Math.max(...perSampleGrads.map(maxAbs));
  if (b === 0) return 0;
  let accScaled = 0;
  for (const gr of perSampleGrads) accScaled += meanSquare(Array.from(gr, (v: number) => v / b));
  const ratio = b / a;
  const g = ((accScaled / perSampleGrads.length / meanSquare(Array.from(W, (v: number) => v / a))) * ratio) * ratio;
  if (!Number.isFinite(g)) throw new NonFiniteError(`empiricalGamma: γ̂ = ${g} is not representable in float64 (max|ΔW| / max|W| = ${ratio})`);
  return g;
}
