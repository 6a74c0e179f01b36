import { expect } from 'chai';
import fc from 'fast-check';
import type { FloatArray } from '../../src/kernels/backend.js';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';
import { ShapeError } from '../../src/core/errors.js';

/*
 * Tolerances (u = unit roundoff = eps/2, |A||B| the product of the elementwise absolute values):
 *
 * - float64: any order of summation of k products satisfies |s_hat - s| <= gamma_k (|A||B|)_ij with
 *   gamma_k = k u / (1 - k u) (Higham, Accuracy and Stability, 3.1). The kernel and the naive reference
 *   each obey this, so their difference is <= 2 gamma_k (|A||B|)_ij, about k * eps64 * (|A||B|)_ij.
 *   We allow 2 * k * eps64 * (|A||B|)_ij (a factor 2 of slack over the leading term).
 * - float32 storage: inputs are float32 but exactly representable in double, so both sides see the
 *   same numbers. The kernel accumulates in double (error <= gamma_k (|A||B|)_ij) and rounds once to
 *   float32 (error <= u32 |s| <= u32 (|A||B|)_ij). So |out - ref| <= (u32 + 2 gamma_k) (|A||B|)_ij;
 *   we allow (eps32 + 2 k eps64) (|A||B|)_ij. This is deliberately tighter than c k eps32: it checks that
 *   the float32 result is rounded once from a double accumulator, not accumulated in float32.
 * - linear adds the bias inside the same double accumulator (one more term), so k becomes k + 1 and
 *   |A||B| gains |bias_j|.
 */
const EPS64 = Number.EPSILON;
const EPS32 = 2 ** -23;

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const DTYPES: ReadonlyArray<[string, Ctor]> = [
  ['float32', Float32Array],
  ['float64', Float64Array],
];
const TRANSPOSES: ReadonlyArray<[boolean, boolean]> = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

const cpu = new CpuBackend();

/** Deterministic fill in [-1, 1) with some exact zeros (mulberry32; the test data need only be fixed). */
function filled(Ctor: Ctor, len: number, seed: number): FloatArray {
  let s = seed >>> 0;
  const out = new Ctor(len);
  for (let i = 0; i < len; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = r < 0.05 ? 0 : 2 * r - 1;
  }
  return out;
}

/** Naive float64 op(A) op(B) and |op(A)| |op(B)|, reading A and B through the transpose flags. */
function reference(a: FloatArray, b: FloatArray, m: number, k: number, n: number, ta: boolean, tb: boolean) {
  const c = new Float64Array(m * n);
  const abs = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let sa = 0;
      for (let p = 0; p < k; p++) {
        const x = ta ? a[p * m + i] : a[i * k + p];
        const y = tb ? b[j * k + p] : b[p * n + j];
        s += x * y;
        sa += Math.abs(x * y);
      }
      c[i * n + j] = s;
      abs[i * n + j] = sa;
    }
  }
  return { c, abs };
}

/** Relative scale of the allowed error per unit of |A||B| (see the comment at the top). */
function tolFactor(Ctor: Ctor, k: number): number {
  return Ctor === Float64Array ? 2 * k * EPS64 : EPS32 + 2 * k * EPS64;
}

/** Run matmul on a fresh random problem and compare with the reference; returns a failure message or null. */
function checkMatmul(Ctor: Ctor, m: number, k: number, n: number, ta: boolean, tb: boolean, seed: number): string | null {
  const a = filled(Ctor, m * k, seed);
  const b = filled(Ctor, k * n, seed + 1);
  const a0 = a.slice();
  const b0 = b.slice();
  const c = cpu.matmul(a, b, m, k, n, { transposeA: ta, transposeB: tb });
  if (!(c instanceof Ctor)) return `output is ${c.constructor.name}, expected ${Ctor.name}`;
  if (c.length !== m * n) return `output length ${c.length}, expected ${m * n}`;
  if (!sameArray(a, a0) || !sameArray(b, b0)) return 'an input was mutated';
  const ref = reference(a, b, m, k, n, ta, tb);
  const f = tolFactor(Ctor, k);
  for (let i = 0; i < m * n; i++) {
    const err = Math.abs(c[i] - ref.c[i]);
    if (!(err <= f * ref.abs[i])) {
      return `m=${m} k=${k} n=${n} ta=${ta} tb=${tb} at ${i}: got ${c[i]}, want ${ref.c[i]} (err ${err}, tol ${f * ref.abs[i]})`;
    }
  }
  return null;
}

function sameArray(x: FloatArray, y: FloatArray): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

