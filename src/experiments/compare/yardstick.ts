/**
 * Each scheme judged by the quantity it promises to preserve (SchemeSpec.preserves), against the theory's
 * prediction, over seeds: the measured per-seed values, their Student-t interval, and whether it contains the
 * prediction.
 */
import { initOutputVariance, type Gammas } from '../../init/index.js';
import { ratioInterval } from '../stats.js';
import type { PreservedMeasure, SchemeSpec, SignalRun } from './types.js';

/** The yardstick of a scheme, as SchemeResult.preserved and PropagateCell.preserved hold it (`confirmed` always set). */
export type Preserved = PreservedMeasure & { readonly confirmed: boolean };

/**
 * A yardstick is confirmed when its whole interval lies within this factor of the prediction: an interval that
 * contains the prediction but reaches beyond it is consistent with the theory without supporting it (within noise).
 */
export const PRESERVE_BAND = 2;

/** E[C²] of the mean-field output weights: U(−1, 1) ('centered') and U(0, 1) ('authors-code') both give 1/3. */
const OUTPUT_SECOND_MOMENT = 1 / 3;

const last = (xs: readonly number[]): number => xs[xs.length - 1]!;

/**
 * The yardstick's quantity and its per-run value, for a network of layer widths `widths`:
 * - 'second-moment': E[h_L²] / E[h_1²], last over first hidden layer's pre-activation second moment; predicted 1
 *   (He et al. 2015: a variance-preserving init keeps it across layers);
 * - 's-moment': E‖x_L‖^s / E‖x_1‖^s of the activations (the scheme's own s); predicted 1 (Gürbüzbalaban & Hu 2021:
 *   exact across the square hidden layers; the first, rectangular layer changes the norm's scale, hence the ratio to
 *   layer 1 rather than to the input);
 * - 'meanfield': E[y²] / (N_L^{1−2γ_L} · E[C²] · E[x_L²]), the measured output variance over `initOutputVariance`
 *   with the measured E[x_L²] and E[C²] = 1/3; predicted 1 (Yu & Spiliopoulos; exact for a mean-zero output layer,
 *   outputInit 'centered' — the authors' U(0, 1) has mean ½ and makes the ratio exceed 1);
 * - 'gamma-balance': max_l γ_l / min_l γ_l of the empirical Defazio–Bottou γ_l; predicted 1 (balanced).
 */
export function yardstick(spec: SchemeSpec, widths: readonly number[], sMoment: number): { quantity: string; value: (r: SignalRun) => number } {
  switch (spec.preserves) {
    case 'second-moment':
      return { quantity: 'E[h²] at the last over the first hidden layer', value: (r) => last(r.secondMoment) / r.secondMoment[0]! };
    case 's-moment':
      return {
        quantity: `E‖x‖^s at the last over the first hidden layer (s = ${schemeS(spec, sMoment)})`,
        value: (r) => last(r.sMomentRatio) / r.sMomentRatio[0]!,
      };
    case 'meanfield': {
      const gammas = (spec.options['gammas'] ?? 1) as Gammas;
      const centered = spec.options['outputInit'] === 'centered';
      return {
        quantity: `output variance over N_L^(1−2γ_L)·E[C²]·E[x_L²]${centered ? '' : " (exact for outputInit 'centered' only)"}`,
        value: (r) => r.outputVariance / initOutputVariance(widths, gammas, {
          activationSecondMoment: last(r.activationSecondMoment ?? [NaN]), outputSecondMoment: OUTPUT_SECOND_MOMENT,
        }),
      };
    }
    case 'gamma-balance':
      return { quantity: 'max γ_l / min γ_l over the weight layers', value: (r) => Math.max(...r.gamma) / Math.min(...r.gamma) };
  }
}

/** s of a scheme's s-moment: a fractional scheme's own s (its default 1 when unset), else `sMoment`. */
export function schemeS(spec: SchemeSpec, sMoment: number): number {
  if (spec.name !== 'fractional') return sMoment;
  const s = spec.options['s'];
  return typeof s === 'number' ? s : 1;
}

/**
 * The yardstick over the signal runs of the seeds that succeeded, at level `confidence`: every quantity is a positive
 * ratio predicted to be 1, so its interval is taken on the log scale (`ratioInterval`, around the geometric mean over
 * seeds), which stays positive and judges ×k and ÷k alike; holds ⇔ lo ≤ 1 ≤ hi,
 * confirmed ⇔ also 1/PRESERVE_BAND ≤ lo and hi ≤ PRESERVE_BAND (both false when the interval is undefined: fewer than
 * two seeds, or a non-finite value).
 */
export function preservedOf(spec: SchemeSpec, runs: readonly SignalRun[], widths: readonly number[], sMoment: number, confidence: number): Preserved {
  const y = yardstick(spec, widths, sMoment);
  const value = (r: SignalRun): number => {
    try {
      return y.value(r);
    } catch {
      return NaN; // e.g. non-finite moments that initOutputVariance rejects: no value, so the interval is NaN and fails
    }
  };
  const measured = ratioInterval(runs.map(value), confidence);
  const holds = measured.lo <= 1 && 1 <= measured.hi;
  return { quantity: y.quantity, measured, predicted: 1, holds, confirmed: holds && 1 / PRESERVE_BAND <= measured.lo && measured.hi <= PRESERVE_BAND };
}
