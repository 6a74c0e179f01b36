/**
 * The `wasm` backend's provider: WebAssembly SIMD kernels emitted at run time. Its probe validates the emitted
 * kernel module (no compilation); 'auto' takes it over the CPU kernels wherever the engine accepts SIMD.
 */
import { BackendError } from '../../core/errors.js';
import type { BackendProbe, BackendProvider } from '../backend.js';
import { WasmBackend, type WasmBackendOptions } from './backend.js';
import { wasmApi } from './engine.js';
import { DEFAULT_SHAPE, kernelModule, simdProbeModule } from './kernels.js';

export { WasmBackend, type WasmBackendOptions } from './backend.js';

/** How the probe asks the engine whether it accepts a module (injectable, so tests can simulate no SIMD). */
export type Validate = (bytes: Uint8Array) => boolean;

/** The engine's validator, or null when this JavaScript engine has no WebAssembly at all. */
function engineValidate(): Validate | null {
  const api = wasmApi;
  return api === null ? null : (bytes) => api.validate(bytes);
}

/**
 * The probe's rule: available (and fast) when `validate` accepts first a one-instruction f32x4 module, then the
 * whole kernel module as the backend would compile it. Measured in `npm run bench`: the SIMD kernels run several
 * times faster than the JavaScript ones, hence fast whenever available. Never throws.
 */
export function probeWasm(validate: Validate | null, options: WasmBackendOptions = {}): BackendProbe {
  if (validate === null) return { available: false, fast: false, reason: 'this JavaScript engine has no WebAssembly' };
  try {
    if (!validate(simdProbeModule())) {
      return { available: false, fast: false, reason: 'WebAssembly without SIMD (the engine rejects f32x4 instructions)' };
    }
    const kernels = kernelModule({ initialPages: 1, shared: false }, { ...(options.shape ?? DEFAULT_SHAPE), fma: options.fma ?? false });
    if (!validate(kernels)) return { available: false, fast: false, reason: 'the engine rejects the emitted kernel module' };
  } catch (e) {
    return { available: false, fast: false, reason: `probe failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  return { available: true, fast: true, reason: 'WebAssembly SIMD (f32x4) kernels, emitted at run time' };
}

export interface WasmProviderOptions extends WasmBackendOptions {
  /** Replaces `WebAssembly.validate` in the probe and in create() (tests simulate an engine without SIMD). */
  validate?: Validate | null;
}

/**
 * A wasm provider. Priority 50: above the CPU kernels (0), below a hardware GPU (100). The probe runs once per
 * provider, then is cached; create() throws BackendError with the probe's reason when it says unavailable.
 */
export function makeWasmProvider(options: WasmProviderOptions = {}): BackendProvider {
  let probed: BackendProbe | null = null;
  const probe = (): BackendProbe => (probed ??= probeWasm(options.validate === undefined ? engineValidate() : options.validate, options));
  return {
    name: 'wasm',
    priority: 50,
    probe,
    create: () => {
      const p = probe();
      if (!p.available) throw new BackendError(`no usable wasm backend: ${p.reason}`);
      return new WasmBackend(options);
    },
  };
}

/** The built-in wasm provider (the engine's own validator, default kernels). */
export const wasmProvider: BackendProvider = makeWasmProvider();
