// The engine of `initlab compare` and `initlab propagate`: data model, scheme specs, defaults and the two runs.
export * from './types.js';
export { schemeId, schemeSpec } from './schemes.js';
export { DEFAULT_COMPARE, DEFAULT_PROPAGATE, DEFAULT_SCHEMES, MNIST_DESCRIPTION } from './defaults.js';
export { checkCompareConfig, checkPropagateConfig, DEFAULT_ANCHOR_BATCH } from './config.js';
export { runCompare, rankByAccuracy, type RunOptions } from './run.js';
export { runPropagate } from './propagate.js';
export { loadCompareMnist } from './mnist.js';
export { measureSignal } from './signal.js';
export { PRESERVE_BAND, preservedOf, schemeS, yardstick, type Preserved } from './yardstick.js';
export { accuracyFinding, compareFindings, preservedFinding } from './findings.js';
export { budgetCurve, budgetGrid, lrGroups, windowedLoss } from './train.js';
export { keyedSeed, fnv1a64 } from '../seeds.js';
export { mean, sampleSd, tInterval, pairedDifference, sideOf, type SeedValue } from '../stats.js';
export { regularizedBeta, studentTCdf, studentTQuantile } from '../student-t.js';
