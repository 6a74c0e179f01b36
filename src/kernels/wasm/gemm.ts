import { reluScalar } from '../cpu/relu.js';
import { GemmFlags, type GemmShape } from './kernels.js';
import { Layout, type KernelMemory } from './memory.js';

/**
 * The JavaScript side of the wasm GEMM: pack op(A) and op(B) into linear memory, run the wasm macro-kernel
 * per depth block, copy C out into a fresh array.
 *
 * Packing (BLIS order, as ../cpu/gemm.ts) absorbs the four transpose combinations and zero-pads m to a
 * multiple of MR, n to one of NR and each block's depth to one of the unroll factor, so the micro-kernel has no
 * edge cases; zeros times zeros add nothing. The whole of m and n is packed per depth block (no NC split): the
 * macro-kernel's MC-row blocks keep A in L2, and one B micro-panel (KC x NR floats, 8 KiB) stays in L1 across a
 * block. Products with m < MR take a matrix-vector path instead (`thin`), which pads nothing.
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
  a: number;
  b: number;
  c: number;
  bias: number;
}

function layoutOf(p: Product, shape: GemmShape): GemmLayout {
  const layout = new Layout();
  if (p.m < shape.mr) {
    return { layout, a: layout.take(p.m * p.k), b: layout.take(p.k * p.n), c: layout.take(p.m * roundUp(p.n, 4)), bias: 0 };
  }
  const mPad = roundUp(p.m, shape.mr);
  const nPad = roundUp(p.n, shape.nr);
  const kcMax = roundUp(depthBlock(p.k, shape.kc), shape.unroll);
  return { layout, a: layout.take(mPad * kcMax), b: layout.take(kcMax * nPad), c: layout.take(mPad * nPad), bias: layout.take(nPad) };
}

/** C = op(A) op(B) (+ bias, then ReLU), in a fresh Float32Array. Requires m, k, n >= 1. */
export function wasmGemm(mem: KernelMemory, shape: GemmShape, p: Product): Float32Array {
  const at = layoutOf(p, shape);
  const { k: kernels, f32 } = mem.reserve(at.layout.bytes);
  return p.m < shape.mr ? thin(kernels, f32, at, p) : packed(kernels, f32, at, shape, p);
}

function packed(kernels: ReturnType<KernelMemory['reserve']>['k'], f32: Float32Array, at: GemmLayout, shape: GemmShape, p: Product): Float32Array {
  const { m, k, n } = p;
  const mPad = roundUp(m, shape.mr);
  const nPad = roundUp(n, shape.nr);
  if (p.bias !== null) {
    f32.set(p.bias, at.bias);
    f32.fill(0, at.bias + n, at.bias + nPad);
  }
  const block = depthBlock(k, shape.kc);
  for (let pc = 0; pc < k; pc += block) {
    const kc = Math.min(block, k - pc);
    const kcp = roundUp(kc, shape.unroll);
    packA(f32, at.a, p.a, m, k, p.transposeA, pc, kc, kcp, mPad, shape.mr);
    packB(f32, at.b, p.b, k, n, p.transposeB, pc, kc, kcp, nPad, shape.nr);
    const last = pc + block >= k;
    const flags =
      (pc > 0 ? GemmFlags.accumulate : 0) |
      (last && p.bias !== null ? GemmFlags.bias : 0) |
      (last && p.relu ? GemmFlags.relu : 0);
    kernels.gemm(at.a * 4, at.b * 4, at.c * 4, mPad, nPad, kcp * 4, nPad * 4, flags, at.bias * 4);
  }
  if (nPad === n) return f32.slice(at.c, at.c + m * n);
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) out.set(f32.subarray(at.c + i * nPad, at.c + i * nPad + n), i * n);
  return out;
}

/**
 * Pack op(A)[:, pc:pc+kc] into MR-row micro-panels at `dst`: panel ip (a multiple of mr) starts at
 * dst + ip * kcp and holds, for each depth step p, the mr values op(A)[ip..ip+mr, pc+p]. Rows past m and depth
 * steps past kc are zero.
 */
function packA(f32: Float32Array, dst: number, a: Float32Array, m: number, k: number, transposed: boolean, pc: number, kc: number, kcp: number, mPad: number, mr: number): void {
  if (mPad > m) f32.fill(0, dst + (mPad - mr) * kcp, dst + mPad * kcp);
  if (kcp > kc) for (let ip = 0; ip < mPad; ip += mr) f32.fill(0, dst + ip * kcp + kc * mr, dst + (ip + mr) * kcp);
  if (transposed) {
    // A is stored [k, m]: the mr values of one depth step are adjacent.
    for (let p = 0; p < kc; p++) {
      const src = (pc + p) * m;
      for (let ip = 0; ip < m; ip += mr) {
        const d = dst + ip * kcp + p * mr;
        const rows = Math.min(mr, m - ip);
        for (let r = 0; r < rows; r++) f32[d + r] = a[src + ip + r];
      }
    }
  } else {
    // A is stored [m, k]: read each row contiguously, write with stride mr.
    for (let i = 0; i < m; i++) {
      const src = i * k + pc;
      const r = i % mr;
      let d = dst + (i - r) * kcp + r;
      for (let q = 0; q < kc; q++, d += mr) f32[d] = a[src + q];
    }
  }
}

/**
 * Pack op(B)[pc:pc+kc, :] into NR-column micro-panels at `dst`: panel jp starts at dst + jp * kcp and holds, for
 * each depth step p, the nr values op(B)[pc+p, jp..jp+nr]. Columns past n and depth steps past kc are zero.
 */
function packB(f32: Float32Array, dst: number, b: Float32Array, k: number, n: number, transposed: boolean, pc: number, kc: number, kcp: number, nPad: number, nr: number): void {
  if (nPad > n) f32.fill(0, dst + (nPad - nr) * kcp, dst + nPad * kcp);
  if (kcp > kc) for (let jp = 0; jp < nPad; jp += nr) f32.fill(0, dst + jp * kcp + kc * nr, dst + (jp + nr) * kcp);
  if (transposed) {
    // B is stored [n, k]: read each of its rows (a column of op(B)) contiguously, write with stride nr.
    for (let j = 0; j < n; j++) {
      const src = j * k + pc;
      const q = j % nr;
      let d = dst + (j - q) * kcp + q;
      for (let s = 0; s < kc; s++, d += nr) f32[d] = b[src + s];
    }
  } else {
    // B is stored [k, n]: the nr values of one depth step are adjacent.
    for (let s = 0; s < kc; s++) {
      const src = (pc + s) * n;
      for (let jp = 0; jp < n; jp += nr) {
        const d = dst + jp * kcp + s * nr;
        const cols = Math.min(nr, n - jp);
        for (let q = 0; q < cols; q++) f32[d + q] = b[src + jp + q];
      }
    }
  }
}

/**
 * m < MR: each row of op(A) times B, B read in its stored layout (copied once, not packed), so a
 * matrix-vector product costs k n multiply-adds rather than MR k n. Bias and ReLU go into the copy-out.
 */
function thin(kernels: ReturnType<KernelMemory['reserve']>['k'], f32: Float32Array, at: GemmLayout, p: Product): Float32Array {
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
