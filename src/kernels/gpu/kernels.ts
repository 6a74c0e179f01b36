import type { GLContext } from './context.js';
import { gpuJsRuntime } from './gpujs.js';

/**
 * A small typed adapter over gpu.js (whose own typings are loose): the kernel sources, a bounded
 * cache of compiled kernels keyed by shape signature, and texture read-back to Float32Array.
 *
 * Every kernel writes a 1-D float32 texture (pipeline mode) and indexes its flat row-major inputs
 * itself, so results come back as one Float32Array (no nested JS arrays) and can also stay on the
 * device as the input of the next kernel. Index arithmetic runs in float32 inside the shader, which
 * is exact only below 2^24, hence MAX_GPU_ELEMENTS.
 */

/** Largest array (elements) the GPU kernels index exactly: float32 represents integers exactly to 2^24. */
export const MAX_GPU_ELEMENTS = 2 ** 24;

/** A float32 array living in a GPU texture (a gpu.js pipeline output); delete() frees it. */
export interface DeviceArray {
  /** gpu.js argument type of the texture, e.g. 'ArrayTexture(1)'. */
  readonly type: string;
  toArray(): unknown;
  delete(): void;
}

/** What a kernel accepts per argument: host float32 data or a texture from a previous kernel. */
export type KernelArg = Float32Array | DeviceArray;

export interface GpuJsKernel {
  (...args: KernelArg[]): unknown;
  /** The kernel object behind gpu.js's run shortcut; replaced when gpu.js falls back to its CPU kernel. */
  readonly kernel: object;
  destroy(removeCanvasReferences?: boolean): void;
}

export interface GpuJsInstance {
  createKernel(source: string, settings: Record<string, unknown>): GpuJsKernel;
  destroy(): void;
}

/** A gpu.js instance on a context, and the class of the WebGL kernels it builds (anything else is a fallback). */
export interface GpuJsRuntime {
  readonly gpu: GpuJsInstance;
  readonly glKernel: abstract new (...args: never[]) => object;
}

/**
 * Kernel sources, kept as JavaScript text: gpu.js parses a kernel's source, so it must not pass
 * through a TypeScript transpiler that could rename or wrap it. Shapes and strides are gpu.js
 * constants, compiled into the shader, so one compiled kernel serves exactly one shape signature.
 */
const SOURCES = {
  // C[i, j] = act(sum_p A(i, p) B(p, j) + bias[j]); strides select the transpose layout of A and B.
  gemm: `function gemm(a, b, bias) {
    const i = Math.floor(this.thread.x / this.constants.n);
    const j = this.thread.x - i * this.constants.n;
    let s = 0;
    for (let p = 0; p < this.constants.k; p++) {
      s += a[i * this.constants.sai + p * this.constants.sap] * b[p * this.constants.sbp + j * this.constants.sbj];
    }
    if (this.constants.hasBias > 0) {
      s += bias[j];
    }
    if (this.constants.relu > 0) {
      s = s > 0 ? s : 0;
    }
    return s;
  }`,
  // Written as a comparison (not max) so that NaN maps to 0 exactly as in the CPU kernel.
  relu: `function relu(x) {
    const v = x[this.thread.x];
    return v > 0 ? v : 0;
  }`,
  reluBackward: `function reluBackward(x, dy) {
    return x[this.thread.x] > 0 ? dy[this.thread.x] : 0;
  }`,
  addBias: `function addBias(x, bias) {
    const i = Math.floor(this.thread.x / this.constants.cols);
    return x[this.thread.x] + bias[this.thread.x - i * this.constants.cols];
  }`,
} as const;

export type KernelName = keyof typeof SOURCES;

/** One kernel invocation: which source, its output length, its constants, its arguments. */
export interface KernelCall {
  name: KernelName;
  length: number;
  constants: Record<string, number>;
  args: KernelArg[];
}

