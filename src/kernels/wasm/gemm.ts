import { reluScalar } from '../cpu/relu.js';
import { GemmFlags, type GemmShape } from './kernels.js';
import { Layout, type KernelExports, type KernelMemory } from './memory.js';

/**
 * The JavaScript side of the wasm GEMM: copy A and B into linear memory as given, pack them there (wasm strided
 * copies), run the wasm macro-kernel over column ranges (one per thread, see ./threads.ts), copy C out into a
 * fresh array.
 *
 * Packing (BLIS order, as ../cpu/gemm.ts) absorbs the four transpose combinations and pads m to a multiple of
 * MR and n to one of NR, so the micro-kernel has no edge cases. Padding rows and columns are not written: they
 * only reach rows and columns of C that are never read. Depth padding (an unroll factor above 1) is zeroed, since
 * it would reach every entry. The whole product is packed before any multiply (no NC split): the macro-kernel's
 * MC-row blocks keep A in L2, and one B micro-panel (KC x NR floats, 8 KiB) stays in L1 across a block. Products
 * with m < MR take a matrix-vector path instead (`thin`), which pads nothing.
 */

/** The arguments of one product, resolved (lengths checked by the backend). */
export interface Product {
  a: Float32Array;
  b: Float32Array;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  bias: Float32Array | null;
  relu: boolean;
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/**
 * Depth per block: k split into ceil(k / kc) nearly equal blocks, so that no block is a short remainder (784 =
 * 4 x 196, not 3 x 256 + 16: a 16-deep block pays a whole tile's load and store of C for little work).
 */
function depthBlock(k: number, kc: number): number {
  return Math.ceil(k / Math.ceil(k / kc));
}

/** Bytes of linear memory `product` needs: the backend falls back to the CPU kernels above MAX_BYTES. */
export function gemmBytes(p: Product, shape: GemmShape): number {
  return layoutOf(p, shape).layout.bytes;
}

interface GemmLayout {
  layout: Layout;
  /** Float offsets: A and B as given (packed path: then packed from there), C, bias. */
  rawA: number;
  rawB: number;
  a: number;
  b: number;
  c: number;
  bias: number;
}

function layoutOf(p: Product, shape: GemmShape): GemmLayout {
  const layout = new Layout();
  if (p.m < shape.mr) {
    const [a, b] = [layout.take(p.m * p.k), layout.take(p.k * p.n)];
    return { layout, rawA: a, rawB: b, a, b, c: layout.take(p.m * roundUp(p.n, 4)), bias: 0 };
  }
  const mPad = roundUp(p.m, shape.mr);
  const nPad = roundUp(p.n, shape.nr);
  const kp = roundUp(p.k, shape.unroll);
  const [rawA, rawB] = [layout.take(p.m * p.k), layout.take(p.k * p.n)];
  return { layout, rawA, rawB, a: layout.take(mPad * kp), b: layout.take(kp * nPad), c: layout.take(mPad * nPad), bias: layout.take(nPad) };
}

/** C = op(A) op(B) (+ bias, then ReLU), in a fresh Float32Array. Requires m, k, n >= 1. */
export function wasmGemm(mem: KernelMemory, shape: GemmShape, p: Product, split: ColumnSplitter | null = null): Float32Array {
  const at = layoutOf(p, shape);
  const { k: kernels, f32 } = mem.reserve(at.layout.bytes);
  return p.m < shape.mr ? thin(kernels, f32, at, p) : packed(kernels, f32, at, shape, p, split);
}

/** Splits the column panels of one product between threads; null runs it on the calling thread alone. */
export interface ColumnSplitter {
  /**
   * Run kernels.gemmRange over [0, nPad) in column ranges, the calling thread's share included; returns when all
   * are done. `args(j0, j1)` gives gemmRange's arguments for a range.
   */
  run(flops: number, nPad: number, nr: number, args: (j0: number, j1: number) => GemmRangeArgs): void;
}

export type GemmRangeArgs = Parameters<KernelExports['gemmRange']>;

/**
 * Pack every depth block of op(A) and op(B) (the whole product is packed before any multiply, so that each
 * thread's column range runs all blocks on its own and a range can be recomputed from scratch), then run
 * gemmRange over the columns, split between threads by `split` when given.
 */
function packed(kernels: KernelExports, f32: Float32Array, at: GemmLayout, shape: GemmShape, p: Product, split: ColumnSplitter | null): Float32Array {
  const { m, k, n } = p;
  const mPad = roundUp(m, shape.mr);
  const nPad = roundUp(n, shape.nr);
  f32.set(p.a, at.rawA);
  f32.set(p.b, at.rawB);
  if (p.bias !== null) f32.set(p.bias, at.bias);
  const kp = roundUp(k, shape.unroll);
  const block = roundUp(depthBlock(kp, shape.kc), shape.unroll);
  for (let pc = 0; pc < kp; pc += block) {
    const kcp = Math.min(block, kp - pc);
    const kc = Math.min(kcp, k - pc);
    const [aBlock, bBlock] = [at.a + pc * mPad, at.b + pc * nPad];
    packA(kernels, at.rawA, aBlock, m, k, p.transposeA, pc, kc, kcp, shape.mr);
    packB(kernels, at.rawB, bBlock, k, n, p.transposeB, pc, kc, kcp, shape.nr);
    if (kcp > kc) zeroDepthTail(f32, aBlock, bBlock, kc, kcp, mPad, nPad, shape);
  }
  const flags = (p.bias !== null ? GemmFlags.bias : 0) | (p.relu ? GemmFlags.relu : 0);
  const args = (j0: number, j1: number): GemmRangeArgs =>
    [at.a * 4, at.b * 4, at.c * 4, mPad, nPad, j0, j1, kp * 4, block * 4, nPad * 4, flags, at.bias * 4];
  if (split === null) kernels.gemmRange(...args(0, nPad));
  else split.run(2 * mPad * nPad * kp, nPad, shape.nr, args);
  if (nPad === n) return f32.slice(at.c, at.c + m * n);
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) out.set(f32.subarray(at.c + i * nPad, at.c + i * nPad + n), i * n);
  return out;
}

