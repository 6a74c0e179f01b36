/**
 * The wasm backend: its emitted module, its float32 kernels against the float64 reference, its fallbacks and
 * errors, and how 'auto' treats it when the engine has no SIMD (simulated through the probe's validator).
 *
 * Tolerance: float32 products are judged by `gemmErrorBound` of src/kernels/agreement.ts, the bound `initlab
 * doctor` uses: |Δ_ij| ≤ (k + 2) · eps32 · ((|A||B|)_ij + |bias_j|) + k · 2^-126. The kernels sum k float32
 * products in some order (error ≤ γ_k (|A||B|)_ij, Higham §3.1) and add the bias once more, well inside it;
 * the reference is the CPU kernels on float64 copies (error ~k · eps64, negligible). Relaxed-SIMD FMA (one
 * rounding instead of two per step) only lowers the error, so the same bound holds with it. Elementwise kernels
 * (ReLU, its mask, bias-add) round at most once, exactly as the CPU kernels do, so they must agree bit for bit.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { BackendError, ShapeError } from '../../src/core/errors.js';
import { agreement, gemmErrorBound } from '../../src/kernels/agreement.js';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';
import { cpuProvider } from '../../src/kernels/cpu/index.js';
import { BackendRegistry, listBackends } from '../../src/kernels/registry.js';
import { wasmApi } from '../../src/kernels/wasm/engine.js';
import { makeWasmProvider, probeWasm, WasmBackend } from '../../src/kernels/wasm/index.js';
import { DEFAULT_SHAPE, kernelModule, relaxedProbeModule, simdProbeModule } from '../../src/kernels/wasm/kernels.js';
import { randomFloat32 } from '../support/gpu-helpers.js';

const SEED = 20261129;
const cpu = new CpuBackend();
const wasm = new WasmBackend();
const validate = (bytes: Uint8Array): boolean => wasmApi !== null && wasmApi.validate(bytes);

/** Deterministic float32 values in [-1, 1) with ~5% exact zeros (zeros exercise sign and mask handling). */
function randomF32(len: number, seed: number): Float32Array {
  const out = randomFloat32(len, seed);
  for (let i = 0; i < len; i++) if (Math.abs(out[i]) < 0.05) out[i] = 0;
  return out;
}

const f64 = (x: Float32Array): Float64Array => Float64Array.from(x);

/** Failure message when `got` lies outside the float32 bound of the float64 reference, else null. */
function checkProduct(m: number, k: number, n: number, ta: boolean, tb: boolean, seed: number, epilogue: 'none' | 'bias' | 'bias+relu' | 'relu'): string | null {
  const a = randomF32(m * k, seed);
  const b = randomF32(k * n, seed + 1);
  const bias = epilogue === 'bias' || epilogue === 'bias+relu' ? randomF32(n, seed + 2) : null;
  const relu = epilogue === 'relu' || epilogue === 'bias+relu';
  let got: ArrayLike<number>;
  let ref: ArrayLike<number>;
  if (epilogue === 'none') {
    got = wasm.matmul(a, b, m, k, n, { transposeA: ta, transposeB: tb });
    ref = cpu.matmul(f64(a), f64(b), m, k, n, { transposeA: ta, transposeB: tb });
  } else {
    got = wasm.linear(a, b, bias, m, k, n, { transposeB: tb, relu });
    ref = cpu.linear(f64(a), f64(b), bias === null ? null : f64(bias), m, k, n, { transposeB: tb, relu });
  }
  if (!(got instanceof Float32Array) || got.length !== m * n) return `expected a Float32Array of length ${m * n}`;
  const ag = agreement(got, ref, gemmErrorBound(a, b, bias, m, k, n, { transposeA: ta, transposeB: tb }));
  return ag.ok ? null : `${m}x${k}x${n} ta=${ta} tb=${tb} ${epilogue}: worst ratio ${ag.worstRatio} at ${ag.worstIndex}`;
}

