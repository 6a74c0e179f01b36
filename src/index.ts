// Package entry: `import { tensor, crossEntropy, setBackend } from 'initlab'`.
export * from './errors.js';
export * from './kernels/index.js';
