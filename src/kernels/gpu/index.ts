/**
 * The `gpu` backend's provider: gpu.js WebGL kernels in float32 on a headless-gl context. Its probe opens a
 * context once, reads the renderer and drops it; 'auto' takes the GPU only on a hardware renderer.
 */
import type { BackendProbe, BackendProvider } from '../backend.js';
import { GpuBackend, type GpuBackendOptions } from './backend.js';
import { probeRenderer, type RendererInfo } from './context.js';
import { parseGpuOptions } from './options.js';

export { GpuBackend, type GpuBackendOptions, type MlpLayer } from './backend.js';

/**
 * The probe's rule: available when `probe` finds a context, fast only on a hardware renderer. A software
 * rasterizer (llvmpipe, SwiftShader, ...) runs the kernels slower than the CPU backend, so 'auto' never takes
 * it; `setBackend('gpu')` still forces it. Any failure of `probe` (not only BackendError) means unavailable.
 */
export function probeFromRenderer(probe: () => RendererInfo): BackendProbe {
  let info: RendererInfo;
  try {
    info = probe();
  } catch (e) {
    return { available: false, fast: false, reason: e instanceof Error ? e.message : String(e) };
  }
  if (info.software) {
    return {
      available: true,
      fast: false,
      reason: `WebGL renders on ${info.renderer}, a software renderer slower than the CPU kernels (setBackend('gpu') forces it)`,
    };
  }
  return { available: true, fast: true, reason: `hardware WebGL renderer ${info.renderer}` };
}

/**
 * A gpu provider whose probe and backends use `options` (e.g. an injected context factory in tests). The probe
 * runs once per provider, then is cached: opening a context costs tens of milliseconds.
 */
export function makeGpuProvider(options: GpuBackendOptions = {}): BackendProvider {
  const { contextFactory } = parseGpuOptions(options); // DomainError now, not at the first create()
  let probed: BackendProbe | null = null;
  return {
    name: 'gpu',
    priority: 100,
    probe: () => (probed ??= probeFromRenderer(() => probeRenderer(contextFactory))),
    create: () => new GpuBackend(options),
  };
}

/** The built-in gpu provider (headless-gl, options from the environment). */
export const gpuProvider: BackendProvider = makeGpuProvider();
