// Public surface of the lps scheme folder (docs/schemes/lps.md).
export * from './entries.js';
export * from './lps.js';
