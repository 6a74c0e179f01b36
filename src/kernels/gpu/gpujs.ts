import { createRequire } from 'node:module';
import type { GLContext } from './context.js';
import type { GpuJsInstance, GpuJsRuntime } from './kernels.js';

/**
 * gpu.js on a headless-gl context (Node). The browser build replaces this file with gpujs.browser.ts (same export,
 * gpu.js's WebGL2 kernels on a canvas context).
 */

interface GpuJsModule {
  GPU: new (settings: { mode: string; context: GLContext }) => GpuJsInstance;
  HeadlessGLKernel: abstract new (...args: never[]) => object;
}

const requireCjs = createRequire(import.meta.url);

/** A gpu.js instance in 'headlessgl' mode on `context`; its WebGL kernels are HeadlessGLKernels. */
export function gpuJsRuntime(context: GLContext): GpuJsRuntime {
  // gpu.js is CommonJS and loaded here, not at import, so CPU-only use never pays for it.
  const gpujs = requireCjs('gpu.js') as GpuJsModule;
  return { gpu: new gpujs.GPU({ mode: 'headlessgl', context }), glKernel: gpujs.HeadlessGLKernel };
}
