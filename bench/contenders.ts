import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Matrix } from 'ml-matrix';
import ndarray from 'ndarray';
import ndarrayGemm from 'ndarray-gemm';
import type { Backend } from '../src/kernels/backend.js';
import { CpuBackend } from '../src/kernels/cpu/backend.js';

const require = createRequire(import.meta.url);

/**
 * The implementations the benchmark puts side by side. Each contender turns a problem into a
 * zero-argument closure that does one whole operation (output allocation included, as for initlab's
 * kernels, which always return a fresh array); conversion of the inputs into the contender's own
 * format happens once, outside the timed closure.
 */
export interface Contender {
  /** Row label, e.g. 'initlab-cpu' or 'tfjs-backend-cpu'. */
  name: string;
  /** One line on what runs it (for initlab backends, their `describe()`). */
  describe: string;
  /** Build the timed closure for C = A B, A [m, k], B [k, n]; undefined when the contender has no matmul. */
  matmul?: (a: Float32Array, b: Float32Array, m: number, k: number, n: number) => () => unknown;
  /** Build the timed closure for y = max(x, 0); undefined when the contender has no ReLU. */
  relu?: (x: Float32Array) => () => unknown;
}

/** The contender every ratio is taken against. */
export const INITLAB_CPU = 'initlab-cpu';

/** A contender built from an initlab Backend (the CPU one, or whatever the registry offers). */
export function backendContender(name: string, backend: Backend): Contender {
  return {
    name,
    describe: backend.describe(),
    matmul: (a, b, m, k, n) => () => backend.matmul(a, b, m, k, n),
    relu: (x) => () => backend.relu(x),
  };
}

/** Plain i-k-j triple loop over typed arrays: the baseline any kernel should beat. */
export const plainLoop: Contender = {
  name: 'plain-ikj-loop',
  describe: 'naive i-k-j triple loop over Float32Array (no blocking)',
  matmul: (a, b, m, k, n) => () => {
    const c = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const av = a[i * k + p];
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
    return c;
  },
  relu: (x) => () => {
    const y = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0);
    return y;
  },
};

/** Where tfjs-backend-wasm's .wasm binaries ship: its package's dist folder (nothing is downloaded). */
function tfjsWasmDist(): string {
  return `${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}${path.sep}dist${path.sep}`;
}

/**
 * Make `name` TF.js's active backend. Once a backend is initialized, tf.setBackend switches before its first
 * await, so closures can switch synchronously (needed: tfjs-backend-cpu and -wasm share one global engine).
 */
export function useTfjsBackend(name: 'cpu' | 'wasm'): void {
  if (tf.getBackend() !== name) void tf.setBackend(name);
  if (tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') did not switch synchronously`);
}

/** Initialize TF.js's wasm backend (SIMD, one thread: in Node its thread pool is disabled upstream). */
export async function initTfjsWasm(): Promise<string> {
  setWasmPaths(tfjsWasmDist());
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm failed to initialize');
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return `SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off (single thread)'}`;
}

/**
 * TF.js on one of its backends ('cpu': pure JS; 'wasm': XNNPACK in WebAssembly SIMD); dataSync() reads the
 * result so the work is not deferred. `detail` goes into the description (e.g. the wasm backend's SIMD state).
 */
export function tfjsContender(backend: 'cpu' | 'wasm', detail = ''): Contender {
  useTfjsBackend(backend);
  return {
    name: `tfjs-backend-${backend}`,
    describe: `@tensorflow/tfjs-core ${tf.version_core} with backend '${tf.getBackend()}'${detail === '' ? '' : ` (${detail})`}`,
    matmul: (a, b, m, k, n) => {
      useTfjsBackend(backend);
      const ta = tf.tensor2d(a, [m, k]);
      const tb = tf.tensor2d(b, [k, n]);
      return () => {
        useTfjsBackend(backend);
        const c = tf.matMul(ta, tb);
        const data = c.dataSync();
        c.dispose();
        return data;
      };
    },
    relu: (x) => {
      useTfjsBackend(backend);
      const tx = tf.tensor1d(x);
      return () => {
        useTfjsBackend(backend);
        const y = tf.relu(tx);
        const data = y.dataSync();
        y.dispose();
        return data;
      };
    },
  };
}

/** ndarray-gemm on float32 ndarrays (it writes into a given output; we allocate one per call). */
export const ndarrayGemmContender: Contender = {
  name: 'ndarray-gemm',
  describe: 'ndarray-gemm (scijs) on Float32Array-backed ndarrays',
  matmul: (a, b, m, k, n) => {
    const na = ndarray(a, [m, k]);
    const nb = ndarray(b, [k, n]);
    return () => {
      const c = new Float32Array(m * n);
      ndarrayGemm(ndarray(c, [m, n]), na, nb);
      return c;
    };
  },
};

/** ml-matrix Matrix.mmul (float64 storage, arrays of rows). */
export const mlMatrixContender: Contender = {
  name: 'ml-matrix',
  describe: 'ml-matrix Matrix#mmul (Float64Array rows)',
  matmul: (a, b, m, k, n) => {
    const ma = new Matrix(m, k);
    const mb = new Matrix(k, n);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) ma.set(i, p, a[i * k + p]);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) mb.set(p, j, b[p * n + j]);
    return () => ma.mmul(mb);
  },
};

/** Row-major values of a contender's result (a typed array or an ml-matrix Matrix), for sanity checks. */
export function resultValues(result: unknown): ArrayLike<number> {
  if (result instanceof Matrix) return Float64Array.from(result.to1DArray());
  if (result instanceof Float32Array || result instanceof Float64Array) return result;
  throw new Error(`unexpected result type ${Object.prototype.toString.call(result)}`);
}

/** initlab's own CPU backend. */
export const initlabCpu: Contender = backendContender(INITLAB_CPU, new CpuBackend());
