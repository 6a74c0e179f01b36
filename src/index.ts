// Package entry: `import { tensor, crossEntropy, setBackend, init } from 'initlab'`.
//
// The initializer library is also the subpath `initlab/init`. Here it is re-exported as the namespace `init`
// (its `zeros` / `ones` / `eye` return typed arrays and would clash with the tensor creators of the same name),
// plus the entry points most scripts need, by name.
export * from './core/index.js';
export * from './kernels/index.js';
export * from './tensor/index.js';
export * as init from './init/index.js';
export {
  createRng,
  createStream,
  getInitializer,
  listInitializers,
  initializeNetwork,
  computeFans,
  calculateGain,
  sigmaS,
  scalingReport,
  pathCondRescale,
  enormRescale,
  lpsInitMLP,
} from './init/index.js';
