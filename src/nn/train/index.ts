// Public surface of the training folder: the Trainable model interface, fit, evaluate.
export { checkTrainable, pairLayers, type Trainable, type WeightPair } from './model.js';
export { evaluate, type Evaluation, type LossSpec } from './loss.js';
export { fit, type FitResult, type FitStop } from './fit.js';
export type { CallbackContext, EpochRecord, FitCallbacks, FitOptimizer, FitOptions, StepRecord } from './options.js';
