// Public surface of the lsuv scheme folder (docs/schemes/lsuv.md).
export { LSUV_KEYS, LSUV_MAX_PASSES, LsuvConvergenceError, lsuvInit } from './lsuv.js';
export type { LsuvOptions, LsuvResult, ResolvedLsuvOptions } from './lsuv.js';
export { LSUV_ENTRIES } from './entries.js';
