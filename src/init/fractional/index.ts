// Public surface of the fractional scheme folder (docs/schemes/fractional.md).
export { resolveActivation, type FractionalActivation, type FractionalActivationSpec, type ResolvedActivation } from './activation.js';
export { betaExpect } from './mixture.js';
export { logMomentLaplace, logMomentM, momentM } from './moments.js';
export type { FractionalCompat } from './params.js';
export { momentRatio, sigmaS, sigmaSSquaredExpansion, type SigmaSOptions } from './sigma.js';
export { logNormDrift, type LogNormDrift, type LogNormDriftOptions } from './drift.js';
export {
  FRACTIONAL_KEYS,
  fractionalMomentNormal,
  parseFractionalOptions,
  type FractionalMomentOptions,
  type ResolvedFractionalOptions,
} from './init.js';
export * from './entries.js';
