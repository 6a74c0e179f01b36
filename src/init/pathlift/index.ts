/**
 * Public surface of the pathlift scheme folder (docs/schemes/pathlift.md): path-lifting of ReLU MLPs (Φ, path-norms,
 * diag(G), neuron-wise rescaling T_λ), PathCond (objective as implemented in the authors' code) and the ENorm baseline.
 *
 * Files: `paths.ts` (Φ, countPaths, path-norms), `diag-g.ts` (diag(G), flat parameter order), `rescaling.ts` (T_λ and
 * its log-parametrisation), `pathcond.ts`, `enorm.ts`, `entries.ts` (registry entries), `plain.ts` (internal: the
 * network check that rejects a forward `scale` ≠ 1). Internal helpers (the unchecked cores the public functions and
 * the entries share) are not re-exported.
 */
export * from './paths.js';
export { type DiagG, flattenParams, pathLiftingDiagG } from './diag-g.js';
export {
  type NeuronScales,
  applyLogRescaling,
  applyNeuronRescaling,
  invertNeuronRescaling,
  lambdaToLogScales,
  logScalesToLambda,
  rescalingExponents,
} from './rescaling.js';
export {
  type PathCondOptions,
  type PathCondResult,
  type ResolvedPathCondOptions,
  PATHCOND_KEYS,
  parsePathCondOptions,
  pathCondObjective,
  pathCondRescale,
} from './pathcond.js';
export {
  type ENormOptions,
  type ENormResult,
  type ENormVariant,
  type ResolvedENormOptions,
  ENORM_KEYS,
  enormCost,
  enormRescale,
  parseENormOptions,
} from './enorm.js';
export * from './entries.js';
