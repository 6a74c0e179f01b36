import { encodeModule, type MemoryImport } from './encode.js';
import { addBias, relu, reluBackward } from './elementwise.js';
import { Fn, type Local } from './emit.js';

/**
 * The wasm backend's kernels, emitted as one module over an imported memory. All pointers and sizes passed in
 * are in bytes unless named otherwise; all data is float32.
 *
 * - `gemm`: the macro-kernel of a packed GEMM (BLIS/GotoBLAS order, as in ../cpu/gemm.ts): for each MC-row block
 *   of packed A, for each NR-wide micro-panel of packed B, for each MR-tall micro-panel of A, an MR x NR tile of
 *   f32x4 accumulators runs over the packed depth; the tile is then stored into C (or added to it), bias and
 *   ReLU fused into that store. Packing (./gemm.ts) absorbs the transposes and zero-pads every edge, so this
 *   code has no edge cases.
 * - `gemmRange`: `gemm` over every depth block for the column panels j0..j1 (one thread's share of a product).
 * - `copy3` / `copy3v`: strided 3-D copies of floats / of f32x4 vectors, which pack the operands' panels.
 * - `gemvN` / `gemvT`: one row of op(A) times B stored [k, n] / [n, k], for thin products (m < MR), where
 *   padding A to MR rows would multiply the work.
 * - `relu`, `reluBackward`, `addBias`: elementwise passes over memory, in place.
 */

/** Micro-tile and blocking, fixed when the module is emitted. */
export interface GemmShape {
  /** Rows of a micro-tile (one splat of A per row and depth step). */
  mr: number;
  /** Columns of a micro-tile, a multiple of 4 (f32x4 lanes). */
  nr: number;
  /** Depth steps per loop iteration; packed depth is padded with zeros to a multiple of it. */
  unroll: number;
  /** Rows of packed A per block (a multiple of mr): the block stays in L2 while B's micro-panels stream past. */
  mc: number;
  /** Depth of a packed block: an A micro-panel (mr x kc) and a B micro-panel (kc x nr) share L1. */
  kc: number;
}

export interface KernelOptions extends GemmShape {
  /** Use relaxed-SIMD multiply-add in the micro-kernel (results may differ in the last bit). */
  fma: boolean;
}

/**
 * 4 x 8, one depth step per iteration: 8 accumulators + 2 B vectors + 4 A broadcasts + 1 product = 15 xmm
 * registers, all V8 leaves free on x64, so nothing spills. Measured side by side with tfjs-backend-wasm (AMD EPYC,
 * 1024^3): 4 x 8 unrolled twice ~27 GFLOPS (TurboFan hoists all 8 broadcasts of the two steps and spills), once
 * ~43; 2 x 16 ties with 4 x 8; 6 x 8 spills (20 registers).
 */
export const DEFAULT_SHAPE: GemmShape = { mr: 4, nr: 8, unroll: 1, mc: 128, kc: 256 };

/** Flags of the gemm store step (bit set). */
export const GemmFlags = { accumulate: 1, bias: 2, relu: 4 } as const;

/** The emitted module's bytes; the memory import is described by `memory`. */
export function kernelModule(memory: MemoryImport, options: KernelOptions): Uint8Array {
  // gemm must stay function 0: gemmRange calls it by index.
  const functions = [gemm(options), gemmRange(0), copy3('copy3', 'f32'), copy3('copy3v', 'v128'), gemvN(), gemvT(), relu(), reluBackward(), addBias()];
  return encodeModule(memory, functions.map((f) => f.def()));
}

/** A tiny module using f32x4: what the probe validates before anything else is built. */
export function simdProbeModule(): Uint8Array {
  const f = new Fn('probe', ['f32'], ['f32']);
  f.get(f.param(0, 'f32')).f32x4Splat().get(f.param(0, 'f32')).f32x4Splat().f32x4Mul().f32x4ExtractLane(0);
  return encodeModule({ initialPages: 1, shared: false }, [f.def()]);
}

/** A tiny module using relaxed-SIMD multiply-add, to learn whether the engine accepts it. */
export function relaxedProbeModule(): Uint8Array {
  const f = new Fn('probe', ['f32'], ['f32']);
  const x = f.param(0, 'f32');
  f.get(x).f32x4Splat().get(x).f32x4Splat().get(x).f32x4Splat().f32x4RelaxedMadd().f32x4ExtractLane(0);
  return encodeModule({ initialPages: 1, shared: false }, [f.def()]);
}

