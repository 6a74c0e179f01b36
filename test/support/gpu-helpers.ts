/**
 * Shared setup of the GPU test suites: open a GPU backend or decide what to do without one.
 *
 * With CI=true a missing context FAILS the suite (CI installs xvfb and Mesa, so a missing context
 * there is a broken environment, not an absent feature); on a developer machine the suite is
 * reported as pending with the reason printed.
 */
import { BackendError } from '../../src/core/errors.js';
import { createRng } from '../../src/init/support/rng.js';
import { GpuBackend, type GpuBackendOptions } from '../../src/kernels/gpu/backend.js';

/** Call from a `before` hook; returns the backend, or skips (pending) / throws (CI) without one. */
export function openGpuOrSkip(ctx: Mocha.Context, options: GpuBackendOptions = {}): GpuBackend {
  let gpu: GpuBackend;
  try {
    gpu = new GpuBackend(options);
  } catch (e) {
    if (!(e instanceof BackendError)) throw e;
    if (process.env.CI === 'true') {
      throw new Error(`CI=true but the GPU tests cannot run: ${e.message}`);
    }
    console.log(`      GPU tests pending: ${e.message}`);
    ctx.skip();
  }
  console.log(`      GPU tests run on: ${gpu.renderer.renderer} (vendor ${gpu.renderer.vendor})`);
  return gpu;
}

/** Deterministic float32 data in [-scale, scale) from a seed (fast-check draws seeds, not whole arrays). */
export function randomFloat32(length: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => scale * (2 * rng.nextFloat64() - 1));
}
