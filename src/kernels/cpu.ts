import { alloc, type Backend, type FloatArray, type LinearFlags, type MatmulFlags } from './backend.js';

/**
 * Hand-written CPU kernels over typed arrays.
 * (Initial straightforward version; the tiled matmul replaces `matmul` below.)
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';

  describe(): string {
    return 'hand-written JavaScript kernels (single thread)';
  }

  matmul(a: FloatArray, b: FloatArray, m: number, k: number, n: number, flags: MatmulFlags = {}): FloatArray {
    const ta = flags.transposeA === true;
    const tb = flags.transposeB === true;
    const c = alloc(a, m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = ta ? a[p * m + i] : a[i * k + p];
          const bv = tb ? b[j * k + p] : b[p * n + j];
          s += av * bv;
        }
        c[i * n + j] = s;
      }
    }
    return c;
  }

  relu(x: FloatArray): FloatArray {
    const y = alloc(x, x.length);
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
    return y;
  }

  reluBackward(x: FloatArray, dy: FloatArray): FloatArray {
    const dx = alloc(dy, dy.length);
    for (let i = 0; i < dy.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
    return dx;
  }

  addBias(x: FloatArray, bias: FloatArray, rows: number, cols: number): FloatArray {
    const y = alloc(x, rows * cols);
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      for (let j = 0; j < cols; j++) y[o + j] = x[o + j] + bias[j];
    }
    return y;
  }

  linear(x: FloatArray, w: FloatArray, bias: FloatArray | null, m: number, k: number, n: number, flags: LinearFlags = {}): FloatArray {
    const y = this.matmul(x, w, m, k, n, { transposeB: flags.transposeB });
    const relu = flags.relu === true;
    for (let i = 0; i < m; i++) {
      const o = i * n;
      for (let j = 0; j < n; j++) {
        const v = bias === null ? y[o + j] : y[o + j] + bias[j];
        y[o + j] = relu && !(v > 0) ? 0 : v;
      }
    }
    return y;
  }
}
