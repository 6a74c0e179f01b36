/**
 * The one list of built-in backends. Each backend lives in its own folder src/kernels/<name>/, whose index.ts
 * exports its provider; adding a backend adds its import and one entry here. registry.ts reads this list when it
 * loads (see there why the list does not register itself).
 *
 * The re-exports below are the backend classes of the package's public API (`import { GpuBackend } from 'initlab'`).
 */
import type { BackendProvider } from './backend.js';
import { cpuProvider } from './cpu/index.js';
import { gpuProvider } from './gpu/index.js';
import { wasmProvider } from './wasm/index.js';

export { CpuBackend } from './cpu/index.js';
export { GpuBackend, type GpuBackendOptions, type MlpLayer } from './gpu/index.js';
export { WasmBackend, type WasmBackendOptions } from './wasm/index.js';

/** Every built-in backend provider, in listing order ('auto' orders them by priority). */
export const BUILTIN_BACKENDS: readonly BackendProvider[] = [
  cpuProvider, // cpu/: hand-written JavaScript kernels, the reference (priority 0)
  gpuProvider, // gpu/: gpu.js WebGL kernels in float32 (priority 100, 'auto' only on a hardware renderer)
  wasmProvider, // wasm/: WebAssembly SIMD kernels in float32, emitted at run time (priority 50)
];