/** Compiles, caches and runs the kernels on one WebGL context. */
export class KernelCache {
  private readonly gpu: GpuJsInstance;
  private readonly glKernel: GpuJsRuntime['glKernel'];
  /** Insertion order doubles as recency order (a hit is re-inserted), so the first key is the LRU. */
  private readonly kernels = new Map<string, GpuJsKernel>();
  private compileCount = 0;

  constructor(
    context: GLContext,
    private readonly capacity: number,
    /** Throws before compiling; the fault-injection hook of the GPU backend. */
    private readonly beforeCompile: () => void = () => {},
  ) {
    ({ gpu: this.gpu, glKernel: this.glKernel } = gpuJsRuntime(context));
  }

  /** Kernels compiled so far (a cache hit does not count). */
  get compiles(): number {
    return this.compileCount;
  }

  /** Kernels currently cached. */
  get size(): number {
    return this.kernels.size;
  }

  /** Run a kernel; the result stays on the device until read() or delete(). */
  run(call: KernelCall): DeviceArray {
    const [key, kernel] = this.kernel(call);
    try {
      const out = kernel(...call.args);
      // gpu.js swaps in its own CPU kernel when a GL build fails; that must not pass for a GPU result.
      if (!(kernel.kernel instanceof this.glKernel)) {
        throw new Error(`gpu.js replaced the WebGL kernel ${call.name} by a ${kernel.kernel.constructor.name}`);
      }
      if (!isDeviceArray(out)) throw new Error(`gpu.js kernel ${call.name} did not return a texture`);
      return out;
    } catch (e) {
      // A kernel that failed once (shader compile error, lost context) is not worth keeping.
      this.kernels.delete(key);
      throw e;
    }
  }

  /** Copy a device array to the host and free its texture. */
  read(t: DeviceArray, length: number): Float32Array {
    try {
      const out = t.toArray();
      if (!(out instanceof Float32Array) || out.length !== length) {
        throw new Error(`texture read-back gave ${String(out?.constructor?.name)} instead of Float32Array(${length})`);
      }
      return out;
    } finally {
      t.delete();
    }
  }

  /** Drop every compiled kernel and the gpu.js instance. */
  destroy(): void {
    for (const k of this.kernels.values()) k.destroy();
    this.kernels.clear();
    this.gpu.destroy();
  }

  private kernel(call: KernelCall): [string, GpuJsKernel] {
    const types = call.args.map((a) => (a instanceof Float32Array ? 'Array' : a.type));
    const constants = Object.entries(call.constants).map(([k, v]) => `${k}=${v}`);
    const key = `${call.name}|${call.length}|${constants.join(',')}|${types.join(',')}`;
    const hit = this.kernels.get(key);
    if (hit !== undefined) {
      this.kernels.delete(key);
      this.kernels.set(key, hit);
      return [key, hit];
    }
    this.beforeCompile();
    const kernel = this.gpu.createKernel(SOURCES[call.name], {
      output: [call.length],
      constants: call.constants,
      argumentTypes: types,
      precision: 'single',
      // highp everywhere: the 'speed' tactic may pick mediump for small textures.
      tactic: 'precision',
      pipeline: true,
      // A fresh output texture per call, so that a chain of same-shape layers never reads the
      // texture it is writing; the caller deletes each one.
      immutable: true,
      onRequestFallback: () => {
        throw new Error(`gpu.js could not build the WebGL kernel ${call.name} and asked to fall back to its CPU kernel`);
      },
    });
    this.compileCount++;
    this.kernels.set(key, kernel);
    if (this.kernels.size > this.capacity) {
      const [oldest, evicted] = this.kernels.entries().next().value as [string, GpuJsKernel];
      this.kernels.delete(oldest);
      evicted.destroy();
    }
    return [key, kernel];
  }
}

function isDeviceArray(x: unknown): x is DeviceArray {
  return typeof x === 'object' && x !== null && typeof (x as DeviceArray).toArray === 'function' &&
    typeof (x as DeviceArray).delete === 'function';
}