/** acc = a * b + acc, with the value `a * b` taking its operands from the two emit callbacks. */
function multiplyAdd(f: Fn, fma: boolean, acc: Local<'v128'>, a: () => void, b: () => void): void {
  if (fma) {
    a();
    b();
    f.get(acc).f32x4RelaxedMadd().set(acc);
  } else {
    f.get(acc);
    a();
    b();
    f.f32x4Mul().f32x4Add().set(acc);
  }
}

/**
 * gemm(aPack, bPack, c, mPad, nPad, kcBytes, ldc, flags, bias): mPad and nPad count elements (multiples of mr
 * and nr), kcBytes is the packed depth times 4 (a multiple of unroll * 4), ldc C's row stride in bytes; bias
 * points at nPad floats (read when flags has GemmFlags.bias).
 */
function gemm(o: KernelOptions): Fn {
  const { mr, nr, unroll, mc, fma } = o;
  const nv = nr / 4;
  const f = new Fn('gemm', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [aPack, bPack, c, mPad, nPad, kcBytes, ldc, flags, bias] = f.i32Params();
  const [ic, icEnd, ir, jr, ap, apEnd, bp, bPanel, cRow] = f.locals('i32', 9);
  const acc: Local<'v128'>[][] = Array.from({ length: mr }, () => f.locals('v128', nv));
  const bv = f.locals('v128', nv);
  const av = f.local('v128');
  const aStep = unroll * mr * 4;
  const bStep = unroll * nr * 4;

  f.forLoop(ic, () => f.i32(0), mPad, mc, () => {
    // icEnd = min(ic + mc, mPad)
    f.get(ic).i32(mc).i32Add().set(icEnd);
    f.get(icEnd).get(mPad).i32GeU().ifThen(() => f.get(mPad).set(icEnd));
    f.forLoop(jr, () => f.i32(0), nPad, nr, () => {
      // bPanel = bPack + jr * kcBytes: the jr-th micro-panel holds nr columns over the whole depth.
      f.get(bPack).get(jr).get(kcBytes).i32Mul().i32Add().set(bPanel);
      f.forLoop(ir, () => f.get(ic), icEnd, mr, () => {
        f.get(aPack).get(ir).get(kcBytes).i32Mul().i32Add().tee(ap).get(kcBytes).i32(mr).i32Mul().i32Add().set(apEnd);
        f.get(bPanel).set(bp);
        for (const row of acc) for (const a of row) f.f32(0).f32x4Splat().set(a);
        f.loop(() => {
          for (let u = 0; u < unroll; u++) {
            for (let v = 0; v < nv; v++) f.get(bp).v128Load((u * nr + 4 * v) * 4).set(bv[v]);
            for (let r = 0; r < mr; r++) {
              // One broadcast per row and step, in a local: emitted per use, V8 would load it nv times.
              f.get(ap).load32Splat((u * mr + r) * 4).set(av);
              for (let v = 0; v < nv; v++) multiplyAdd(f, fma, acc[r][v], () => f.get(av), () => f.get(bv[v]));
            }
          }
          f.addTo(ap, aStep).addTo(bp, bStep);
          f.get(ap).get(apEnd).i32LtU().brIf(0);
        });
        storeTile(f, acc, { c, ldc, flags, bias, ir, jr, cRow, bv });
      });
    });
  });
  return f;
}

/**
 * gemmRange(aPack, bPack, c, mPad, nPad, j0, j1, kBytes, blockBytes, ldc, flags, bias): C[:, j0..j1] = op(A) op(B)
 * over the whole packed depth (kBytes), block by block: depth block b (blockBytes deep, the last one possibly
 * less) has its A panels at aPack + b blockBytes mPad and its B panels at bPack + b blockBytes nPad. The first
 * block stores, later ones accumulate, the last applies flags' bias and ReLU. j0 < j1 multiples of nr, kBytes > 0.
 * Columns never overlap between calls with disjoint ranges, so threads can share C.
 */
function gemmRange(gemmIndex: number): Fn {
  const f = new Fn('gemmRange', Array<'i32'>(12).fill('i32'));
  const [aPack, bPack, c, mPad, nPad, j0, j1, kBytes, blockBytes, ldc, flags, bias] = f.i32Params();
  const [pc, kc, rem] = f.locals('i32', 3);
  f.i32(0).set(pc);
  f.loop(() => {
    // kc = min(blockBytes, kBytes - pc)
    f.get(kBytes).get(pc).i32Sub().set(rem);
    f.get(blockBytes).get(rem).get(rem).get(blockBytes).i32GtU().select().set(kc);
    f.get(aPack).get(pc).get(mPad).i32Mul().i32Add();
    f.get(bPack).get(pc).get(nPad).i32Mul().i32Add().get(j0).get(kc).i32Mul().i32Add();
    f.get(c).get(j0).i32(4).i32Mul().i32Add();
    f.get(mPad).get(j1).get(j0).i32Sub().get(kc).get(ldc);
    // flags: accumulate after the first block; bias and ReLU only on the last.
    f.i32(GemmFlags.accumulate).i32(0).get(pc).i32(0).i32Ne().select();
    f.get(flags).i32(GemmFlags.bias | GemmFlags.relu).i32And().i32(0).get(rem).get(blockBytes).i32GtU().i32Eqz().select().i32Or();
    f.get(bias).get(j0).i32(4).i32Mul().i32Add();
    f.call(gemmIndex);
    f.get(pc).get(blockBytes).i32Add().tee(pc).get(kBytes).i32LtU().brIf(0);
  });
  return f;
}

interface TileStore {
  c: Local<'i32'>;
  ldc: Local<'i32'>;
  flags: Local<'i32'>;
  bias: Local<'i32'>;
  ir: Local<'i32'>;
  jr: Local<'i32'>;
  cRow: Local<'i32'>;
  /** Scratch vectors (B's registers are free once the depth loop is done). */
  bv: Local<'v128'>[];
}

/** C[ir.., jr..] (+)= tile, then + bias, then ReLU, as `flags` says; branches run once per tile, not per step. */
function storeTile(f: Fn, acc: Local<'v128'>[][], s: TileStore): void {
  const eachRow = (body: (row: Local<'v128'>[]) => void): void => {
    f.get(s.c).get(s.ir).get(s.ldc).i32Mul().i32Add().get(s.jr).i32(4).i32Mul().i32Add().set(s.cRow);
    acc.forEach((row, r) => {
      body(row);
      if (r < acc.length - 1) f.addLocal(s.cRow, s.ldc);
    });
  };
  f.get(s.flags).i32(GemmFlags.accumulate).i32And().ifThen(() =>
    eachRow((row) => row.forEach((a, v) => f.get(a).get(s.cRow).v128Load(16 * v).f32x4Add().set(a))),
  );
  f.get(s.flags).i32(GemmFlags.bias).i32And().ifThen(() => {
    s.bv.forEach((b, v) => f.get(s.bias).get(s.jr).i32(4).i32Mul().i32Add().v128Load(16 * v).set(b));
    for (const row of acc) row.forEach((a, v) => f.get(a).get(s.bv[v]).f32x4Add().set(a));
  });
  // f32x4.max propagates NaN and orders -0 below +0, so this is max(x, 0) exactly as the CPU kernels' ReLU.
  f.get(s.flags).i32(GemmFlags.relu).i32And().ifThen(() => {
    // Zero is made here, not kept in a register through the depth loop (the tile needs all of them).
    f.f32(0).f32x4Splat().set(s.bv[0]);
    for (const row of acc) for (const a of row) f.get(a).get(s.bv[0]).f32x4Max().set(a);
  });
  eachRow((row) => row.forEach((a, v) => f.get(s.cRow).get(a).v128Store(16 * v)));
}

/**
 * copy3(src, dst, n2, n1, n0, s2, s1, s0, d2, d1, d0): for i2 < n2, i1 < n1, i0 < n0 (all counts >= 1), copy the
 * element at src + i2 s2 + i1 s1 + i0 s0 to dst + i2 d2 + i1 d1 + i0 d0 (strides in bytes). `lane` says whether
 * an element is one float or a vector of four. Loops run innermost over i0.
 */
function copy3(name: string, lane: 'f32' | 'v128'): Fn {
  const f = new Fn(name, Array<'i32'>(11).fill('i32'));
  const [src, dst, n2, n1, n0, s2, s1, s0, d2, d1, d0] = f.i32Params();
  const [i2, i1, i0, sp, dp, sRow, dRow] = f.locals('i32', 7);
  const zero = (): void => void f.i32(0);
  f.forLoop(i2, zero, n2, 1, () => {
    f.get(src).set(sRow).get(dst).set(dRow);
    f.forLoop(i1, zero, n1, 1, () => {
      f.get(sRow).set(sp).get(dRow).set(dp);
      f.forLoop(i0, zero, n0, 1, () => {
        f.get(dp).get(sp);
        if (lane === 'f32') f.f32Load().f32Store();
        else f.v128Load().v128Store();
        f.addLocal(sp, s0).addLocal(dp, d0);
      });
      f.addLocal(sRow, s1).addLocal(dRow, d1);
    });
    f.addLocal(src, s2).addLocal(dst, d2);
  });
  return f;
}

/**
 * gemvN(a, b, c, kBytes, ldb, nBytes): c[j] = sum_p a[p] b[p, j] for B stored [k, n] with row stride ldb bytes,
 * over whole vectors up to nBytes (n rounded up to 4 floats). Lanes past n read the next row (or the slack
 * after B) and are discarded by the caller. Columns go 8 vectors at a time, so B is read once and the 32
 * sums stay in registers.
 */
function gemvN(): Fn {
  const f = new Fn('gemvN', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [a, b, c, kBytes, ldb, nBytes] = f.i32Params();
  const [j, ap, aEnd, bp] = f.locals('i32', 4);
  const s = f.local('v128');
  const acc = f.locals('v128', 8);
  const columns = (vectors: number): void => {
    f.get(a).set(ap);
    f.get(b).get(j).i32Add().set(bp);
    for (let v = 0; v < vectors; v++) f.f32(0).f32x4Splat().set(acc[v]);
    f.loop(() => {
      f.get(ap).load32Splat().set(s);
      for (let v = 0; v < vectors; v++) f.get(acc[v]).get(s).get(bp).v128Load(16 * v).f32x4Mul().f32x4Add().set(acc[v]);
      f.addTo(ap, 4).addLocal(bp, ldb);
      f.get(ap).get(aEnd).i32LtU().brIf(0);
    });
    for (let v = 0; v < vectors; v++) f.get(c).get(j).i32Add().get(acc[v]).v128Store(16 * v);
    f.addTo(j, 16 * vectors);
  };
  f.get(a).get(kBytes).i32Add().set(aEnd);
  f.i32(0).set(j);
  // while (j + 128 <= nBytes) 8 vectors; then while (j < nBytes) 1 vector.
  f.whileNot(() => f.get(j).i32(128).i32Add().get(nBytes).i32(1).i32Add().i32GeU(), () => columns(8));
  f.whileNot(() => f.get(j).get(nBytes).i32GeU(), () => columns(1));
  return f;
}

/**
 * gemvT(a, b, c, k, n): c[j] = sum_p a[p] b[j, p] for B stored [n, k] (k and n in elements): a dot product
 * per column, four columns at a time so that each vector of a is loaded once for four rows of B; the last
 * k mod 4 terms and n mod 4 columns are scalar.
 */
function gemvT(): Fn {
  const f = new Fn('gemvT', ['i32', 'i32', 'i32', 'i32', 'i32']);
  const [a, b, c, k, n] = f.i32Params();
  const [j, p, k4, row, ldb, kEnd, nEnd4] = f.locals('i32', 7);
  const av = f.local('v128');
  const acc = f.locals('v128', 4);
  const [sum, av32] = f.locals('f32', 2);
  const columns = (count: number): void => {
    f.get(b).get(j).get(ldb).i32Mul().i32Add().set(row);
    for (let r = 0; r < count; r++) f.f32(0).f32x4Splat().set(acc[r]);
    // Vector part: p over whole groups of four (bytes).
    f.forLoop(p, () => f.i32(0), k4, 16, () => {
      f.get(a).get(p).i32Add().v128Load().set(av);
      for (let r = 0; r < count; r++) {
        f.get(acc[r]).get(av).get(row).get(p).i32Add().v128Load(0);
        // Rows of B are ldb bytes apart; offsets must be constants, so step a row pointer instead.
        f.f32x4Mul().f32x4Add().set(acc[r]);
        if (r < count - 1) f.addLocal(row, ldb);
      }
      f.get(row).get(ldb).i32(count - 1).i32Mul().i32Sub().set(row);
    });
    for (let r = 0; r < count; r++) {
      // Horizontal sum, then the scalar tail of this column.
      f.get(acc[r]).f32x4ExtractLane(0).get(acc[r]).f32x4ExtractLane(1).f32Add();
      f.get(acc[r]).f32x4ExtractLane(2).get(acc[r]).f32x4ExtractLane(3).f32Add().f32Add().set(sum);
      f.forLoop(p, () => f.get(k4), kEnd, 4, () => {
        f.get(a).get(p).i32Add().f32Load().set(av32);
        f.get(sum).get(av32).get(row).get(p).i32Add().f32Load().f32Mul().f32Add().set(sum);
      });
      f.get(c).get(j).i32(4).i32Mul().i32Add().get(sum).f32Store(4 * r);
      f.addLocal(row, ldb);
    }
    f.addTo(j, count);
  };
  f.get(k).i32(4).i32Mul().tee(kEnd).set(ldb);
  f.get(k).i32(-4).i32And().i32(4).i32Mul().set(k4);
  f.get(n).i32(-4).i32And().set(nEnd4);
  f.i32(0).set(j);
  f.whileNot(() => f.get(j).get(nEnd4).i32GeU(), () => columns(4));
  f.whileNot(() => f.get(j).get(n).i32GeU(), () => columns(1));
  return f;
}
