export type { Backend, FloatArray, MatmulFlags, LinearFlags } from './backend.js';
export { CpuBackend } from './cpu.js';
export { setBackend, getBackend, listBackends, registerBackend, backendInstance } from './registry.js';
