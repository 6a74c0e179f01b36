// Public surface of the scaling scheme folder (docs/schemes/scaling.md).
export * from './calculus.js';
export * from './entries.js';
