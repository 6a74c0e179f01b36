/**
 * Which backend runs the page, what renders its WebGL, and whether the gpu.js kernels agree with the CPU kernels:
 * random matrices of random sizes in 1..300 (seeded), multiplied by the `gpu` backend and by the `cpu` reference,
 * compared entrywise against the float32 bound of src/kernels/agreement.ts (the bound `initlab doctor` and the Node
 * tests use).
 */
import { GpuBackend, agreement, autoDecision, backendInstance, createStream, gemmErrorBound, getBackend } from '../../src/browser.js';

export interface BackendInfo {
  /** Name of the active backend and its own description. */
  readonly active: string;
  readonly describe: string;
  /** What 'auto' picks here, and why. */
  readonly auto: string;
  readonly autoReason: string;
  /** The gpu backend's WebGL renderer, or why there is no gpu backend. */
  readonly renderer: string;
  readonly software: boolean | null;
}

export interface AgreementTrial {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly maxAbs: number;
  /** max |gpu − cpu| / bound (≤ 1: within the float32 bound everywhere). */
  readonly worstRatio: number;
  readonly ok: boolean;
}

export interface AgreementResult {
  readonly trials: AgreementTrial[];
  readonly ok: boolean;
  /** Matmuls the gpu backend ran on WebGL during the check (not its CPU fallback). */
  readonly gpuMatmuls: number;
  readonly degraded: boolean;
  readonly renderer: string;
  readonly millis: number;
}

/** The active backend and the gpu backend's renderer (creating the gpu backend if it can be). */
export function backendInfo(): BackendInfo {
  const b = getBackend();
  const d = autoDecision();
  let renderer = '';
  let software: boolean | null = null;
  try {
    const gpu = backendInstance('gpu');
    if (gpu instanceof GpuBackend) {
      renderer = gpu.renderer.renderer;
      software = gpu.renderer.software;
    }
  } catch (e) {
    renderer = `no gpu backend: ${e instanceof Error ? e.message : String(e)}`;
  }
  return { active: b.name, describe: b.describe(), auto: d.backend, autoReason: d.reason, renderer, software };
}

/** `trials` seeded products of sizes drawn uniformly from 1..300, gpu against cpu. Throws BackendError without a gpu. */
export function gpuAgreement(trials: number, seed: number): AgreementResult {
  const t0 = performance.now();
  const gpu = backendInstance('gpu');
  if (!(gpu instanceof GpuBackend)) throw new Error(`backend 'gpu' is not the gpu.js backend (${gpu.name})`);
  const cpu = backendInstance('cpu');
  const before = gpu.gpuCalls.get('matmul') ?? 0;
  const rng = createStream(seed, 7);
  const out: AgreementTrial[] = [];
  for (let t = 0; t < trials; t++) {
    const [m, k, n] = [1 + rng.nextInt(300), 1 + rng.nextInt(300), 1 + rng.nextInt(300)];
    const a = new Float32Array(m * k).map(() => rng.nextNormal());
    const b = new Float32Array(k * n).map(() => rng.nextNormal());
    const got = gpu.matmul(a, b, m, k, n);
    const ref = cpu.matmul(a, b, m, k, n);
    const r = agreement(got, ref, gemmErrorBound(a, b, null, m, k, n));
    out.push({ m, k, n, maxAbs: r.maxAbs, worstRatio: r.worstRatio, ok: r.ok });
  }
  return {
    trials: out,
    ok: out.every((t) => t.ok) && !gpu.degraded,
    gpuMatmuls: (gpu.gpuCalls.get('matmul') ?? 0) - before,
    degraded: gpu.degraded,
    renderer: gpu.renderer.renderer,
    millis: performance.now() - t0,
  };
}
