import { DomainError, describe as show, ShapeError } from '../../core/errors.js';
import { booleanParam, checkedOptions } from '../../core/options.js';
import type { Backend, DiagnosticRow, FloatArray, LinearFlags, MatmulFlags } from '../backend.js';
import { CpuBackend } from '../cpu/backend.js';
import { availableCores } from '../host.js';
import { gemmBytes, wasmGemm, type Product } from './gemm.js';
import { DEFAULT_SHAPE, type GemmShape } from './kernels.js';
import { KernelMemory, Layout, MAX_BYTES } from './memory.js';
import { ThreadPool } from './threads.js';

export interface WasmBackendOptions {
  /**
   * Relaxed-SIMD multiply-add in the micro-kernel (default false). Off by default: Node 20 rejects relaxed SIMD
   * without --experimental-wasm-relaxed-simd, and where it validates it measured slower (AMD EPYC, Node 20 with
   * that flag, interleaved best-of-20 at 512^3, 1024^3 and 128x784x256: 0.86-0.89x the mul + add kernel). With it,
   * float32 results may differ from the default kernels in the last bits (one rounding per step instead of two).
   */
  fma?: boolean;
  /** Micro-tile and blocking (default DEFAULT_SHAPE); for measurements and tests. */
  shape?: GemmShape;
  /**
   * Threads for large products, the calling thread included (default: the available cores). With more than one,
   * the memory is shared and worker threads split C's columns (./threads.ts); results are identical.
   */
  threads?: number;
  /**
   * Products of fewer flops (2 m n k, padded) run on the calling thread alone (default 2^25). Measured with 2
   * threads on a 2-vCPU machine under load ~6 (other jobs running), interleaved best-of-30: speedup 0.41 at 64^3,
   * 0.82 at 128^3, 0.94 at 256^3 (34 MFLOP), 1.06 at 128x784x256 (51 MFLOP), 1.39 at 512^3; a quiet machine should
   * cross over earlier.
   */
  minThreadFlops?: number;
}

/** Default size threshold for using threads (see WasmBackendOptions.minThreadFlops). */
export const MIN_THREAD_FLOPS = 2 ** 25;