describe('wasm backend', () => {
  before(function () {
    if (!validate(simdProbeModule())) this.skip(); // an engine without SIMD: the 'auto' tests below still run
  });

  describe('emitted module', () => {
    it('validates, for the default tile and others, and the relaxed-FMA variant exactly where relaxed SIMD does', () => {
      const memory = { initialPages: 1, shared: false };
      expect(validate(kernelModule(memory, { ...DEFAULT_SHAPE, fma: false }))).to.equal(true);
      expect(validate(kernelModule(memory, { mr: 6, nr: 8, unroll: 1, mc: 120, kc: 256, fma: false }))).to.equal(true);
      expect(validate(kernelModule(memory, { mr: 3, nr: 12, unroll: 4, mc: 96, kc: 128, fma: false }))).to.equal(true);
      expect(validate(kernelModule(memory, { ...DEFAULT_SHAPE, fma: true }))).to.equal(validate(relaxedProbeModule()));
    });

    it('is rejected when corrupted (the validator is a real check)', () => {
      const bytes = kernelModule({ initialPages: 1, shared: false }, { ...DEFAULT_SHAPE, fma: false });
      const broken = bytes.slice(0, bytes.length - 1);
      expect(validate(broken)).to.equal(false);
    });
  });

  describe('matmul and linear in float32, against the float64 reference', () => {
    // Shapes 1..300 cover the thin path (m < 4), partial micro-tiles in m and n, and depths across KC = 256.
    const dims = fc.tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }));
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`matmul within the float32 bound, transposeA=${ta} transposeB=${tb} (random shapes 1..300)`, () => {
        fc.assert(
          fc.property(dims, fc.integer({ min: 0, max: 1e6 }), ([m, k, n], seed) => {
            const failure = checkProduct(m, k, n, ta, tb, seed, 'none');
            if (failure !== null) throw new Error(failure);
          }),
          { seed: SEED, numRuns: 12 },
        );
      });
    }

    it('linear with fused bias and ReLU within the bound, W in both layouts (random shapes 1..300)', () => {
      const epilogues = fc.constantFrom('bias' as const, 'bias+relu' as const, 'relu' as const, 'none' as const);
      fc.assert(
        fc.property(dims, fc.boolean(), epilogues, fc.integer({ min: 0, max: 1e6 }), ([m, k, n], tb, ep, seed) => {
          const failure = checkProduct(m, k, n, false, tb, seed, ep);
          if (failure !== null) throw new Error(failure);
        }),
        { seed: SEED + 1, numRuns: 24 },
      );
    });

    it('thin products (m = 1, 2, 3) and depths past one block, every layout, with and without the epilogue', () => {
      const failures: string[] = [];
      for (const [m, k, n] of [[1, 1, 1], [1, 1000, 37], [2, 513, 300], [3, 7, 129], [1, 3, 1000], [4, 600, 5]]) {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            failures.push(...[checkProduct(m, k, n, ta, tb, m * k + n, 'none')].filter((f) => f !== null));
          }
        }
        for (const tb of [false, true]) failures.push(...[checkProduct(m, k, n, false, tb, k, 'bias+relu')].filter((f) => f !== null));
      }
      expect(failures).to.deep.equal([]);
    });

    it('other micro-tiles and an unrolled depth loop (padded depth) compute the same product within the bound', () => {
      const shapes = [
        { mr: 6, nr: 8, unroll: 1, mc: 120, kc: 256 },
        { mr: 2, nr: 16, unroll: 1, mc: 64, kc: 100 },
        { mr: 4, nr: 8, unroll: 3, mc: 128, kc: 256 },
        { mr: 3, nr: 12, unroll: 2, mc: 96, kc: 64 },
      ];
      for (const shape of shapes) {
        const backend = new WasmBackend({ shape });
        for (const [m, k, n, ta, tb] of [[37, 301, 29, true, false], [64, 97, 130, false, true], [7, 5, 3, true, true]] as const) {
          const a = randomF32(m * k, m);
          const b = randomF32(k * n, n);
          const bias = randomF32(n, k);
          const flags = { transposeA: ta, transposeB: tb };
          const got = backend.matmul(a, b, m, k, n, flags);
          const ag = agreement(got, cpu.matmul(f64(a), f64(b), m, k, n, flags), gemmErrorBound(a, b, null, m, k, n, flags));
          expect(ag.ok, `${JSON.stringify(shape)} ${m}x${k}x${n}: ratio ${ag.worstRatio}`).to.equal(true);
          const lin = backend.linear(a, b, bias, m, k, n, { transposeB: tb, relu: true });
          const ref = cpu.linear(f64(a), f64(b), f64(bias), m, k, n, { transposeB: tb, relu: true });
          expect(agreement(lin, ref, gemmErrorBound(a, b, bias, m, k, n, { transposeB: tb })).ok).to.equal(true);
        }
      }
    });

    it('propagates NaN and infinities as the reference does', () => {
      const a = randomF32(5 * 6, 3);
      const b = randomF32(6 * 9, 4);
      a[2 * 6 + 1] = Number.NaN; // row 2 of C becomes NaN
      b[3 * 9 + 4] = Number.POSITIVE_INFINITY;
      a[4 * 6 + 3] = 0; // 0 * inf = NaN in column 4 of row 4
      const got = wasm.matmul(a, b, 5, 6, 9);
      const ref = cpu.matmul(a, b, 5, 6, 9);
      for (let i = 0; i < ref.length; i++) {
        expect(Number.isNaN(got[i]), `entry ${i}`).to.equal(Number.isNaN(ref[i]));
        if (!Number.isFinite(ref[i]) && !Number.isNaN(ref[i])) expect(got[i]).to.equal(ref[i]);
      }
      expect(Array.from(got.slice(2 * 9, 3 * 9)).every(Number.isNaN)).to.equal(true);
    });
  });

  describe('elementwise kernels, bit for bit as the CPU kernels', () => {
    const special = new Float32Array([0, -0, 1.5, -2.5, Number.NaN, Infinity, -Infinity, 1e-40, -1e-40, 3.4e38, -3.4e38]);
    const bits = (x: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(x).buffer));
    // NaN payloads may differ (wasm canonicalizes NaN); compare NaN-ness there and bits elsewhere.
    const same = (got: Float32Array, want: ArrayLike<number>): void => {
      expect(got).to.be.instanceOf(Float32Array);
      const g = bits(got);
      const w = bits(want);
      for (let i = 0; i < w.length; i++) {
        if (Number.isNaN(want[i])) expect(Number.isNaN(got[i]), `entry ${i}`).to.equal(true);
        else expect(g[i], `entry ${i}: ${got[i]} vs ${want[i]}`).to.equal(w[i]);
      }
    };

    it('relu and reluBackward on odd lengths with zeros, -0, NaN, infinities and subnormals', () => {
      for (const len of [0, 1, 3, 4, 5, 1001]) {
        const x = randomF32(len, len);
        const dy = randomF32(len, len + 7);
        for (let i = 0; i < Math.min(len, special.length); i++) x[i] = special[i];
        for (let i = 0; i < Math.min(len, special.length); i++) dy[len - 1 - i] = special[i];
        same(wasm.relu(x) as Float32Array, cpu.relu(x));
        same(wasm.reluBackward(x, dy) as Float32Array, cpu.reluBackward(x, dy));
      }
    });

    it('addBias for row lengths around the vector width', () => {
      for (const [rows, cols] of [[1, 1], [3, 3], [2, 4], [5, 7], [7, 33], [0, 5]]) {
        const x = randomF32(rows * cols, rows + cols);
        const bias = randomF32(cols, cols);
        if (x.length > 2) x[1] = Number.NaN;
        same(wasm.addBias(x, bias, rows, cols) as Float32Array, cpu.addBias(x, bias, rows, cols));
      }
    });
  });

  describe('contract', () => {
    it('returns fresh arrays with their own buffers, never views of wasm memory, and leaves inputs unchanged', () => {
      const a = randomF32(40 * 30, 1);
      const b = randomF32(30 * 20, 2);
      const [a0, b0] = [a.slice(), b.slice()];
      const first = wasm.matmul(a, b, 40, 30, 20);
      const copy = first.slice();
      const results = [first, wasm.matmul(b, a, 20, 30, 40, { transposeA: true, transposeB: true }), wasm.matmul(a.subarray(0, 30), b, 1, 30, 20),
        wasm.relu(a), wasm.reluBackward(a, a), wasm.addBias(a, b.subarray(0, 30), 40, 30), wasm.linear(a, b, null, 40, 30, 20)];
      for (const r of results) expect(r.byteOffset === 0 && r.buffer.byteLength === r.byteLength, 'own buffer').to.equal(true);
      expect(new Set(results.map((r) => r.buffer)).size).to.equal(results.length);
      expect(Array.from(first)).to.deep.equal(Array.from(copy)); // later calls did not overwrite an earlier result
      expect(Array.from(a)).to.deep.equal(Array.from(a0));
      expect(Array.from(b)).to.deep.equal(Array.from(b0));
    });

    it('hands Float64Array and mixed operands to the exact CPU kernels', () => {
      const a = f64(randomF32(9 * 11, 5));
      const b = f64(randomF32(11 * 7, 6));
      const bias = f64(randomF32(7, 7));
      const got = wasm.matmul(a, b, 9, 11, 7, { transposeB: false });
      expect(got).to.be.instanceOf(Float64Array);
      expect(Array.from(got)).to.deep.equal(Array.from(cpu.matmul(a, b, 9, 11, 7)));
      expect(Array.from(wasm.linear(a, b, bias, 9, 11, 7, { relu: true }))).to.deep.equal(Array.from(cpu.linear(a, b, bias, 9, 11, 7, { relu: true })));
      const mixed = wasm.linear(Float32Array.from(a), Float32Array.from(b), bias, 9, 11, 7);
      expect(Array.from(mixed)).to.deep.equal(Array.from(cpu.linear(Float32Array.from(a), Float32Array.from(b), bias, 9, 11, 7)));
      expect(wasm.relu(a)).to.be.instanceOf(Float64Array);
    });

    it('grows its memory for a large product, then reuses it', () => {
      const backend = new WasmBackend();
      const before = backend.memoryBytes;
      const [m, k, n] = [3000, 3, 3000]; // C alone is 36 MB (3000 x 3000 floats), beyond the initial 32 MiB
      const a = randomF32(m * k, 8);
      const b = randomF32(k * n, 9);
      const got = backend.matmul(a, b, m, k, n);
      expect(backend.memoryBytes).to.be.greaterThan(before);
      const grown = backend.memoryBytes;
      expect(agreement(got, cpu.matmul(f64(a), f64(b), m, k, n), gemmErrorBound(a, b, null, m, k, n)).ok).to.equal(true);
      backend.matmul(a.subarray(0, 300 * k), b, 300, k, n);
      expect(backend.memoryBytes).to.equal(grown);
    });

    it('empty products equal the CPU kernels (zeros, bias, ReLU)', () => {
      const bias = new Float32Array([1, -2, 3]);
      expect(Array.from(wasm.linear(new Float32Array(0), new Float32Array(0), bias, 2, 0, 3, { relu: true }))).to.deep.equal([1, 0, 3, 1, 0, 3]);
      expect(wasm.matmul(new Float32Array(0), new Float32Array(12), 0, 4, 3).length).to.equal(0);
    });
  });

  describe('errors', () => {
    it('rejects bad shapes with ShapeError naming the argument and value, before any work', () => {
      const a = new Float32Array(6);
      expect(() => wasm.matmul(a, a, 2, 3, 3)).to.throw(ShapeError, /matmul: expected operands of length m\*k = 6 and k\*n = 9, got 6 and 6/);
      expect(() => wasm.matmul(a, a, 2.5, 3, 2)).to.throw(ShapeError, /matmul: m must be a non-negative integer, got 2.5/);
      expect(() => wasm.matmul(a, a, 2, -3, 2)).to.throw(ShapeError, /k must be a non-negative integer, got -3/);
      expect(() => wasm.linear(a, a, new Float32Array(3), 2, 3, 2)).to.throw(ShapeError, /linear: bias must have length n = 2, got 3/);
      expect(() => wasm.reluBackward(a, new Float32Array(5))).to.throw(ShapeError, /equal length, got 6 and 5/);
      expect(() => wasm.addBias(a, new Float32Array(4), 2, 3)).to.throw(ShapeError, /bias of length 3, got 6 and 4/);
    });
  });
});