describe('kernels: CPU backend', () => {
  describe('matmul', () => {
    // Edge shapes: vectors, 1 x 1 x 1, odd sizes, and sizes straddling the 3 x 4 micro-tile and the
    // KC = 256 / MC = 96 / NC = 512 blocks (so every packing and padding branch runs).
    const explicit: ReadonlyArray<[number, number, number]> = [
      [1, 1, 1],
      [1, 9, 1],
      [1, 13, 7],
      [7, 13, 1],
      [5, 1, 6],
      [3, 4, 4],
      [2, 3, 5],
      [63, 64, 65],
      [64, 64, 64],
      [65, 63, 129],
      [129, 65, 63],
      [97, 257, 5],
      [4, 513, 3],
      [5, 31, 513],
    ];
    for (const [name, Ctor] of DTYPES) {
      for (const [ta, tb] of TRANSPOSES) {
        it(`${name}, transposeA=${ta}, transposeB=${tb}: explicit edge shapes match the float64 reference`, () => {
          let seed = 1;
          for (const [m, k, n] of explicit) {
            const msg = checkMatmul(Ctor, m, k, n, ta, tb, (seed += 7));
            expect(msg, msg ?? '').to.equal(null);
          }
        });

        it(`${name}, transposeA=${ta}, transposeB=${tb}: random shapes 1..70 match the float64 reference`, () => {
          fc.assert(
            fc.property(
              fc.integer({ min: 1, max: 70 }),
              fc.integer({ min: 1, max: 70 }),
              fc.integer({ min: 1, max: 70 }),
              fc.integer({ min: 0, max: 2 ** 31 - 1 }),
              (m, k, n, seed) => {
                const msg = checkMatmul(Ctor, m, k, n, ta, tb, seed);
                if (msg !== null) throw new Error(msg);
              },
            ),
            { seed: 20261122, numRuns: 60 },
          );
        });
      }
    }

    it('gives the same answer for A B, A^T B, A B^T and A^T B^T on one product (float64 exactly)', () => {
      const [m, k, n] = [37, 300, 41];
      const a = filled(Float64Array, m * k, 5);
      const b = filled(Float64Array, k * n, 6);
      const at = transpose(a, m, k);
      const bt = transpose(b, k, n);
      const c = cpu.matmul(a, b, m, k, n);
      // Packing makes the kernel see identical streams, so the sums are bit-identical.
      expect(sameArray(cpu.matmul(at, b, m, k, n, { transposeA: true }), c)).to.equal(true);
      expect(sameArray(cpu.matmul(a, bt, m, k, n, { transposeB: true }), c)).to.equal(true);
      expect(sameArray(cpu.matmul(at, bt, m, k, n, { transposeA: true, transposeB: true }), c)).to.equal(true);
    });

    it('reuses its scratch correctly: a small product after a large one is unaffected', () => {
      expect(checkMatmul(Float32Array, 200, 40, 300, false, false, 11)).to.equal(null);
      expect(checkMatmul(Float32Array, 2, 3, 2, false, false, 12)).to.equal(null);
      expect(checkMatmul(Float64Array, 5, 600, 7, true, false, 13)).to.equal(null);
    });

    it('returns zeros for k = 0 and an empty array for m = 0', () => {
      expect(Array.from(cpu.matmul(new Float32Array(0), new Float32Array(0), 2, 0, 3))).to.deep.equal([0, 0, 0, 0, 0, 0]);
      expect(cpu.matmul(new Float64Array(0), new Float64Array(12), 0, 3, 4).length).to.equal(0);
    });

    it('follows the type of the first operand when the operands differ', () => {
      const c = cpu.matmul(new Float64Array([1, 2]), new Float32Array([3, 4]), 1, 2, 1);
      expect(c).to.be.instanceOf(Float64Array);
      expect(c[0]).to.equal(11);
    });

    it('rejects operand lengths that do not match m, k, n', () => {
      expect(() => cpu.matmul(new Float32Array(6), new Float32Array(6), 2, 3, 3)).to.throw(ShapeError, /k\*n = 9/);
      expect(() => cpu.matmul(new Float32Array(6), new Float32Array(6), 2, 3.5, 2)).to.throw(ShapeError, /k must be/);
    });
  });

  describe('elementwise kernels', () => {
    for (const [name, Ctor] of DTYPES) {
      it(`${name}: relu and reluBackward match max(x, 0) and the 0-at-0 subgradient, without mutating inputs`, () => {
        const x = filled(Ctor, 1001, 3);
        x[0] = 0;
        x[1] = -0;
        const dy = filled(Ctor, 1001, 4);
        const x0 = x.slice();
        const dy0 = dy.slice();
        const y = cpu.relu(x);
        const dx = cpu.reluBackward(x, dy);
        expect(y).to.be.instanceOf(Ctor);
        expect(dx).to.be.instanceOf(Ctor);
        for (let i = 0; i < x.length; i++) {
          expect(y[i]).to.equal(x[i] > 0 ? x[i] : 0);
          expect(dx[i]).to.equal(x[i] > 0 ? dy[i] : 0);
        }
        expect(sameArray(x, x0) && sameArray(dy, dy0)).to.equal(true);
      });

      it(`${name}: addBias adds bias[j] to every row exactly (one rounding to the storage type)`, () => {
        const [rows, cols] = [7, 13];
        const x = filled(Ctor, rows * cols, 8);
        const bias = filled(Ctor, cols, 9);
        const x0 = x.slice();
        const y = cpu.addBias(x, bias, rows, cols);
        expect(y).to.be.instanceOf(Ctor);
        const round = Ctor === Float32Array ? Math.fround : (v: number) => v;
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) expect(y[i * cols + j]).to.equal(round(x[i * cols + j] + bias[j]));
        }
        expect(sameArray(x, x0)).to.equal(true);
        expect(() => cpu.addBias(x, bias, rows + 1, cols)).to.throw(ShapeError);
      });

      for (const tb of [false, true]) {
        for (const relu of [false, true]) {
          for (const withBias of [true, false]) {
            it(`${name}: linear (transposeB=${tb}, relu=${relu}, bias=${withBias}) equals act(x W + b)`, () => {
              for (const [m, k, n] of [[1, 1, 1], [5, 7, 3], [33, 70, 65], [10, 300, 9]] as const) {
                const x = filled(Ctor, m * k, m + k);
                const w = filled(Ctor, k * n, n + 100);
                const bias = withBias ? filled(Ctor, n, 7) : null;
                const x0 = x.slice();
                const w0 = w.slice();
                const y = cpu.linear(x, w, bias, m, k, n, { transposeB: tb, relu });
                expect(y).to.be.instanceOf(Ctor);
                expect(sameArray(x, x0) && sameArray(w, w0)).to.equal(true);
                const ref = reference(x, w, m, k, n, false, tb);
                const f = tolFactor(Ctor, k + 1);
                for (let i = 0; i < m; i++) {
                  for (let j = 0; j < n; j++) {
                    const b = bias === null ? 0 : bias[j];
                    const pre = ref.c[i * n + j] + b;
                    const want = relu ? Math.max(pre, 0) : pre;
                    const tol = f * (ref.abs[i * n + j] + Math.abs(b));
                    expect(Math.abs(y[i * n + j] - want), `at (${i}, ${j})`).to.be.at.most(tol);
                  }
                }
              }
            });
          }
        }
      }
    }

    it('relu, reluBackward and linear keep the exact semantics on special values (NaN propagates forward, -0 -> +0, ±Infinity, huge)', () => {
      // The kernels use branch-free forms with a fallback (src/kernels/cpu/relu.ts); they must agree bit
      // for bit with the obvious formulas, including where the fast form is not finite.
      const specials = [NaN, Infinity, -Infinity, 1.7e308, -1.7e308, -0, 0, 5e-324, -5e-324, 2.5, -3];
      const x = new Float64Array(specials);
      const y = cpu.relu(x);
      const reluRef = (v: number): number => (v > 0 || Number.isNaN(v) ? v : 0);
      specials.forEach((v, i) => expect(Object.is(y[i], reluRef(v)), `relu(${v}) = ${y[i]}`).to.equal(true));
      const xs = new Float64Array(specials.length * specials.length);
      const gs = new Float64Array(xs.length);
      specials.forEach((a, i) => specials.forEach((g, j) => ((xs[i * specials.length + j] = a), (gs[i * specials.length + j] = g))));
      const dx = cpu.reluBackward(xs, gs);
      for (let i = 0; i < xs.length; i++) {
        expect(Object.is(dx[i], xs[i] > 0 ? gs[i] : 0), `mask(${xs[i]}, ${gs[i]}) = ${dx[i]}`).to.equal(true);
      }
      const lin = cpu.linear(new Float64Array([1]), new Float64Array(specials), null, 1, 1, specials.length, { relu: true });
      specials.forEach((v, i) => expect(Object.is(lin[i], reluRef(v)), `linear relu(${v}) = ${lin[i]}`).to.equal(true));
    });

    it('linear rejects a bias of the wrong length', () => {
      expect(() => cpu.linear(new Float32Array(6), new Float32Array(6), new Float32Array(3), 2, 3, 2)).to.throw(ShapeError);
    });
  });
});

function transpose(x: Float64Array | Float32Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
  return t;
}
