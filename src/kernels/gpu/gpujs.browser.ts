import gpujs from 'gpu.js';
import type { GLContext } from './context.js';
import type { GpuJsInstance, GpuJsRuntime } from './kernels.js';

/**
 * gpu.js on a canvas's WebGL2 context: the browser build's stand-in for gpujs.ts (same export). The bundler picks
 * gpu.js's own browser build (its package.json `browser` field), which needs no headless-gl.
 */

interface GpuJsModule {
  GPU: new (settings: { mode: string; context: GLContext; canvas: unknown }) => GpuJsInstance;
  WebGL2Kernel: abstract new (...args: never[]) => object;
}

/** A gpu.js instance in 'webgl2' mode on `context` (and its canvas); its WebGL kernels are WebGL2Kernels. */
export function gpuJsRuntime(context: GLContext): GpuJsRuntime {
  // gpu.js's typings describe its Node entry; the browser build exports the same classes on its GPU function.
  const lib = gpujs as unknown as GpuJsModule;
  const canvas = (context as { canvas?: unknown }).canvas;
  return { gpu: new lib.GPU({ mode: 'webgl2', context, canvas }), glKernel: lib.WebGL2Kernel };
}
