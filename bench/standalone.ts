/**
 * initlab's CPU matmul timed with a plain loop in a process that loads nothing but initlab.
 *
 * Why this exists: the same kernel timed inside the benny process ran ~25% slower than in a clean
 * process (measured here at 256^3: ~4.0 vs ~5.4 GFLOPS, with any harness). Loading benny's
 * dependencies (benchmark, lodash) causes it; a single detached ArrayBuffer anywhere in a process
 * causes a similar drop (V8 then keeps detach checks on typed-array accesses in the hot loop). So
 * bench/index.ts runs this script in a child process and records both numbers.
 * Prints one JSON object: { "MxKxN": GFLOPS (median of 5 timed batches) }.
 */
import { CpuBackend } from '../src/kernels/cpu/backend.js';

const shapes: Array<[number, number, number]> = JSON.parse(process.argv[2] ?? '[[256,256,256]]');
const cpu = new CpuBackend();
const out: Record<string, number> = {};
for (const [m, k, n] of shapes) {
  const a = new Float32Array(m * k).map((_, i) => Math.sin(i));
  const b = new Float32Array(k * n).map((_, i) => Math.cos(i));
  const flops = 2 * m * k * n;
  // About 0.2 s per timed batch; the first batch warms the JIT up and is discarded.
  const reps = Math.max(1, Math.round(1e9 / flops));
  const times: number[] = [];
  for (let t = 0; t < 6; t++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) cpu.matmul(a, b, m, k, n);
    if (t > 0) times.push((performance.now() - t0) / reps);
  }
  times.sort((x, y) => x - y);
  out[`${m}x${k}x${n}`] = flops / (times[2] * 1e6);
}
console.log(JSON.stringify(out));
