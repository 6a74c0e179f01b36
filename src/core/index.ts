// src/core: errors, element types, allocation and shapes. Imports nothing; everything else imports it.
export * from './errors.js';
export * from './dtype.js';
export * from './shape.js';
