import { BackendError } from '../../core/errors.js';
import { wasmApi, type WasmApi, type WasmMemory, type WasmModule } from './engine.js';
import { kernelModule, type KernelOptions } from './kernels.js';

/** The kernel module's exports (pointers and sizes in bytes unless noted; see ./kernels.ts). */
export interface KernelExports {
  gemm(aPack: number, bPack: number, c: number, mPad: number, nPad: number, kcBytes: number, ldc: number, flags: number, bias: number): void;
  gemmRange(aPack: number, bPack: number, c: number, mPad: number, nPad: number, j0: number, j1: number, kBytes: number, blockBytes: number, ldc: number, flags: number, bias: number): void;
  copy3(src: number, dst: number, n2: number, n1: number, n0: number, s2: number, s1: number, s0: number, d2: number, d1: number, d0: number): void;
  copy3v(src: number, dst: number, n2: number, n1: number, n0: number, s2: number, s1: number, s0: number, d2: number, d1: number, d0: number): void;
  gemvN(a: number, b: number, c: number, kBytes: number, ldb: number, nBytes: number): void;
  gemvT(a: number, b: number, c: number, k: number, n: number): void;
  relu(x: number, bytes: number): void;
  reluBackward(x: number, dy: number, bytes: number): void;
  addBias(x: number, bias: number, rows: number, colBytes: number): void;
}

const PAGE = 65536;
/** Start with 32 MiB: a 1024^2 float32 product (A and B as given, packed, and C: 20 MiB) fits without growing. */
const INITIAL_BYTES = 32 << 20;
/**
 * Most linear memory the backend uses (1 GiB); larger problems run on the CPU kernels. Well below wasm32's
 * 4 GiB, so that a huge request fails over instead of exhausting the process.
 */
export const MAX_BYTES = 1 << 30;

/**
 * The compiled kernel module and the memory it runs in, kept between calls.
 *
 * Growing: when a call needs more memory than there is, a new, larger memory (at least double) is made and the
 * compiled module instantiated again over it, instead of `memory.grow`. Growing a non-shared memory detaches
 * its old ArrayBuffer, and one detached ArrayBuffer in a process makes V8 keep detach checks in every typed-array
 * loop from then on (bench/standalone.ts measured ~25% on the CPU kernels); instantiating is cheap (microseconds)
 * and the old memory is simply collected. Contents need not survive: every call writes what it reads.
 */
export class KernelMemory {
  private readonly api: WasmApi;
  private readonly module: WasmModule;
  private memory!: WasmMemory;
  private exportsRef!: KernelExports;
  private view!: Float32Array;
  /** How many times a larger memory replaced the previous one (for tests). */
  replacements = 0;

  /**
   * `shared`: a shared memory (SharedArrayBuffer) that worker threads instantiate the same module over. It grows in
   * place with `memory.grow` (a SharedArrayBuffer is never detached) up to MAX_BYTES.
   */
  constructor(options: KernelOptions, readonly shared = false) {
    if (wasmApi === null) throw new BackendError('wasm backend: this JavaScript engine has no WebAssembly');
    this.api = wasmApi;
    const memory = shared ? { initialPages: 1, maximumPages: MAX_BYTES / PAGE, shared: true } : { initialPages: 1, shared: false };
    const bytes = kernelModule(memory, options);
    try {
      this.module = new this.api.Module(bytes);
    } catch (e) {
      throw new BackendError(`wasm backend: the engine rejected the emitted kernel module (${e instanceof Error ? e.message : String(e)})`);
    }
    this.instantiate(INITIAL_BYTES);
  }

  private instantiate(bytes: number): void {
    const initial = Math.ceil(bytes / PAGE);
    this.memory = new this.api.Memory(this.shared ? { initial, maximum: MAX_BYTES / PAGE, shared: true } : { initial });
    const instance = new this.api.Instance(this.module, { env: { memory: this.memory } });
    this.exportsRef = instance.exports as unknown as KernelExports;
    this.view = new Float32Array(this.memory.buffer);
  }

  /** The compiled module and its memory, for worker threads (shared memories only). */
  get forWorkers(): { module: WasmModule; memory: WasmMemory } {
    return { module: this.module, memory: this.memory };
  }

  /** Bytes of linear memory now. */
  get size(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Make room for `bytes` bytes and return the kernels and a float32 view of the whole memory; call before
   * each use (an earlier view may belong to a replaced memory). Throws RangeError beyond MAX_BYTES.
   */
  reserve(bytes: number): { k: KernelExports; f32: Float32Array } {
    if (bytes > MAX_BYTES) throw new RangeError(`wasm backend: ${bytes} bytes exceed the ${MAX_BYTES}-byte limit`);
    if (bytes > this.size) {
      const target = Math.min(MAX_BYTES, Math.max(bytes, 2 * this.size));
      if (this.shared) {
        this.memory.grow(Math.ceil((target - this.size) / PAGE));
        this.view = new Float32Array(this.memory.buffer);
      } else {
        this.instantiate(target);
        this.replacements++;
      }
    }
    return { k: this.exportsRef, f32: this.view };
  }
}

/** Bump allocation of 16-byte-aligned regions (in floats) within one call's reservation. */
export class Layout {
  private next = 0;

  /** Float offset of a region of `floats` floats; 4 floats (16 bytes) of slack follow every region. */
  take(floats: number): number {
    const at = this.next;
    this.next += Math.ceil((floats + 4) / 4) * 4;
    return at;
  }

  /** Total bytes taken so far. */
  get bytes(): number {
    return this.next * 4;
  }
}
