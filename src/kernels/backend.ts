/**
 * The Backend interface: the heavy numeric work that tensor ops delegate.
 *
 * Ops in src/tensor call `getBackend()` and never ask which backend answered (the split of TF.js's
 * kernel registry). Every backend accepts Float32Array and Float64Array inputs and returns an array of
 * the same type as its first operand; a backend that computes only in float32 (the GPU) hands float64
 * work to the CPU kernels itself, so float64 verification always runs at full precision.
 *
 * All arrays are dense row-major. Kernels never mutate their inputs and always return a fresh array.
 * Every method checks its arguments first (./operands.ts): typed errors, never a silent NaN from a bad length.
 */
import type { FloatArray } from '../core/index.js';

export type { FloatArray };

export interface MatmulFlags {
  /** A is stored as [k, m] (row-major) and used as its transpose. */
  transposeA?: boolean;
  /** B is stored as [n, k] (row-major) and used as its transpose. */
  transposeB?: boolean;
}

export interface LinearFlags {
  /** W is stored as [n, k] (PyTorch Linear layout) and used as its transpose. */
  transposeB?: boolean;
  /** Apply ReLU to the result (fused). */
  relu?: boolean;
}

/** One row of what `initlab doctor` prints for a backend, e.g. { label: 'webgl vendor', value: 'Mesa' }. */
export interface DiagnosticRow {
  readonly label: string;
  readonly value: string;
}

export interface Backend {
  /** Registry name, e.g. 'cpu' or 'gpu'. */
  readonly name: string;
  /** One line for humans: what runs the kernels (e.g. the WebGL renderer string). */
  describe(): string;
  /**
   * What `initlab doctor` prints about this backend beyond `describe()` (renderer, vendor, degraded state).
   * Optional so that a test double or a user's backend need not answer it; every built-in backend does.
   */
  diagnose?(): readonly DiagnosticRow[];
  /** True once failures have moved this backend onto fallback kernels (doctor reports it after its check). */
  readonly degraded?: boolean;
  /** C[m, n] = op(A) op(B), op(A) is [m, k], op(B) is [k, n]. */
  matmul(a: FloatArray, b: FloatArray, m: number, k: number, n: number, flags?: MatmulFlags): FloatArray;
  /** y = max(x, 0) elementwise; NaN propagates on the CPU (GLSL leaves NaN handling to the GPU driver). */
  relu(x: FloatArray): FloatArray;
  /** dx = dy where x > 0, else 0 (the subgradient at 0 is 0). */
  reluBackward(x: FloatArray, dy: FloatArray): FloatArray;
  /** y[i, j] = x[i, j] + bias[j] for x of shape [rows, cols]. */
  addBias(x: FloatArray, bias: FloatArray, rows: number, cols: number): FloatArray;
  /** Fused y = act(x W + bias): x [m, k], W [k, n] (or [n, k] with transposeB), bias [n] or null. */
  linear(x: FloatArray, w: FloatArray, bias: FloatArray | null, m: number, k: number, n: number, flags?: LinearFlags): FloatArray;
}

/** What a provider's cheap probe says about its backend on this machine, before anything is created. */
export interface BackendProbe {
  /** The backend can be created here. */
  readonly available: boolean;
  /** Worth choosing for speed: e.g. a GPU on a software renderer (llvmpipe) is available but not fast. */
  readonly fast: boolean;
  /** Why, for humans: what was found or what is missing. */
  readonly reason: string;
}

/**
 * How the registry learns about a backend. Each backend folder src/kernels/<name>/ exports one from its
 * index.ts; src/kernels/builtin.ts lists the built-in ones.
 */
export interface BackendProvider {
  /** Registry name, as given to `setBackend(name)` and `--backend`. */
  readonly name: string;
  /** 'auto' picks the available and fast provider of highest priority. */
  readonly priority: number;
  /**
   * The exact kernels every other backend is checked against (doctor's agreement check). At most one
   * provider should say so; 'auto' falls back to it when no provider is both available and fast.
   */
  readonly reference?: boolean;
  /** Cheap and cached: may create and drop a context once, never compiles kernels. Must not throw. */
  probe(): BackendProbe;
  /** A new backend; throws BackendError saying what is missing when it cannot be created here. */
  create(): Backend;
}
