// Public surface of the mup scheme folder (docs/schemes/mup.md).
export { checkMupBaseWidths, mupInfShapes, mupLearningRates } from './shapes.js';
export type { MupBaseWidths, MupClass, MupLayerRates, MupLayerShapes, MupOptimizer, MupTensorShape } from './shapes.js';
export { MUP_DEFAULT_BASE_WIDTH, MUP_KEYS, mupInit } from './init.js';
export type { MupOptions, ResolvedMupOptions } from './init.js';
export { MUP_ENTRIES } from './entries.js';
