/**
 * The one list of built-in initializer entries, registered when this module loads. Each scheme folder exports its
 * entries from `<scheme>/entries.ts`; adding a scheme adds one line here.
 */
import type { InitializerEntry } from './entry.js';
import { registerInitializer } from './registry.js';
import { CLASSIC_ENTRIES } from './classic/entries.js';
import { SCALING_ENTRIES } from './scaling/entries.js';
import { FRACTIONAL_ENTRIES } from './fractional/entries.js';
import { PATHLIFT_ENTRIES } from './pathlift/entries.js';
import { LPS_ENTRIES } from './lps/entries.js';
import { MEANFIELD_ENTRIES } from './meanfield/entries.js';
import { MUP_ENTRIES } from './mup/entries.js';
import { LSUV_ENTRIES } from './lsuv/entries.js';

/** Every built-in entry, in registration order. */
export const BUILTIN_INITIALIZERS: readonly InitializerEntry[] = [
  ...CLASSIC_ENTRIES, // classic/: zeros … orthogonal, variance scaling, LeCun, Glorot, He, Kaiming
  ...SCALING_ENTRIES, // scaling/: geometric (Defazio & Bottou), scaling_balanced (reconstruction)
  ...FRACTIONAL_ENTRIES, // fractional/: fractional moment-preserving (Gürbüzbalaban & Hu)
  ...PATHLIFT_ENTRIES, // pathlift/: pathcond_after_he, enorm_after_he
  ...LPS_ENTRIES, // lps/: lps_r, lps_r_plus (reconstruction of Chen, Hao & He)
  ...MEANFIELD_ENTRIES, // meanfield/: Yu & Spiliopoulos 1/N^γ normalization
  ...MUP_ENTRIES, // mup/: maximal-update parametrization (Yang, Hu et al.; package mup)
  ...LSUV_ENTRIES, // lsuv/: layer-sequential unit variance (Mishkin & Matas), needs a data batch
];

for (const e of BUILTIN_INITIALIZERS) registerInitializer(e);
