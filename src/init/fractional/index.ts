// Public surface of the fractional scheme folder (docs/schemes/fractional.md).
export * from './moments.js';
export * from './entries.js';
