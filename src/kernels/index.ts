export type { Backend, FloatArray, MatmulFlags, LinearFlags } from './backend.js';
export { CpuBackend } from './cpu/backend.js';
export { setBackend, getBackend, listBackends, registerBackend, backendInstance } from './registry.js';
export { autoDecision, decideAuto, type AutoDecision } from './registry.js';
export { GpuBackend, type GpuBackendOptions, type MlpLayer } from './gpu/backend.js';
