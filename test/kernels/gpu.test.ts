/**
 * GPU kernels vs CPU kernels. Needs a WebGL context (headless-gl: a display, e.g. `xvfb-run -a`);
 * without one the suites are pending on a developer machine and fail under CI=true.
 *
 * Tolerance (gemmErrorBound in src/kernels/agreement.ts): a float32 dot product of length k
 * errs by at most γ_k·(|A||B|)_ij with γ_k ≈ k·u, u = eps32/2; bias and the reference's own store
 * add two roundings, and shader arithmetic may be off by 1 ulp instead of 1/2, so we demand
 *   |Δ_ij| ≤ (k + 2)·eps32·((|A||B|)_ij + |bias_j|) + k·2^-126,
 * which ReLU (1-Lipschitz) preserves. ReLU, its backward pass and the bias add involve at most one
 * correctly rounded operation, so they must agree exactly (bias add: to 1 ulp).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';
import { agreement, EPS32, gemmErrorBound } from '../../src/kernels/agreement.js';
import { GpuBackend } from '../../src/kernels/gpu/backend.js';
import { gpuProvider } from '../../src/kernels/gpu/index.js';
import { doctor } from '../../src/cli/doctor.js';
import { openGpuOrSkip, randomFloat32 } from '../support/gpu-helpers.js';
import { expectOperandChecks } from '../support/kernel-operands.js';
import { DTypeError, ShapeError } from '../../src/core/errors.js';

const SEED = 20241122;
// llvmpipe runs a 300x300x300 product in tens of ms but compiles each new shape in ~100 ms.
const RUNS = 25;

const cpu = new CpuBackend();
const dim = fc.integer({ min: 1, max: 300 });
const dataSeed = fc.integer({ min: 1, max: 2 ** 31 - 1 });
// Powers of two keep the data exactly representable while spanning magnitudes.
const scale = fc.integer({ min: -6, max: 6 }).map((e) => 2 ** e);

function expectWithinBound(got: ArrayLike<number>, ref: ArrayLike<number>, bound: ArrayLike<number>, what: string): void {
  const r = agreement(got, ref, bound);
  if (!r.ok) {
    expect.fail(`${what}: entry ${r.worstIndex} got ${got[r.worstIndex]}, cpu ${ref[r.worstIndex]}, ` +
      `|Δ| / bound = ${r.worstRatio}`);
  }
}

describe('gpu backend kernels (WebGL)', function () {
  let gpu: GpuBackend;

  before(function () {
    gpu = openGpuOrSkip(this);
  });

  after(() => gpu?.dispose());

  it('matmul agrees with the CPU within the float32 bound (all transposes, m, k, n in 1..300)', () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), dataSeed, scale, (m, k, n, ta, tb, s, sc) => {
        const a = randomFloat32(m * k, s, sc);
        const b = randomFloat32(k * n, s + 1);
        const flags = { transposeA: ta, transposeB: tb };
        const got = gpu.matmul(a, b, m, k, n, flags);
        expect(got).to.be.instanceOf(Float32Array);
        expectWithinBound(got, cpu.matmul(a, b, m, k, n, flags), gemmErrorBound(a, b, null, m, k, n, flags),
          `matmul ${m}x${k}x${n} ta=${ta} tb=${tb}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('matmul handles 1-wide and non-multiple-of-4 edge shapes', () => {
    const shapes = [[1, 1, 1], [1, 7, 1], [5, 1, 3], [1, 300, 300], [300, 1, 1], [3, 5, 7], [257, 3, 129]];
    for (const [m, k, n] of shapes) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = randomFloat32(m * k, m + 10 * k);
          const b = randomFloat32(k * n, n + 10 * k);
          const flags = { transposeA: ta, transposeB: tb };
          expectWithinBound(gpu.matmul(a, b, m, k, n, flags), cpu.matmul(a, b, m, k, n, flags),
            gemmErrorBound(a, b, null, m, k, n, flags), `matmul ${m}x${k}x${n} ta=${ta} tb=${tb}`);
        }
      }
    }
  });

  it('fused linear (bias, ReLU, transposed W) agrees with the CPU within the bound', () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.boolean(), dataSeed, (m, k, n, tb, relu, hasBias, s) => {
        const x = randomFloat32(m * k, s);
        const w = randomFloat32(k * n, s + 1, 1 / Math.sqrt(k));
        const bias = hasBias ? randomFloat32(n, s + 2) : null;
        const flags = { transposeB: tb, relu };
        const got = gpu.linear(x, w, bias, m, k, n, flags);
        expect(got).to.be.instanceOf(Float32Array);
        expectWithinBound(got, cpu.linear(x, w, bias, m, k, n, flags),
          gemmErrorBound(x, w, bias, m, k, n, { transposeB: tb }), `linear ${m}x${k}x${n} tb=${tb} relu=${relu}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('relu, reluBackward and addBias agree with the CPU (exactly, bias add to 1 ulp)', () => {
    fc.assert(
      fc.property(dim, dim, dataSeed, (rows, cols, s) => {
        const x = randomFloat32(rows * cols, s);
        const dy = randomFloat32(rows * cols, s + 1);
        const bias = randomFloat32(cols, s + 2);
        expect(Array.from(gpu.relu(x))).to.deep.equal(Array.from(cpu.relu(x)));
        expect(Array.from(gpu.reluBackward(x, dy))).to.deep.equal(Array.from(cpu.reluBackward(x, dy)));
        const ref = cpu.addBias(x, bias, rows, cols);
        expectWithinBound(gpu.addBias(x, bias, rows, cols), ref, Array.from(ref, (v) => EPS32 * Math.abs(v)),
          `addBias ${rows}x${cols}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('keeps a chain on the device: mlpForward equals layer-by-layer GPU linear bit for bit', () => {
    const m = 33;
    const widths = [20, 64, 64, 10];
    const layers = widths.slice(1).map((out, i) => ({
      w: randomFloat32(widths[i] * out, 100 + i, 1 / Math.sqrt(widths[i])),
      bias: i === 1 ? null : randomFloat32(out, 200 + i),
      inFeatures: widths[i],
      outFeatures: out,
      transposeB: i === 1,
      relu: i < widths.length - 2,
    }));
    const x = randomFloat32(m * widths[0], 7);
    let h: Float32Array = x;
    for (const l of layers) {
      h = gpu.linear(h, l.w, l.bias, m, l.inFeatures, l.outFeatures, l) as Float32Array;
    }
    // Same float32 kernels in the same order: textures hold exactly what read-back would return.
    expect(Array.from(gpu.mlpForward(x, m, layers))).to.deep.equal(Array.from(h));
  });

  it('rejects malformed operands, dimensions and flags with the CPU backend\'s typed errors (before touching the GPU)', () => {
    expectOperandChecks(gpu);
    const f = new Float32Array(4);
    const layer = { w: f, bias: null, inFeatures: 2, outFeatures: 2 };
    expect(() => gpu.mlpForward(f, 2, [{ ...layer, w: [1, 2, 3, 4] as unknown as Float32Array }])).to.throw(DTypeError, 'mlpForward: layers[0].w must be a Float32Array or Float64Array, got [1, 2, 3, 4]');
    expect(() => gpu.mlpForward(f, 2, null as unknown as [])).to.throw(ShapeError, 'mlpForward: layers must be an array of MlpLayer, got null');
    expect(() => gpu.mlpForward(f, 2, [{ ...layer, outFeatures: -1 }])).to.throw(ShapeError, 'mlpForward: layers[0].outFeatures must be a non-negative integer, got -1');
    expect(() => gpu.mlpForward(f, 3, [layer])).to.throw(ShapeError, 'mlpForward: x must have m*layers[0].inFeatures = 6 elements, got Float32Array(4)');
    expect(gpu.degraded).to.equal(false);
  });

  it('compiles a kernel once per shape signature and reuses it', () => {
    const a = randomFloat32(6 * 5, 1);
    const b = randomFloat32(5 * 4, 2);
    gpu.matmul(a, b, 6, 5, 4);
    const after = gpu.kernelCompiles;
    gpu.matmul(a, b, 6, 5, 4);
    gpu.matmul(randomFloat32(30, 3), randomFloat32(20, 4), 6, 5, 4);
    expect(gpu.kernelCompiles).to.equal(after);
    gpu.matmul(a, b, 6, 5, 4, { transposeB: true });
    expect(gpu.kernelCompiles).to.equal(after + 1);
  });

  it('bounds the kernel cache (least recently used kernel is recompiled)', () => {
    const small = new GpuBackend({ cacheSize: 2 });
    try {
      const run = (n: number): void => void small.relu(randomFloat32(n, n));
      run(3);
      run(4);
      run(3); // hit: 3 becomes most recent
      expect(small.kernelCompiles).to.equal(2);
      run(5); // evicts 4
      run(3); // still cached
      expect(small.kernelCompiles).to.equal(3);
      run(4); // recompiled
      expect(small.kernelCompiles).to.equal(4);
    } finally {
      small.dispose();
    }
  });

  it('runs arrays too large to index exactly in float32 (> 2^24 elements) on the CPU, without degrading', () => {
    const x = new Float32Array(2 ** 24 + 1).fill(-1);
    x[2 ** 24] = 3;
    const compiles = gpu.kernelCompiles;
    const y = gpu.relu(x);
    expect(y[2 ** 24]).to.equal(3);
    expect(y[0]).to.equal(0);
    expect(gpu.kernelCompiles).to.equal(compiles);
    expect(gpu.degraded).to.equal(false);
  });

  it('runs Float64Array inputs on the CPU kernels at full precision', () => {
    const a = Float64Array.from(randomFloat32(12, 5), (v) => v + 1e-12);
    const b = Float64Array.from(randomFloat32(12, 6));
    const compiles = gpu.kernelCompiles;
    const got = gpu.matmul(a, b, 3, 4, 3);
    expect(got).to.be.instanceOf(Float64Array);
    expect(Array.from(got)).to.deep.equal(Array.from(cpu.matmul(a, b, 3, 4, 3)));
    expect(gpu.kernelCompiles).to.equal(compiles);
  });

  it('the probe agrees with the backend: available, and fast exactly on a hardware renderer', () => {
    const probe = gpuProvider.probe();
    expect(probe.available).to.equal(true);
    expect(probe.fast).to.equal(!gpu.renderer.software);
    expect(probe.reason).to.include(gpu.renderer.renderer);
  });

  it('diagnose() names the renderer and vendor and says the backend is on the GPU', () => {
    expect(gpu.diagnose()).to.deep.equal([
      { label: 'webgl renderer', value: `${gpu.renderer.renderer}${gpu.renderer.software ? ' (software)' : ''}` },
      { label: 'webgl vendor', value: gpu.renderer.vendor },
      { label: 'state', value: 'on the GPU' },
    ]);
  });

  it('initlab doctor shows the gpu rows and its check against the CPU kernels AGREEs', () => {
    const lines: string[] = [];
    expect(doctor((l) => lines.push(l.replace(/\s+/g, ' ').trim()))).to.equal(0);
    expect(lines).to.include(`webgl renderer ${gpu.renderer.renderer}${gpu.renderer.software ? ' (software)' : ''}`);
    expect(lines).to.include('gpu check 256x256 @ 256x256 matmul, gpu vs cpu (float32):');
    const i = lines.indexOf('gpu check 256x256 @ 256x256 matmul, gpu vs cpu (float32):');
    expect(lines[i + 2]).to.match(/^worst \|error\| \/ bound = 0\.\d{3}, bound/);
    expect(lines[i + 4]).to.equal('verdict AGREE within the float32 bound');
  });
});

describe('gpu backend fallback to the CPU kernels', function () {
  before(function () {
    openGpuOrSkip(this).dispose();
  });

  for (const fault of ['compile', 'lost'] as const) {
    it(`after a ${fault === 'compile' ? 'shader compile failure' : 'lost context'}: correct results, one warning, degraded`, () => {
      const warnings: string[] = [];
      const g = new GpuBackend({ fault, warn: (msg) => warnings.push(msg) });
      const a = randomFloat32(12, 1);
      const b = randomFloat32(20, 2);
      expect(g.degraded).to.equal(false);
      expect(Array.from(g.matmul(a, b, 3, 4, 5))).to.deep.equal(Array.from(cpu.matmul(a, b, 3, 4, 5)));
      expect(Array.from(g.relu(a))).to.deep.equal(Array.from(cpu.relu(a)));
      expect(Array.from(g.linear(a, b, null, 3, 4, 5, { relu: true }))).to.deep.equal(
        Array.from(cpu.linear(a, b, null, 3, 4, 5, { relu: true })));
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/degraded to the CPU kernels/);
      expect(g.degraded).to.equal(true);
      expect(g.describe()).to.match(/^DEGRADED/);
      expect(g.diagnose().find((r) => r.label === 'state')?.value).to.match(/^DEGRADED to the CPU kernels: \w+ failed on the GPU/);
      g.dispose();
    });
  }

  it('INITLAB_GPU_FAIL=compile in the environment triggers the same fallback', () => {
    const saved = process.env.INITLAB_GPU_FAIL;
    process.env.INITLAB_GPU_FAIL = 'compile';
    try {
      const warnings: string[] = [];
      const g = new GpuBackend({ warn: (msg) => warnings.push(msg) });
      const x = randomFloat32(10, 3);
      expect(Array.from(g.relu(x))).to.deep.equal(Array.from(cpu.relu(x)));
      expect(g.degraded).to.equal(true);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/INITLAB_GPU_FAIL=compile/);
    } finally {
      if (saved === undefined) delete process.env.INITLAB_GPU_FAIL;
      else process.env.INITLAB_GPU_FAIL = saved;
    }
  });
});
