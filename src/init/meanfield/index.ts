// Public surface of the meanfield scheme folder (docs/schemes/meanfield.md).
export * from './entries.js';
export * from './meanfield.js';
