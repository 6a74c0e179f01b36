import type { FloatArray } from '../backend.js';
import { reluScalar } from './relu.js';

/**
 * Blocked matrix multiply for the CPU backend, in the style of BLIS/GotoBLAS:
 *
 *   for each column block of B (NC wide)
 *     for each depth block (KC deep): pack B[pc.., jc..] into NR-wide micro-panels
 *       for each row block of A (MC tall): pack A[ic.., pc..] into MR-tall micro-panels
 *         for each MR x NR micro-tile: run the register micro-kernel over KC
 *
 * Packing is where the transposes are absorbed: the micro-kernel always reads both operands as
 * contiguous streams, so the four transpose combinations differ only in the packing loops (O(mk n/NC + kn)
 * element copies against 2mkn flops). Packed panels are Float64Array whatever the input type, so the hot loop sees one element type
 * (monomorphic) and accumulates in double, as JS arithmetic does anyway.
 *
 * Results accumulate in a padded float64 tile of C (whole micro-tiles, so the kernel needs no edge
 * cases) and an epilogue writes it to the output array: one rounding to float32 for float32 outputs,
 * and the place where `linear` fuses bias and ReLU.
 */

/**
 * Micro-tile shape. x64 has 16 vector registers; 4 x 4 = 16 accumulators forces V8 to spill them to the
 * stack, while 3 x 4 = 12 keeps most in registers. Measured here in isolation: 4 x 4 ~4.6, 3 x 4 ~6.2,
 * 4 x 3 and 6 x 2 ~6.0, 2 x 4 ~4.9 GFLOPS.
 */
const MR = 3;
const NR = 4;
/** Depth of a block: a 3 x 256 A micro-panel and a 256 x 4 B micro-panel (14 KiB as doubles) fit L1. */
const KC = 256;
/** Rows of A per packed block (a multiple of MR): 96 x 256 doubles = 192 KiB, within L2. */
const MC = 96;
/** Columns of B per packed block (a multiple of NR): 256 x 512 doubles = 1 MiB, within L2/L3. */
const NC = 512;
/** Scratch for C larger than this many doubles (32 MiB) is allocated per call and not kept. */
const MAX_KEPT_C = 1 << 22;

// Packing buffers: fixed-size module-level constants (1.2 MiB in all), reused by every call; `const`
// on purpose, see microKernel.
const packA = new Float64Array(MC * KC);
const packB = new Float64Array(KC * NC);
/** The micro-kernel's result, MR x NR row-major. */
const tile = new Float64Array(MR * NR);
/** Accumulator scratch for C, grown on demand up to MAX_KEPT_C (it is not in the hot loop). */
let keptC = new Float64Array(0);

/** Epilogue options: what `linear` fuses onto the product. */
export interface GemmEpilogue {
  bias: FloatArray | null;
  relu: boolean;
}

/**
 * out[m, n] = op(A) op(B) (+ bias, then ReLU if asked), with op(A) [m, k] and op(B) [k, n].
 * `out` must have length m * n; A and B are only read.
 */
export function gemm(
  a: FloatArray,
  b: FloatArray,
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
  out: FloatArray,
  epilogue: GemmEpilogue = { bias: null, relu: false },
): void {
  const mPad = roundUp(m, MR);
  const nPad = roundUp(n, NR);
  const c = scratchC(mPad * nPad);

  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelsB(b, k, n, transposeB, pc, kc, jc, nc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelsA(a, m, k, transposeA, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const bOff = jr * kc;
          let cOff = ic * nPad + jc + jr;
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(kc, ir * kc, bOff);
            addTile(c, cOff, nPad);
            cOff += MR * nPad;
          }
        }
      }
    }
  }
  writeOut(c, nPad, m, n, out, epilogue);
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/** A zeroed float64 buffer of at least `len` elements (kept across calls unless huge). */
function scratchC(len: number): Float64Array {
  if (len > MAX_KEPT_C) return new Float64Array(len);
  if (keptC.length < len) {
    keptC = new Float64Array(Math.max(len, Math.min(2 * keptC.length, MAX_KEPT_C)));
    return keptC;
  }
  keptC.fill(0, 0, len);
  return keptC;
}

/**
 * Pack op(A)[ic:ic+mc, pc:pc+kc] into MR-tall micro-panels: panel r holds, for each p, the MR values
 * op(A)[ic+r*MR .. +MR, pc+p] consecutively. Rows past m are zero so partial panels multiply to zero.
 */
