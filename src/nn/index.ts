export { denseFromInit, mlpForward } from './mlp.js';
export type { Dense, DenseOptions, ForwardHooks } from './mlp.js';
export { signalPropagation, deadFraction } from './signal.js';
export type { LayerSignal, SignalReport } from './signal.js';
export * from './optim/index.js';
export * from './data/index.js';
