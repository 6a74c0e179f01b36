/**
 * The browser entry of initlab (bundled by web/build.ts): the package entry (src/index.ts) minus what needs Node.
 * core, kernels, tensor + autograd, init (namespace `init`, as in the package entry) and the environment-free part
 * of nn. Left out: checkpoint files (node:fs), IDX/MNIST files (node:fs; the playground ships an MNIST subset as a
 * static asset instead), `fit` (a terminal's progress bar) and `evaluate` (imports data/index.ts, file loaders
 * included): a page writes its own step loop.
 *
 * The kernels are the same modules as in Node; the few that touch the host (host.ts, gpu/context.ts, gpu/gpujs.ts,
 * wasm/threads.ts) have a `.browser.ts` sibling that the browser build uses instead (web/build.ts).
 */
export * from './core/index.js';
export * from './kernels/index.js';
export { agreement, gemmErrorBound, EPS32, type Agreement } from './kernels/agreement.js';
export * from './tensor/index.js';
export * as init from './init/index.js';
export { createRng, createStream, getInitializer, listInitializers, initializeNetwork, secondMoment } from './init/index.js';
export { denseFromInit, mlpForward } from './nn/mlp.js';
export type { Dense, DenseOptions, ForwardHooks } from './nn/mlp.js';
export { signalPropagation, deadFraction } from './nn/signal.js';
export type { LayerSignal, SignalReport } from './nn/signal.js';
export * from './nn/optim/index.js';
export { classificationDataset, datasetSize, permutation, regressionDataset, type ClassLabels, type Dataset } from './nn/data/dataset.js';
export { DataLoader, type Batch, type DataLoaderOptions } from './nn/data/loader.js';
export { gaussianBlobs, teacherStudent, twoMoons } from './nn/data/synthetic.js';
export { Module } from './nn/module.js';
export * from './nn/layers/index.js';
export { mlp } from './nn/mlp-builder.js';
export type { MlpActivation, MlpOptions } from './nn/mlp-builder.js';
export { checkTrainable, pairLayers, type Trainable, type WeightPair } from './nn/train/model.js';
