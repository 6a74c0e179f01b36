// Public surface of the meanfield scheme folder (docs/schemes/meanfield.md).
export * from './network.js';
export * from './init.js';
export * from './rates.js';
export * from './variance.js';
export * from './entries.js';
