// Shared machinery of every scheme: the seeded random source, fans, gains, option parsing, special functions and the
// plain-loop reference MLP.
export * from './rng.js';
export * from './sampling.js';
export * from './fans.js';
export * from './gain.js';
export * from './options.js';
export * from './special.js';
export * from './mlp.js';
