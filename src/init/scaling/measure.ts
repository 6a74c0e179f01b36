/**
 * Measurements from arrays for the Defazio–Bottou scaling calculus (docs/schemes/scaling.md): the uncentred second
 * moment every γ is built from, and the empirical γ̂ of a layer from per-sample weight gradients.
 */
import { ShapeError } from '../../core/errors.js';

/** Uncentred second moment mean(x²) of a non-empty array (float64 accumulation in index order). */
export function secondMoment(x: ArrayLike<number>): number {
  if (x.length === 0) throw new ShapeError('secondMoment needs a non-empty array');
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (x[i] as number);
  return s / x.length;
}

/**
 * Empirical γ̂ = mean over samples of mean(ΔW²) / mean(W²) from per-sample weight gradients (the measured counterpart
 * of the report's γ; reconstruction).
 */
export function empiricalGamma(W: ArrayLike<number>, perSampleGrads: readonly ArrayLike<number>[]): number {
  if (perSampleGrads.length === 0) throw new ShapeError('perSampleGrads must be non-empty');
  let acc = 0;
  for (const gr of perSampleGrads) {
    if (gr.length !== W.length) throw new ShapeError(`gradient length ${gr.length} does not match W length ${W.length}`);
    acc += secondMoment(gr);
  }
  return acc / perSampleGrads.length / secondMoment(W);
}
