export { denseFromInit, mlpForward } from './mlp.js';
export type { Dense, DenseOptions, ForwardHooks } from './mlp.js';
export { signalPropagation, deadFraction } from './signal.js';
export type { LayerSignal, SignalReport } from './signal.js';
export * from './optim/index.js';
export * from './data/index.js';
export * from './train/index.js';
export { activationDiagnostics, densePathNorm, jacobianNorm, weightDiagnostics } from './diagnostics.js';
export type { ActivationDiagnosticsOptions, JacobianNormOptions, LayerActivationDiagnostics, LayerWeightDiagnostics } from './diagnostics.js';
