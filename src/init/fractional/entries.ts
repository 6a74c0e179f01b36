/** Registry entry of the fractional moment-preserving init (Gürbüzbalaban & Hu). */
import { optionsRecord } from '../support/options.js';
import type { InitializerEntry, TensorInitializerEntry } from '../entry.js';
import { fractionalMomentNormal } from './init.js';

const FRACTIONAL =
  'Gürbüzbalaban & Hu, Fractional moment-preserving initialization schemes for training deep neural networks (AISTATS 2021; arXiv:2005.11878)';

const fractional: TensorInitializerEntry = {
  kind: 'tensor',
  name: 'fractional',
  aliases: ['fractional_moment', 'fractional_moment_normal'],
  description:
    'N(0, σ_s²) preserving E‖x‖^s (0 < s ≤ 2) for linear / ReLU / leaky / RReLU; exact σ_s for ReLU (as in the authors\' notebooks) and linear; ' +
    'fractional-moment σ_s for RReLU / leaky ReLU (derived; the paper\'s exact statement is unverified); compat: \'authors-code\' uses the asymptotic formulas of the published experiments',
  source: `${FRACTIONAL}; authors' code frac_init.py (yuanhan_normal_)`,
  provenance: 'derived',
  init: (shape, rng, options) => fractionalMomentNormal(shape, rng, optionsRecord(options)),
};

export const FRACTIONAL_ENTRIES: readonly InitializerEntry[] = [fractional];
