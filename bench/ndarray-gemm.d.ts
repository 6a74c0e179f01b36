// ndarray-gemm ships no type declarations; this is the one call the benchmark makes.
declare module 'ndarray-gemm' {
  import type { NdArray } from 'ndarray';

  /** c = alpha * a * b + beta * c (alpha = 1, beta = 0 by default), computed in place. */
  export default function gemm(c: NdArray, a: NdArray, b: NdArray, alpha?: number, beta?: number): void;
}
