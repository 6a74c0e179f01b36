import { BackendError, describe as show, ShapeError } from '../../core/errors.js';
import type { Backend, DiagnosticRow, FloatArray, LinearFlags, MatmulFlags } from '../backend.js';
import { checkAddBiasArgs, checkDims, checkFlags, checkLength, checkLinearArgs, checkMatmulArgs, checkOperand, checkReluBackwardArgs, LINEAR_FLAGS } from '../operands.js';
import { CpuBackend } from '../cpu/backend.js';
import { envVar, writeStderr } from '../host.js';
import {
  createGLContext,
  destroyGLContext,
  rendererInfo,
  type GLContext,
  type RendererInfo,
} from './context.js';
import { KernelCache, MAX_GPU_ELEMENTS, type DeviceArray, type KernelArg } from './kernels.js';
import { parseFault, parseGpuOptions, type GpuBackendOptions } from './options.js';

export type { GpuBackendOptions, GpuFault } from './options.js';

/** One layer of `mlpForward`: y = act(x W + bias). */
export interface MlpLayer {
  /** [inFeatures, outFeatures], or [outFeatures, inFeatures] with transposeB. */
  w: FloatArray;
  bias: FloatArray | null;
  inFeatures: number;
  outFeatures: number;
  transposeB?: boolean;
  relu?: boolean;
}

// gpu.js needs an argument where a kernel has no bias; the constant hasBias=0 keeps it unread.
const NO_BIAS = new Float32Array(1);

/**
 * The `gpu` backend: gpu.js WebGL kernels on a headless-gl context, computing in float32.
 *
 * Float64Array operands (and arrays too large to index exactly in float32) run on the CPU kernels,
 * so float64 verification keeps full precision. If a GPU kernel fails (shader compile error, lost
 * context), the call is answered by the CPU kernels, one warning is printed and the backend stays
 * on the CPU from then on (`degraded`), so that a training run survives.
 */
export class GpuBackend implements Backend {
  readonly name = 'gpu';
  /** What renders the kernels (unmasked WebGL renderer string). */
  readonly renderer: RendererInfo;
  private readonly cpu = new CpuBackend();
  private readonly gl: GLContext;
  private readonly cache: KernelCache;
  private readonly warn: (message: string) => void;
  private degradedBecause: string | null = null;
  /** Largest array the kernels take: exact float32 indexing and a square texture within MAX_TEXTURE_SIZE. */
  private readonly maxElements: number;

  /**
   * Throws BackendError (saying what is missing) when no WebGL context can be created, and DomainError, before
   * any context is made, for malformed options (see `parseGpuOptions`).
   */
  constructor(options: GpuBackendOptions = {}) {
    const o = parseGpuOptions(options);
    const gl: unknown = (o.contextFactory ?? createGLContext)();
    if (typeof gl !== 'object' || gl === null || typeof (gl as Partial<GLContext>).getParameter !== 'function') {
      throw new BackendError(`options.contextFactory must return a WebGL context, got ${show(gl)}`);
    }
    this.gl = gl as GLContext;
    this.renderer = rendererInfo(this.gl);
    const maxTexture = Number(this.gl.getParameter(this.gl.MAX_TEXTURE_SIZE));
    this.maxElements = Math.min(MAX_GPU_ELEMENTS, maxTexture > 0 ? maxTexture ** 2 : 0);
    this.warn = o.warn ?? ((message) => writeStderr(`initlab: ${message}`));
    const fault = o.fault ?? parseFault(envVar('INITLAB_GPU_FAIL'));
    try {
      this.cache = new KernelCache(this.gl, o.cacheSize, () => {
        if (fault === 'compile') throw new Error('simulated shader compile failure (INITLAB_GPU_FAIL=compile)');
      });
    } catch (e) {
      destroyGLContext(this.gl);
      throw new BackendError(`no usable GPU backend: gpu.js rejected the WebGL context (${e instanceof Error ? e.message : String(e)})`);
    }
    if (fault === 'lost') destroyGLContext(this.gl);
  }

  describe(): string {
    const soft = this.renderer.software ? ', a software renderer' : '';
    const base = `gpu.js WebGL kernels in float32 on ${this.renderer.renderer}${soft} (Float64Array inputs run on the CPU kernels)`;
    return this.degradedBecause === null ? base : `DEGRADED to the CPU kernels (${this.degradedBecause}); was: ${base}`;
  }

  /** What renders the kernels and whether the backend is still on the GPU (for `initlab doctor`). */
  diagnose(): readonly DiagnosticRow[] {
    return [
      { label: 'webgl renderer', value: `${this.renderer.renderer}${this.renderer.software ? ' (software)' : ''}` },
      { label: 'webgl vendor', value: this.renderer.vendor },
      { label: 'state', value: this.degradedBecause === null ? 'on the GPU' : `DEGRADED to the CPU kernels: ${this.degradedBecause}` },
    ];
  }

