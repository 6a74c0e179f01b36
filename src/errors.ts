// Re-export of the single error hierarchy (defined in src/init so that src/init stays dependency-free).
export * from './init/errors.js';
