// Public surface of the optimizers folder: SGD / Adam / AdamW with parameter groups, schedules, clipping, per-layer
// rate groups.
export { checkParam, type NamedParam, type Param, type ParamGroup, type ParamGroupSpec, type ParamLike } from './params.js';
export { Optimizer, type BaseHyper, type HyperParser, type LrControl } from './optimizer.js';
export type { GroupStateDict, OptimizerStateDict, ParamStateDict } from './state.js';
export { SGD, SGD_KEYS, type SgdHyper, type SgdOptions, type SgdState } from './sgd.js';
export { Adam, AdamW, ADAM_KEYS, type AdamHyper, type AdamOptions, type AdamState } from './adam.js';
export { cosineWarmup, LrScheduler, stepDecay, type CosineWarmupOptions, type LrSchedule, type StepDecayOptions } from './schedule.js';
export { clipGradNorm, type ClipGradNormOptions } from './clip.js';
export { layerGroups, meanFieldLrGroups, scalingLrGroups, type LayerGroup, type LayerParams, type MeanFieldLrGroupOptions } from './groups.js';
export { mupLrGroups, type MupDenseLayer, type MupLrGroupOptions } from './mup.js';