  /** True once a GPU failure has moved this backend onto the CPU kernels. */
  get degraded(): boolean {
    return this.degradedBecause !== null;
  }

  /** Why the backend degraded, or null. */
  get degradedReason(): string | null {
    return this.degradedBecause;
  }

  /** Number of kernels compiled so far; a call with an already-seen shape signature compiles nothing. */
  get kernelCompiles(): number {
    return this.cache.compiles;
  }

  /** Per-op count of calls that ran on the GPU (not the CPU fallback): how tests prove the GPU did the work. */
  readonly gpuCalls = new Map<string, number>();

  matmul(a: FloatArray, b: FloatArray, m: number, k: number, n: number, flags: MatmulFlags = {}): FloatArray {
    checkMatmulArgs(a, b, m, k, n, flags);
    return this.attempt(
      'matmul',
      [a, b],
      m * n,
      () => this.readGemm(a, b, null, m, k, n, flags.transposeA === true, flags.transposeB === true, false),
      () => this.cpu.matmul(a, b, m, k, n, flags),
    );
  }

  relu(x: FloatArray): FloatArray {
    checkOperand('relu', 'x', x);
    return this.attempt(
      'relu',
      [x],
      x.length,
      () => this.readElementwise('relu', [x as Float32Array], x.length, {}),
      () => this.cpu.relu(x),
    );
  }

  reluBackward(x: FloatArray, dy: FloatArray): FloatArray {
    checkReluBackwardArgs(x, dy);
    return this.attempt(
      'reluBackward',
      [x, dy],
      dy.length,
      () => this.readElementwise('reluBackward', [x as Float32Array, dy as Float32Array], dy.length, {}),
      () => this.cpu.reluBackward(x, dy),
    );
  }

  addBias(x: FloatArray, bias: FloatArray, rows: number, cols: number): FloatArray {
    checkAddBiasArgs(x, bias, rows, cols);
    return this.attempt(
      'addBias',
      [x, bias],
      rows * cols,
      () => this.readElementwise('addBias', [x as Float32Array, bias as Float32Array], rows * cols, { cols }),
      () => this.cpu.addBias(x, bias, rows, cols),
    );
  }

  /** Fused act(x W + bias) in a single GPU kernel: nothing is read back between matmul, bias and ReLU. */
  linear(x: FloatArray, w: FloatArray, bias: FloatArray | null, m: number, k: number, n: number, flags: LinearFlags = {}): FloatArray {
    checkLinearArgs(x, w, bias, m, k, n, flags);
    return this.attempt(
      'linear',
      bias === null ? [x, w] : [x, w, bias],
      m * n,
      () => this.readGemm(x, w, bias, m, k, n, false, flags.transposeB === true, flags.relu === true),
      () => this.cpu.linear(x, w, bias, m, k, n, flags),
    );
  }

  /**
   * Forward pass of a stack of linear layers for a batch x [m, layers[0].inFeatures], keeping every
   * intermediate activation on the device: only the last layer's output is read back.
   * Kept on a paired measurement: on llvmpipe (2 loaded cores), interleaved timing loops ran 8-layer chains
   * 1.07-1.6x faster than per-layer `linear` (a read-back and a re-upload per layer saved); benny's
   * `npm run bench` suites "mlp forward" showed no difference within their ±10-60% margins there.
   */
  mlpForward(x: FloatArray, m: number, layers: readonly MlpLayer[]): FloatArray {
    const op = 'mlpForward';
    checkOperand(op, 'x', x);
    checkDims(op, { m });
    if (!Array.isArray(layers)) throw new ShapeError(`${op}: layers must be an array of MlpLayer, got ${show(layers)}`);
    layers.forEach(checkMlpLayer);
    let width = layers.length === 0 ? (m === 0 ? 0 : x.length / m) : layers[0].inFeatures;
    checkLength(op, 'x', x, m * width, 'm*layers[0].inFeatures');
    for (const [i, l] of layers.entries()) {
      if (l.inFeatures !== width) {
        throw new ShapeError(`${op}: layers[${i}].inFeatures must be ${width} (the previous width), got ${show(l.inFeatures)}`);
      }
      checkLength(op, `layers[${i}].w`, l.w, l.inFeatures * l.outFeatures, 'inFeatures*outFeatures');
      if (l.bias !== null) checkLength(op, `layers[${i}].bias`, l.bias, l.outFeatures, 'outFeatures');
      width = l.outFeatures;
    }
    const operands = [x, ...layers.flatMap((l) => (l.bias === null ? [l.w] : [l.w, l.bias]))];
    return this.attempt(
      'mlpForward',
      operands,
      Math.max(m * width, ...layers.map((l) => m * l.outFeatures)),
      () => {
        let h: KernelArg = x as Float32Array;
        try {
          for (const l of layers) {
            const next: DeviceArray = this.gemm(h, l.w as Float32Array, l.bias as Float32Array | null, m, l.inFeatures,
              l.outFeatures, false, l.transposeB === true, l.relu === true);
            if (h !== x) (h as DeviceArray).delete();
            h = next;
          }
        } catch (e) {
          if (h !== x) (h as DeviceArray).delete();
          throw e;
        }
        return h === x ? (x as Float32Array).slice() : this.cache.read(h as DeviceArray, m * width);
      },
      () => {
        let h = x;
        for (const l of layers) {
          h = this.cpu.linear(h, l.w, l.bias, m, l.inFeatures, l.outFeatures, { transposeB: l.transposeB, relu: l.relu });
        }
        return h === x ? x.slice() : h;
      },
    );
  }