function packPanelsA(
  a: FloatArray,
  m: number,
  k: number,
  transposed: boolean,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  dst: Float64Array,
): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const base = ip * kc;
    const rows = Math.min(MR, mc - ip);
    if (rows < MR) dst.fill(0, base, base + MR * kc);
    if (transposed) {
      // A is stored [k, m]: the MR values for one p are adjacent in memory.
      for (let p = 0; p < kc; p++) {
        const src = (pc + p) * m + ic + ip;
        const d = base + p * MR;
        for (let r = 0; r < rows; r++) dst[d + r] = a[src + r];
      }
    } else {
      // A is stored [m, k]: walk each row contiguously, writing with stride MR.
      for (let r = 0; r < rows; r++) {
        const src = (ic + ip + r) * k + pc;
        let d = base + r;
        for (let p = 0; p < kc; p++, d += MR) dst[d] = a[src + p];
      }
    }
  }
}

/**
 * Pack op(B)[pc:pc+kc, jc:jc+nc] into NR-wide micro-panels: panel j holds, for each p, the NR values
 * op(B)[pc+p, jc+j*NR .. +NR] consecutively. Columns past n are zero.
 */
function packPanelsB(
  b: FloatArray,
  k: number,
  n: number,
  transposed: boolean,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  dst: Float64Array,
): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const base = jp * kc;
    const cols = Math.min(NR, nc - jp);
    if (cols < NR) dst.fill(0, base, base + NR * kc);
    if (transposed) {
      // B is stored [n, k]: walk each of the NR rows contiguously, writing with stride NR.
      for (let q = 0; q < cols; q++) {
        const src = (jc + jp + q) * k + pc;
        let d = base + q;
        for (let p = 0; p < kc; p++, d += NR) dst[d] = b[src + p];
      }
    } else {
      // B is stored [k, n]: the NR values for one p are adjacent in memory.
      for (let p = 0; p < kc; p++) {
        const src = (pc + p) * n + jc + jp;
        const d = base + p * NR;
        for (let q = 0; q < cols; q++) dst[d + q] = b[src + q];
      }
    }
  }
}

/**
 * tile = packA[aOff.., MR x kc panel] * packB[bOff.., kc x NR panel], the MR x NR accumulators kept in
 * locals (registers); the loop body is written out by hand because V8 does not unroll.
 *
 * Two measured constraints shape this function (1024^3 float32: ~6.0 vs ~4.7 GFLOPS without them):
 * it reads the module-level `const` buffers directly, so TurboFan knows them and drops the per-iteration
 * map check and reload of base pointer and length; and it stays under V8's inlining limit (460 bytes of
 * bytecode), so it is inlined into `gemm` (hence literal 3/4 strides and a fixed `tile` for the result
 * instead of storing into C with a stride here).
 */
function microKernel(kc: number, aOff: number, bOff: number): void {
  const ap = packA;
  const bp = packB;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let bi = bOff;
  const end = aOff + 3 * kc;
  for (let ai = aOff; ai < end; ai += 3, bi += 4) {
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
    let av = ap[ai];
    c00 += av * b0; c01 += av * b1; c02 += av * b2; c03 += av * b3;
    av = ap[ai + 1];
    c10 += av * b0; c11 += av * b1; c12 += av * b2; c13 += av * b3;
    av = ap[ai + 2];
    c20 += av * b0; c21 += av * b1; c22 += av * b2; c23 += av * b3;
  }
  const t = tile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
}

/** c[cOff.., MR x NR with row stride ldc] += tile. */
function addTile(c: Float64Array, cOff: number, ldc: number): void {
  for (let r = 0, o = cOff; r < MR; r++, o += ldc) {
    for (let q = 0; q < NR; q++) c[o + q] += tile[r * NR + q];
  }
}

/** Copy the valid m x n corner of the padded accumulator into `out`, applying bias and ReLU. */
function writeOut(c: Float64Array, ldc: number, m: number, n: number, out: FloatArray, ep: GemmEpilogue): void {
  const bias = ep.bias;
  for (let i = 0; i < m; i++) {
    const src = i * ldc;
    const dst = i * n;
    if (bias === null) {
      if (ep.relu) for (let j = 0; j < n; j++) out[dst + j] = reluScalar(c[src + j]);
      else for (let j = 0; j < n; j++) out[dst + j] = c[src + j];
    } else if (ep.relu) {
      for (let j = 0; j < n; j++) out[dst + j] = reluScalar(c[src + j] + bias[j]);
    } else {
      for (let j = 0; j < n; j++) out[dst + j] = c[src + j] + bias[j];
    }
  }
}
