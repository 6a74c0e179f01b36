import { createRng } from '../init/support/rng.js';
import type { Backend } from '../kernels/backend.js';
import { agreement, gemmErrorBound } from '../kernels/gpu/agreement.js';
import { GpuBackend } from '../kernels/gpu/backend.js';
import { autoDecision, backendInstance, listBackends } from '../kernels/registry.js';

/** Size of the agreement check: big enough to exercise long float32 sums, quick even on llvmpipe. */
const CHECK_SIZE = 256;

/**
 * `initlab doctor`: what this machine can run and whether the GPU kernels agree with the CPU ones.
 * Prints a human-readable report and returns the exit code, 0: a missing GPU is a finding, not a failure.
 */
export function doctor(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): number {
  const row = (label: string, value: string): void => write(`  ${label.padEnd(16)}${value}`);
  write('initlab doctor');
  row('node', `${process.version} (${process.platform} ${process.arch})`);
  row('DISPLAY', process.env.DISPLAY ?? '(unset)');

  const names = listBackends().filter((n) => n !== 'auto');
  row('backends', listBackends().join(', '));
  const ready = new Map<string, Backend>();
  for (const name of names) {
    try {
      const b = backendInstance(name);
      ready.set(name, b);
      row(`  ${name}`, `available: ${b.describe()}`);
    } catch (e) {
      row(`  ${name}`, `unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const gpu = ready.get('gpu');
  if (gpu instanceof GpuBackend) {
    row('webgl renderer', `${gpu.renderer.renderer}${gpu.renderer.software ? ' (software)' : ''}`);
    row('webgl vendor', gpu.renderer.vendor);
  } else {
    row('webgl', 'no context');
  }

  const auto = autoDecision();
  row('auto', `${auto.backend}: ${auto.reason}`);

  const cpu = ready.get('cpu');
  if (gpu === undefined || cpu === undefined) {
    row('gpu check', 'skipped (no gpu backend)');
    return 0;
  }
  const n = CHECK_SIZE;
  const rng = createRng(20240607);
  const random = (): Float32Array => Float32Array.from({ length: n * n }, () => 2 * rng.nextFloat64() - 1);
  const a = random();
  const b = random();
  const tCold = performance.now();
  gpu.matmul(a, b, n, n, n);
  const t0 = performance.now();
  const got = gpu.matmul(a, b, n, n, n);
  const t1 = performance.now();
  const ref = cpu.matmul(a, b, n, n, n);
  const t2 = performance.now();
  const r = agreement(got, ref, gemmErrorBound(a, b, null, n, n, n));
  row('gpu check', `${n}x${n} @ ${n}x${n} matmul, gpu vs cpu (float32):`);
  row('', `max abs error ${r.maxAbs.toExponential(2)}, max rel error ${r.maxRel.toExponential(2)}`);
  row('', `worst |error| / bound = ${r.worstRatio.toFixed(3)}, bound (k+2)·eps32·(|A||B|)_ij`);
  row('', `time gpu ${(t1 - t0).toFixed(0)} ms (first call, compiling: ${(t0 - tCold).toFixed(0)} ms), cpu ${(t2 - t1).toFixed(0)} ms`);
  const degraded = gpu instanceof GpuBackend && gpu.degraded ? ' (but the gpu backend degraded to the CPU kernels)' : '';
  row('verdict', `${r.ok ? 'AGREE within the float32 bound' : 'DISAGREE: beyond the float32 bound'}${degraded}`);
  return 0;
}