describe('wasm provider', () => {
  it("is registered as 'wasm' with priority 50, between cpu and gpu", () => {
    expect(listBackends()).to.include('wasm');
    expect(makeWasmProvider().priority).to.equal(50);
  });

  it('probes unavailable, and create() throws BackendError, when the engine rejects SIMD', () => {
    const seen: number[] = [];
    const noSimd = makeWasmProvider({ validate: (bytes) => (seen.push(bytes.length), false) });
    expect(noSimd.probe()).to.deep.include({ available: false, fast: false });
    expect(noSimd.probe().reason).to.match(/without SIMD/);
    expect(seen.length).to.equal(1); // cached: one validation, however often it is asked
    expect(() => noSimd.create()).to.throw(BackendError, /no usable wasm backend: WebAssembly without SIMD/);
    expect(probeWasm(null).reason).to.match(/no WebAssembly/);
  });

  it("'auto' falls back to cpu when SIMD is absent and takes wasm when it validates", () => {
    const quiet = { announce: () => {} };
    const noSimd = new BackendRegistry([cpuProvider, makeWasmProvider({ validate: () => false })], quiet);
    expect(noSimd.autoDecision().backend).to.equal('cpu');
    expect(noSimd.autoDecision().reason).to.match(/wasm unavailable: WebAssembly without SIMD/);
    expect(noSimd.get().name).to.equal('cpu');
    const withSimd = new BackendRegistry([cpuProvider, makeWasmProvider({ validate })], quiet);
    expect(withSimd.autoDecision().backend).to.equal(validate(simdProbeModule()) ? 'wasm' : 'cpu');
  });

  it('reads a validator that throws as unavailable (the probe never throws)', () => {
    const p = makeWasmProvider({ validate: () => { throw new Error('engine exploded'); } });
    expect(p.probe()).to.deep.include({ available: false, reason: 'probe failed: engine exploded' });
  });
});
