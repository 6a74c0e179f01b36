// Public surface of the scaling scheme folder (docs/schemes/scaling.md).
export { GEOMETRIC_KEYS, geometricInit, type GeometricInitOptions } from './geometric.js';
export { mlpOps, parseScalingOps, type Conv2dOp, type DenseOp, type ResolvedScalingOp, type ResolvedWeightOp, type ScalingOp } from './ops.js';
export { maxPoolFactor, type MomentModel, type ScalingScheme } from './propagation.js';
export {
  parseScalingReportOptions,
  SCALING_CALCULUS_TITLE,
  SCALING_REPORT_KEYS,
  scalingReport,
  type LayerReport,
  type MeasuredMoments,
  type ResolvedScalingReportOptions,
  type ScalingReport,
  type ScalingReportOptions,
  type TensorMoments,
} from './calculus.js';
export { balancedOps, balanceVariances, balanceWeights, lrMultipliers, outputScaleFactor, type OutputScaleOptions } from './balance.js';
export { empiricalGamma, secondMoment } from './measure.js';
export * from './entries.js';
