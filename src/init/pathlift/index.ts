// Public surface of the pathlift scheme folder (docs/schemes/pathlift.md).
export * from './enorm.js';
export * from './entries.js';
export * from './lifting.js';
export * from './pathcond.js';