/**
 * Pack op(A)[:, pc:pc+kc] (A copied as given to rawA) into mr-row micro-panels at `a` (float offsets): panel ip (a multiple of mr)
 * starts at a + ip * kcp (kcp: kc padded to the unroll factor) and holds, for each depth step p, the mr values op(A)[ip..ip+mr, pc+p]. Rows past m are
 * left as they are: they only reach rows of C past m, which are never read.
 */
function packA(kernels: KernelExports, rawA: number, a: number, m: number, k: number, transposed: boolean, pc: number, kc: number, kcp: number, mr: number): void {
  const full = Math.floor(m / mr);
  const rest = m - full * mr;
  const [dst, panel, restDst] = [a * 4, mr * kcp * 4, (a + full * mr * kcp) * 4];
  if (transposed) {
    // A is stored [k, m]: the mr values of one depth step are adjacent (whole vectors when mr is a multiple of 4).
    const src = (rawA + pc * m) * 4;
    if (mr % 4 === 0) kernels.copy3v(src, dst, full, kc, mr / 4, mr * 4, m * 4, 16, panel, mr * 4, 16);
    else kernels.copy3(src, dst, full, kc, mr, mr * 4, m * 4, 4, panel, mr * 4, 4);
    kernels.copy3(src + full * mr * 4, restDst, 1, kc, rest, 0, m * 4, 4, 0, mr * 4, 4);
  } else {
    // A is stored [m, k]: read each row contiguously, write with stride mr.
    const src = (rawA + pc) * 4;
    kernels.copy3(src, dst, full, mr, kc, mr * k * 4, k * 4, 4, panel, 4, mr * 4);
    kernels.copy3(src + full * mr * k * 4, restDst, 1, rest, kc, 0, k * 4, 4, 0, 4, mr * 4);
  }
}