  /** Free the compiled kernels and the WebGL context; later calls run on the CPU kernels. */
  dispose(): void {
    this.degradedBecause ??= 'disposed';
    try {
      this.cache.destroy();
      destroyGLContext(this.gl);
    } catch {
      // A lost or already destroyed context has nothing left to free.
    }
  }

  /**
   * Run `onGpu` when every operand is float32 and every array involved (operands and outputs, of
   * at most `outputs` elements) fits the GPU, else `onCpu`. A GPU failure degrades the backend:
   * this call and every later one are answered by the CPU kernels, after one warning.
   */
  private attempt(op: string, operands: FloatArray[], outputs: number, onGpu: () => Float32Array,
    onCpu: () => FloatArray): FloatArray {
    const fitsGpu = (length: number): boolean => length > 0 && length <= this.maxElements;
    const fits = fitsGpu(outputs) && operands.every((o) => o instanceof Float32Array && fitsGpu(o.length));
    if (this.degradedBecause !== null || !fits) return onCpu();
    try {
      if (this.gl.isContextLost()) throw new Error('the WebGL context was lost');
      const out = onGpu();
      this.gpuCalls.set(op, (this.gpuCalls.get(op) ?? 0) + 1);
      return out;
    } catch (e) {
      this.degradedBecause = `${op} failed on the GPU: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      this.warn(`gpu backend degraded to the CPU kernels for the rest of this process: ${this.degradedBecause}`);
      return onCpu();
    }
  }

  private gemm(a: KernelArg, b: Float32Array, bias: Float32Array | null, m: number, k: number, n: number,
    ta: boolean, tb: boolean, relu: boolean): DeviceArray {
    return this.cache.run({
      name: 'gemm',
      length: m * n,
      // Strides of A(i, p) and B(p, j) in their stored layouts: one kernel source for all four transposes.
      constants: {
        k,
        n,
        sai: ta ? 1 : k,
        sap: ta ? m : 1,
        sbp: tb ? 1 : n,
        sbj: tb ? k : 1,
        hasBias: bias === null ? 0 : 1,
        relu: relu ? 1 : 0,
      },
      args: [a, b, bias ?? NO_BIAS],
    });
  }

  private readGemm(a: FloatArray, b: FloatArray, bias: FloatArray | null, m: number, k: number, n: number,
    ta: boolean, tb: boolean, relu: boolean): Float32Array {
    const t = this.gemm(a as Float32Array, b as Float32Array, bias as Float32Array | null, m, k, n, ta, tb, relu);
    return this.cache.read(t, m * n);
  }

  private readElementwise(name: 'relu' | 'reluBackward' | 'addBias', args: Float32Array[], length: number,
    constants: Record<string, number>): Float32Array {
    return this.cache.read(this.cache.run({ name, length, constants, args }), length);
  }
}


/** One layer of `mlpForward`: operands and sizes of the right kinds (lengths are checked against the chain). */
function checkMlpLayer(l: unknown, i: number): void {
  const op = 'mlpForward';
  if (typeof l !== 'object' || l === null) throw new ShapeError(`${op}: layers[${i}] must be an MlpLayer {w, bias, inFeatures, outFeatures}, got ${show(l)}`);
  const { w, bias, inFeatures, outFeatures, transposeB, relu } = l as Record<string, unknown>;
  checkOperand(op, `layers[${i}].w`, w);
  if (bias !== null) checkOperand(op, `layers[${i}].bias`, bias);
  checkDims(op, { [`layers[${i}].inFeatures`]: inFeatures, [`layers[${i}].outFeatures`]: outFeatures });
  checkFlags(op, { transposeB, relu }, LINEAR_FLAGS, `layers[${i}]`);
}
