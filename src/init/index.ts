/**
 * `initlab/init`: initializers (classic, Defazio–Bottou scaling calculus, fractional-moment, ...), the shared seeded
 * random source and the registry. Pure functions over shapes and typed arrays; imports nothing outside src/init.
 */
export * from './errors.js';
export * from './types.js';
export * from './rng.js';
export * from './registry.js';
// issue #4 scheme modules:
export * from './special.js';
export * from './params.js';
export * from './fans.js';
export * from './gain.js';
export * from './classic.js';
export * from './variance.js';
export * from './orthogonal.js';
export * from './defazio.js';
export * from './fractional.js';
// issue #5 (init part 2) exports go below this line:
export * from './mlp.js';
export * from './pathlift.js';
export * from './pathcond.js';
export * from './enorm.js';
export * from './lps.js';
export * from './pathlift-entries.js';
export * from './lps-entries.js';
export * from './meanfield.js';
export * from './meanfield-entries.js';
