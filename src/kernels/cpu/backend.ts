import { allocateLike as alloc, type FloatArray } from '../../core/index.js';
import { type Backend, type DiagnosticRow, type LinearFlags, type MatmulFlags } from '../backend.js';
import { checkAddBiasArgs, checkLinearArgs, checkMatmulArgs, checkOperand, checkReluBackwardArgs } from '../operands.js';
import { gemm } from './gemm.js';
import { reluMaskScalar, reluScalar } from './relu.js';

/**
 * Hand-written CPU kernels over typed arrays (single thread). Matmul is the blocked, packed,
 * register-tiled kernel of ./cpu/gemm.ts; the elementwise kernels are single tight loops, branch-free
 * in the common case (./cpu/relu.ts).
 *
 * Every method checks its arguments first (../operands.ts): Float32Array / Float64Array operands (DTypeError),
 * non-negative integer dimensions matching the operand lengths (ShapeError), boolean flags (DomainError).
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';

  describe(): string {
    return 'hand-written JavaScript kernels (single thread, packed 3x4 register-tiled matmul)';
  }

  /** The CPU kernels have no device and no state: only how they compute. */
  diagnose(): readonly DiagnosticRow[] {
    return [{ label: 'precision', value: 'sums in float64, stores in the input type (float32 or float64)' }];
  }

  matmul(a: FloatArray, b: FloatArray, m: number, k: number, n: number, flags: MatmulFlags = {}): FloatArray {
    checkMatmulArgs(a, b, m, k, n, flags);
    const c = alloc(a, m * n);
    gemm(a, b, m, k, n, flags.transposeA === true, flags.transposeB === true, c);
    return c;
  }

  relu(x: FloatArray): FloatArray {
    checkOperand('relu', 'x', x);
    const y = alloc(x, x.length);
    for (let i = 0; i < x.length; i++) y[i] = reluScalar(x[i]);
    return y;
  }

  reluBackward(x: FloatArray, dy: FloatArray): FloatArray {
    checkReluBackwardArgs(x, dy);
    const dx = alloc(dy, dy.length);
    for (let i = 0; i < dy.length; i++) dx[i] = reluMaskScalar(x[i], dy[i]);
    return dx;
  }

  addBias(x: FloatArray, bias: FloatArray, rows: number, cols: number): FloatArray {
    checkAddBiasArgs(x, bias, rows, cols);
    const y = alloc(x, rows * cols);
    for (let i = 0, o = 0; i < rows; i++, o += cols) {
      for (let j = 0; j < cols; j++) y[o + j] = x[o + j] + bias[j];
    }
    return y;
  }

  linear(x: FloatArray, w: FloatArray, bias: FloatArray | null, m: number, k: number, n: number, flags: LinearFlags = {}): FloatArray {
    checkLinearArgs(x, w, bias, m, k, n, flags);
    const y = alloc(x, m * n);
    // Bias and ReLU are applied while the float64 accumulator is written out: no second pass over y.
    gemm(x, w, m, k, n, false, flags.transposeB === true, y, { bias, relu: flags.relu === true });
    return y;
  }
}
