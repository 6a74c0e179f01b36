// Public surface of the classic scheme folder (docs/schemes/classic.md).
export * from './basic.js';
export * from './entries.js';
export * from './orthogonal.js';
export * from './variance.js';
