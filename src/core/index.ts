// src/core: errors, element types, allocation and shapes. Imports nothing; everything else imports it.
// (options.ts, the options-record and parameter parsers, is imported by path: it is machinery, not package API.)
export * from './errors.js';
export * from './dtype.js';
export * from './shape.js';
