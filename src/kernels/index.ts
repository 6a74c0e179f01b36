export type { Backend, BackendProbe, BackendProvider, DiagnosticRow, FloatArray, MatmulFlags, LinearFlags } from './backend.js';
export { setBackend, getBackend, listBackends, registerBackend, backendInstance } from './registry.js';
export { autoDecision, decideAuto, BackendRegistry, type AutoDecision, type BackendFactory } from './registry.js';
export * from './builtin.js';
