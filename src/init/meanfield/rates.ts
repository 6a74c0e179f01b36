/**
 * Per-layer SGD learning rates of the mean-field nets: the authors' formulas for 1–3 hidden layers [V-code] and the
 * inferred general-depth rule (docs/schemes/meanfield.md).
 */
import { DomainError } from '../../core/errors.js';
import { checkedOptions, optionKeys, positiveParam } from '../support/options.js';
import { checkGammas, checkMeanFieldWidths, type Gammas } from './network.js';

/** Options of the learning-rate functions. */
export interface MeanFieldRateOptions {
  /** The O(1) constant multiplying every rate; default 1, as in the authors' code [V-readme, V-code]. */
  readonly alpha0?: number;
}
const RATE_KEYS = optionKeys<MeanFieldRateOptions>({ alpha0: true });

function parseRates(fn: string, widths: unknown, gammas: unknown, options: unknown): { N: number[]; g: number[]; L: number; alpha0: number } {
  const o = checkedOptions(fn, options, RATE_KEYS);
  const w = checkMeanFieldWidths(widths);
  const L = w.length - 2;
  const g = checkGammas(gammas, L);
  const a = positiveParam('options.alpha0', o['alpha0'], 1);
  // N[m] = N_m for m = 1 … L; g[m] = γ_m (1-based, index 0 unused) to read like the spec's formulas.
  return { N: [NaN, ...w.slice(1, L + 1)], g: [NaN, ...g], L, alpha0: a };
}

/**
 * Per-layer SGD learning rates of the authors' code, forward order `[α_{W^1}, …, α_{W^L}, α_C]`, for widths
 * `[d, N_1, …, N_L, K]` (d and K do not enter) and L ∈ {1, 2, 3} hidden layers [V-code, V-readme, V-shallow]:
 *
 *     L = 1:  α_W = α_C = N^{2γ−2}
 *     L = 2:  α_1 = N1^{2γ1−1} N2^{2γ2−3},  α_2 = N1^{2γ1−1} N2^{2γ2−2},  α_C = N2^{2γ2−2}
 *     L = 3:  α_1 = N1^{2γ1−1} N2^{2γ2−2} N3^{2γ3−3},  α_2 = N1^{2γ1−1} N2^{2γ2−1} N3^{2γ3−3},
 *             α_3 = N2^{2γ2−1} N3^{2γ3−2},  α_C = N3^{2γ3−2}
 *
 * each times `alpha0` (the README says each rate is right up to an O(1) constant; the code uses 1). Deeper nets raise a
 * DomainError: the paper's general-depth formula was not found; `inferredGeneralDepthLearningRates` is an inference.
 */
export function meanFieldLearningRates(widths: readonly number[], gammas: Gammas, options: MeanFieldRateOptions = {}): number[] {
  const { N, g, L, alpha0 } = parseRates('meanFieldLearningRates', widths, gammas, options);
  const p = (m: number, e: number): number => Math.pow(N[m]!, e);
  let rates: number[];
  if (L === 1) {
    const a = p(1, 2 * g[1]! - 2);
    rates = [a, a];
  } else if (L === 2) {
    rates = [
      p(1, 2 * g[1]! - 1) * p(2, 2 * g[2]! - 3),
      p(1, 2 * g[1]! - 1) * p(2, 2 * g[2]! - 2),
      p(2, 2 * g[2]! - 2),
    ];
  } else if (L === 3) {
    rates = [
      p(1, 2 * g[1]! - 1) * p(2, 2 * g[2]! - 2) * p(3, 2 * g[3]! - 3),
      p(1, 2 * g[1]! - 1) * p(2, 2 * g[2]! - 1) * p(3, 2 * g[3]! - 3),
      p(2, 2 * g[2]! - 1) * p(3, 2 * g[3]! - 2),
      p(3, 2 * g[3]! - 2),
    ];
  } else {
    throw new DomainError(
      `meanFieldLearningRates: verified formulas exist only for 1–3 hidden layers, got ${L} (widths.length − 2); ` +
        'inferredGeneralDepthLearningRates gives the general-depth mean-field learning rates (inferred)',
    );
  }
  return rates.map((a) => alpha0 * a);
}

/**
 * General-depth mean-field learning rates (inferred; verified formulas exist only for 1–3 hidden layers) [I + V-num].
 * Not the paper's formula (which was not found): a rule inferred for the spec that reproduces every verified case.
 * With a_0 = a_{L+1} = 1, a_m = N_m^{1−2γ_m}, b_m = N_m^{2−2γ_m} (1 ≤ m ≤ L) and C = W^{L+1}:
 *
 *     α_{W^ℓ} = alpha0 / ( N_L · a_{ℓ−1} · a_ℓ · Π_{m=ℓ+1}^{L} b_m ),   ℓ = 1 … L+1
 *
 * Heuristic: each group's step changes the output by Θ(1/N_L), counting every normalized sum as coherent. For L ≥ 4
 * it is a prediction only. Returns `[α_{W^1}, …, α_{W^L}, α_C]`.
 */
export function inferredGeneralDepthLearningRates(widths: readonly number[], gammas: Gammas, options: MeanFieldRateOptions = {}): number[] {
  const { N, g, L, alpha0 } = parseRates('inferredGeneralDepthLearningRates', widths, gammas, options);
  const a = (m: number): number => (m === 0 || m === L + 1 ? 1 : Math.pow(N[m]!, 1 - 2 * g[m]!));
  const b = (m: number): number => Math.pow(N[m]!, 2 - 2 * g[m]!);
  const rates: number[] = [];
  for (let l = 1; l <= L + 1; l++) {
    let den = N[L]! * a(l - 1) * a(l);
    for (let m = l + 1; m <= L; m++) den *= b(m);
    rates.push(alpha0 / den);
  }
  return rates;
}
