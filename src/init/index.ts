/**
 * `initlab/init`: initializers (classic, Defazio–Bottou scaling calculus, fractional-moment, mean-field, path-lifting
 * rescaling, LPS-R, μP, LSUV), the shared seeded random source and the registry. Pure functions over shapes and typed arrays;
 * imports only src/core and itself. One folder per scheme: docs/schemes/<folder>.md describes each.
 */
export * from '../core/index.js';
export * from './entry.js';
export * from './registry.js';
export * from './builtin.js';
export * from './support/index.js';
export * from './classic/index.js';
export * from './scaling/index.js';
export * from './fractional/index.js';
export * from './meanfield/index.js';
export * from './pathlift/index.js';
export * from './lps/index.js';
export * from './mup/index.js';
export * from './lsuv/index.js';