/**
 * The `wasm` backend: float32 kernels in WebAssembly SIMD (f32x4), emitted at run time by ./kernels.ts, over one
 * linear memory reused by every call (./memory.ts); large products split across worker threads (./threads.ts).
 *
 * Float32 work sums in float32 (error within `gemmErrorBound` of ../agreement.ts); Float64Array operands, mixed
 * operand types, empty products and products needing more than MAX_BYTES of memory run on the exact CPU
 * kernels, so float64 verification keeps full precision. Results are always fresh arrays, never views of
 * wasm memory.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  private readonly cpu = new CpuBackend();
  private readonly memory: KernelMemory;
  private readonly shape: GemmShape;
  private readonly fma: boolean;
  /** The worker threads (null with one thread); started lazily by the first large product. */
  readonly pool: ThreadPool | null;

  /** Throws BackendError when the engine rejects the emitted module (no SIMD), ShapeError for bad options. */
  constructor(options?: WasmBackendOptions) {
    const o = checkedOptions('WasmBackend', options, ['fma', 'shape', 'threads', 'minThreadFlops']) as WasmBackendOptions;
    this.shape = o.shape === undefined ? DEFAULT_SHAPE : checkGemmShape(o.shape);
    this.fma = booleanParam('options.fma', o.fma, false);
    const threads = o.threads ?? availableCores();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new DomainError(`options.threads must be an integer in [1, 256], got ${show(threads)}`);
    }
    const minFlops = o.minThreadFlops ?? MIN_THREAD_FLOPS;
    if (!(typeof minFlops === 'number' && minFlops >= 0)) throw new DomainError(`options.minThreadFlops must be a number >= 0, got ${show(minFlops)}`);
    this.memory = new KernelMemory({ ...this.shape, fma: this.fma }, threads > 1);
    this.pool = threads > 1 ? new ThreadPool(this.memory, () => this.memory.reserve(0).k, { threads, minFlops }) : null;
  }

  describe(): string {
    const { mr, nr } = this.shape;
    const threads = this.pool === null ? 'single thread' : `${this.pool.options.threads} threads above ${this.pool.options.minFlops} flops`;
    return `WebAssembly SIMD kernels in float32 (${threads}, packed ${mr}x${nr} f32x4 matmul${this.fma ? ', relaxed FMA' : ''}; Float64Array inputs run on the CPU kernels)`;
  }

  diagnose(): readonly DiagnosticRow[] {
    return [
      { label: 'precision', value: 'float32 sums (Float64Array inputs on the CPU kernels)' },
      { label: 'threads', value: this.pool === null ? '1' : `${this.pool.options.threads} (workers started: ${this.pool.started}, live: ${this.pool.live})` },
      { label: 'linear memory', value: `${(this.memory.size / 2 ** 20).toFixed(0)} MiB now, at most ${MAX_BYTES / 2 ** 20} MiB` },
    ];
  }

  /** Bytes of linear memory now (grows on demand and is then reused). */
  get memoryBytes(): number {
    return this.memory.size;
  }

  matmul(a: FloatArray, b: FloatArray, m: number, k: number, n: number, flags: MatmulFlags = {}): FloatArray {
    checkMatmulShapes('matmul', a, b, m, k, n);
    const p = this.product(a, b, null, m, k, n, flags.transposeA === true, flags.transposeB === true, false);
    return p === null ? this.cpu.matmul(a, b, m, k, n, flags) : wasmGemm(this.memory, this.shape, p, this.pool);
  }

  linear(x: FloatArray, w: FloatArray, bias: FloatArray | null, m: number, k: number, n: number, flags: LinearFlags = {}): FloatArray {
    checkMatmulShapes('linear', x, w, m, k, n);
    if (bias !== null && bias.length !== n) throw new ShapeError(`linear: bias must have length n = ${n}, got ${bias.length}`);
    const p = this.product(x, w, bias, m, k, n, false, flags.transposeB === true, flags.relu === true);
    return p === null ? this.cpu.linear(x, w, bias, m, k, n, flags) : wasmGemm(this.memory, this.shape, p, this.pool);
  }

  relu(x: FloatArray): FloatArray {
    if (!(x instanceof Float32Array) || 4 * (x.length + 4) > MAX_BYTES) return this.cpu.relu(x);
    const layout = new Layout();
    const at = layout.take(x.length);
    const { k, f32 } = this.memory.reserve(layout.bytes);
    f32.set(x, at);
    k.relu(at * 4, roundUp(x.length, 4) * 4);
    return f32.slice(at, at + x.length);
  }

  reluBackward(x: FloatArray, dy: FloatArray): FloatArray {
    if (x.length !== dy.length) {
      throw new ShapeError(`reluBackward: x and dy must have equal length, got ${x.length} and ${dy.length}`);
    }
    if (!(x instanceof Float32Array && dy instanceof Float32Array) || 8 * (x.length + 4) > MAX_BYTES) return this.cpu.reluBackward(x, dy);
    const layout = new Layout();
    const ax = layout.take(x.length);
    const ady = layout.take(dy.length);
    const { k, f32 } = this.memory.reserve(layout.bytes);
    f32.set(x, ax);
    f32.set(dy, ady);
    k.reluBackward(ax * 4, ady * 4, roundUp(x.length, 4) * 4);
    return f32.slice(ady, ady + dy.length);
  }

  addBias(x: FloatArray, bias: FloatArray, rows: number, cols: number): FloatArray {
    if (x.length !== rows * cols || bias.length !== cols) {
      throw new ShapeError(`addBias: expected x of length ${rows * cols} and bias of length ${cols}, got ${x.length} and ${bias.length}`);
    }
    if (!(x instanceof Float32Array && bias instanceof Float32Array) || 4 * (x.length + cols + 8) > MAX_BYTES) {
      return this.cpu.addBias(x, bias, rows, cols);
    }
    const layout = new Layout();
    const ax = layout.take(x.length);
    const ab = layout.take(cols);
    const { k, f32 } = this.memory.reserve(layout.bytes);
    f32.set(x, ax);
    f32.set(bias, ab);
    k.addBias(ax * 4, ab * 4, rows, cols * 4);
    return f32.slice(ax, ax + x.length);
  }

  /** The product as the wasm kernels take it, or null when it belongs on the CPU kernels (see the class doc). */
  private product(
    a: FloatArray, b: FloatArray, bias: FloatArray | null, m: number, k: number, n: number,
    transposeA: boolean, transposeB: boolean, relu: boolean,
  ): Product | null {
    if (!(a instanceof Float32Array && b instanceof Float32Array) || !(bias === null || bias instanceof Float32Array)) return null;
    if (m === 0 || k === 0 || n === 0) return null;
    const p: Product = { a, b, m, k, n, transposeA, transposeB, bias, relu };
    return gemmBytes(p, this.shape) > MAX_BYTES ? null : p;
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/** Reject dimensions that do not match the operands, before any work (an out-of-range read gives garbage). */
function checkMatmulShapes(op: string, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  for (const [name, d] of [['m', m], ['k', k], ['n', n]] as const) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`${op}: ${name} must be a non-negative integer, got ${show(d)}`);
  }
  if (a.length !== m * k || b.length !== k * n) {
    throw new ShapeError(`${op}: expected operands of length m*k = ${m * k} and k*n = ${k * n}, got ${a.length} and ${b.length}`);
  }
}

/** A micro-tile/blocking option: positive integers, nr a multiple of 4 (f32x4 lanes), mc a multiple of mr. */
function checkGemmShape(shape: unknown): GemmShape {
  const o = checkedOptions('WasmBackend', shape, ['mr', 'nr', 'unroll', 'mc', 'kc'], 'options.shape');
  const out = { ...DEFAULT_SHAPE };
  for (const key of ['mr', 'nr', 'unroll', 'mc', 'kc'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 4096) {
      throw new DomainError(`options.shape.${key} must be an integer in [1, 4096], got ${show(v)}`);
    }
    out[key] = v;
  }
  if (out.nr % 4 !== 0) throw new DomainError(`options.shape.nr must be a multiple of 4 (f32x4 lanes), got ${out.nr}`);
  if (out.mc % out.mr !== 0) throw new DomainError(`options.shape.mc must be a multiple of mr = ${out.mr}, got ${out.mc}`);
  return out;
}