/**
 * Pack op(B)[pc:pc+kc, :] (B copied as given to rawB) into nr-column micro-panels at `b`: panel jp starts at
 * b + jp * kcp and holds, for each depth step p, the nr values op(B)[pc+p, jp..jp+nr]. Columns past n are left as
 * they are (they only reach columns of C past n).
 */
function packB(kernels: KernelExports, rawB: number, b: number, k: number, n: number, transposed: boolean, pc: number, kc: number, kcp: number, nr: number): void {
  const full = Math.floor(n / nr);
  const rest = n - full * nr;
  const [dst, panel, restDst] = [b * 4, nr * kcp * 4, (b + full * nr * kcp) * 4];
  if (transposed) {
    // B is stored [n, k]: read each of its rows (a column of op(B)) contiguously, write with stride nr.
    const src = (rawB + pc) * 4;
    kernels.copy3(src, dst, full, nr, kc, nr * k * 4, k * 4, 4, panel, 4, nr * 4);
    kernels.copy3(src + full * nr * k * 4, restDst, 1, rest, kc, 0, k * 4, 4, 0, 4, nr * 4);
  } else {
    // B is stored [k, n]: the nr values of one depth step are adjacent, nr / 4 whole vectors.
    const src = (rawB + pc * n) * 4;
    kernels.copy3v(src, dst, full, kc, nr / 4, nr * 4, n * 4, 16, panel, nr * 4, 16);
    kernels.copy3(src + full * nr * 4, restDst, 1, kc, rest, 0, n * 4, 4, 0, nr * 4, 4);
  }
}

/**
 * Depth steps kc..kcp of every panel must be zero when the depth is padded to the unroll factor (whatever is
 * there would be summed into real entries of C). Not reached with the default shape (unroll 1).
 */
function zeroDepthTail(f32: Float32Array, a: number, b: number, kc: number, kcp: number, mPad: number, nPad: number, shape: GemmShape): void {
  for (let ip = 0; ip < mPad; ip += shape.mr) f32.fill(0, a + ip * kcp + kc * shape.mr, a + (ip + shape.mr) * kcp);
  for (let jp = 0; jp < nPad; jp += shape.nr) f32.fill(0, b + jp * kcp + kc * shape.nr, b + (jp + shape.nr) * kcp);
}

/**
 * m < MR: each row of op(A) times B, B read in its stored layout (copied once, not packed), so a
 * matrix-vector product costs k n multiply-adds rather than MR k n. Bias and ReLU go into the copy-out.
 */
function thin(kernels: KernelExports, f32: Float32Array, at: GemmLayout, p: Product): Float32Array {
  const { m, k, n } = p;
  const n4 = roundUp(n, 4);
  if (p.transposeA) {
    for (let i = 0; i < m; i++) for (let q = 0; q < k; q++) f32[at.a + i * k + q] = p.a[q * m + i];
  } else {
    f32.set(p.a, at.a);
  }
  f32.set(p.b, at.b);
  for (let i = 0; i < m; i++) {
    const aRow = (at.a + i * k) * 4;
    const cRow = (at.c + i * n4) * 4;
    if (p.transposeB) kernels.gemvT(aRow, at.b * 4, cRow, k, n);
    else kernels.gemvN(aRow, at.b * 4, cRow, k * 4, n * 4, n4 * 4);
  }
  const out = new Float32Array(m * n);
  const bias = p.bias;
  for (let i = 0; i < m; i++) {
    const src = at.c + i * n4;
    const dst = i * n;
    if (bias === null && !p.relu) out.set(f32.subarray(src, src + n), dst);
    else if (bias === null) for (let j = 0; j < n; j++) out[dst + j] = reluScalar(f32[src + j]);
    else if (p.relu) for (let j = 0; j < n; j++) out[dst + j] = reluScalar(f32[src + j] + bias[j]);
    else for (let j = 0; j < n; j++) out[dst + j] = f32[src + j] + bias[j];
  }
  return out;
}
