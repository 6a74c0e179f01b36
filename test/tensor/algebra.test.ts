/**
 * Algebraic laws the engine must satisfy: matmul identities and agreement with a naive triple
 * loop (through the active backend, float32 and float64), ReLU homogeneity, broadcasting laws,
 * views, and softmax normalization / stability.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  add,
  broadcastShapes,
  type DType,
  logSoftmax,
  matmul,
  relu,
  scale,
  softmax,
  Tensor,
  tensor,
  transpose,
  zeros,
} from '../../src/tensor/index.js';

const SEED = 42;
const EPS64 = 2 ** -52;
const EPS32 = 2 ** -23;
/** Smallest float64 subnormal: each underflowing product may lose up to this much. */
const ETA64 = 2 ** -1074;

const dim = fc.integer({ min: 1, max: 9 });
const val = fc.double({ min: -3, max: 3, noNaN: true });
const matArb = (r: number, c: number) => fc.array(val, { minLength: r * c, maxLength: r * c });

/** Naive C = A B in float64 over row-major arrays, plus the magnitude matrix |A||B| for error bounds. */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): { c: Float64Array; mag: Float64Array } {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    let t = 0;
    for (let p = 0; p < k; p++) {
      s += a[i * k + p] * b[p * n + j];
      t += Math.abs(a[i * k + p] * b[p * n + j]);
    }
    c[i * n + j] = s;
    mag[i * n + j] = t;
  }
  return { c, mag };
}

/** Assert |got − want| ≤ bound elementwise. */
function expectWithin(got: Tensor, want: ArrayLike<number>, bound: (i: number) => number, what: string): void {
  const g = got.dense();
  expect(g.length).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(g[i] - want[i]), `${what}[${i}]: ${g[i]} vs ${want[i]}`).to.be.at.most(bound(i));
  }
}

describe('tensor algebra: matmul', () => {
  const shapes = fc.tuple(dim, dim, dim).chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n]), matArb(m, k), matArb(k, n), matArb(k, n)));

  it('(AB)ᵀ = BᵀAᵀ in float64', () => {
    // Both sides are the same k-term dot products, possibly summed in different orders by the
    // kernel: each is within γ_k·(|A||B|)_ij of the exact value, so they differ by ≤ 2k·eps64·(|A||B|)_ij.
    fc.assert(
      fc.property(shapes, ([[m, k, n], va, vb]) => {
        const A = tensor(va, [m, k], { dtype: 'float64' });
        const B = tensor(vb, [k, n], { dtype: 'float64' });
        const lhs = transpose(matmul(A, B)).contiguous();
        const rhs = matmul(transpose(B), transpose(A));
        const { mag } = naive(transposeArr(vb, k, n), transposeArr(va, m, k), n, k, m);
        expectWithin(rhs, lhs.dense(), (i) => 2 * k * EPS64 * mag[i] + 2 * k * ETA64, '(AB)ᵀ − BᵀAᵀ');
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('A(B + C) = AB + AC in float64', () => {
    // Each side is within ~(k+2)·eps64·(|A|(|B|+|C|))_ij of the exact value; we allow 2(k+2)·eps64 times it
    // (plus underflow of the k products on each side).
    fc.assert(
      fc.property(shapes, ([[m, k, n], va, vb, vc]) => {
        const A = tensor(va, [m, k], { dtype: 'float64' });
        const B = tensor(vb, [k, n], { dtype: 'float64' });
        const C = tensor(vc, [k, n], { dtype: 'float64' });
        const lhs = matmul(A, add(B, C));
        const rhs = add(matmul(A, B), matmul(A, C));
        const absBC = vb.map((x, i) => Math.abs(x) + Math.abs(vc[i]));
        const { mag } = naive(va.map(Math.abs), absBC, m, k, n);
        expectWithin(lhs, rhs.dense(), (i) => 2 * (k + 2) * EPS64 * mag[i] + 4 * k * ETA64, 'A(B+C) − (AB+AC)');
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  for (const dtype of ['float64', 'float32'] as DType[]) {
    it(`matches a naive triple loop in ${dtype} (1×k, k×1, odd sizes, transposed views)`, () => {
      // Reference: exact-ish float64 sum over the same (dtype-rounded) inputs. A float32 kernel
      // accumulating in float32 errs by ≤ γ_k·(|A||B|)_ij ≈ k·(eps32/2)·(|A||B|)_ij, plus eps32/2·|C_ij|
      // for the final rounding: ≤ (k+1)·eps32·(|A||B|)_ij. float64 kernels: the same with eps64.
      // Products that underflow lose at most η each: + k·η, with η the smallest normal for float32
      // (GPU kernels may flush subnormals to zero) and the smallest subnormal for float64.
      const eps = dtype === 'float32' ? EPS32 : EPS64;
      const eta = dtype === 'float32' ? 2 ** -126 : 2 ** -1074;
      const sizes = fc.tuple(
        fc.oneof(fc.constant(1), dim, fc.integer({ min: 10, max: 37 })),
        fc.oneof(fc.constant(1), dim, fc.integer({ min: 10, max: 37 })),
        fc.oneof(fc.constant(1), dim, fc.integer({ min: 10, max: 37 })),
      );
      fc.assert(
        fc.property(sizes.chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n]), matArb(m, k), matArb(k, n))), ([[m, k, n], va, vb]) => {
          const A = tensor(va, [m, k], { dtype });
          const B = tensor(vb, [k, n], { dtype });
          const { c, mag } = naive(A.dense(), B.dense(), m, k, n);
          const bound = (i: number): number => (k + 1) * eps * mag[i] + k * eta;
          const C = matmul(A, B);
          expect(C.shape).to.deep.equal([m, n]);
          expect(C.dtype).to.equal(dtype);
          expectWithin(C, c, bound, 'A@B');
          // The same product from transposed storage (backend transpose flags).
          const At = tensor(transposeArr(va, m, k), [k, m], { dtype });
          const Bt = tensor(transposeArr(vb, k, n), [n, k], { dtype });
          expectWithin(matmul(transpose(At), transpose(Bt)), c, bound, 'Aᵀᵀ@Bᵀᵀ');
        }),
        { seed: SEED, numRuns: 30 },
      );
    });
  }

  it('batched 3-D matmul equals per-batch loops, with batch broadcasting', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 4 }), dim, dim, dim, fc.constantFrom('3x3', '3x2', '2x3', '1x3', '3x1'));
    fc.assert(
      fc.property(arb, ([bt, m, k, n, mode]) => {
        const sa = mode === '2x3' ? [m, k] : [mode.startsWith('1') ? 1 : bt, m, k];
        const sb = mode === '3x2' ? [k, n] : [mode.endsWith('x1') ? 1 : bt, k, n];
        const va = Array.from({ length: sa.reduce((x, y) => x * y) }, (_, i) => Math.sin(i + 1));
        const vb = Array.from({ length: sb.reduce((x, y) => x * y) }, (_, i) => Math.cos(2 * i));
        const C = matmul(tensor(va, sa, { dtype: 'float64' }), tensor(vb, sb, { dtype: 'float64' }));
        const batch = Math.max(sa.length === 3 ? sa[0] : 1, sb.length === 3 ? sb[0] : 1);
        expect(C.shape).to.deep.equal([batch, m, n]);
        for (let i = 0; i < batch; i++) {
          const ai = sa.length === 3 && sa[0] > 1 ? va.slice(i * m * k, (i + 1) * m * k) : va.slice(0, m * k);
          const bi = sb.length === 3 && sb[0] > 1 ? vb.slice(i * k * n, (i + 1) * k * n) : vb.slice(0, k * n);
          const { c, mag } = naive(ai, bi, m, k, n);
          const got = C.dense().subarray(i * m * n, (i + 1) * m * n);
          for (let j = 0; j < c.length; j++) expect(Math.abs(got[j] - c[j])).to.be.at.most(2 * k * EPS64 * mag[j]);
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});

/** Row-major transpose of an r×c array. */
function transposeArr(v: readonly number[], r: number, c: number): number[] {
  const out = new Array<number>(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j];
  return out;
}

describe('tensor algebra: elementwise laws', () => {
  it('relu(λx) = λ·relu(x) exactly for λ > 0 (both round λx once), float32 and float64', () => {
    const arb = fc.tuple(fc.array(val, { minLength: 1, maxLength: 30 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.boolean());
    fc.assert(
      fc.property(arb, ([v, lambda, f64]) => {
        const x = tensor(v, undefined, { dtype: f64 ? 'float64' : 'float32' });
        expect(Array.from(relu(scale(x, lambda)).dense())).to.deep.equal(Array.from(scale(relu(x), lambda).dense()));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('tensor algebra: broadcasting', () => {
  /** Shapes a, b that broadcast (b a suffix of a; either may have 1s), returned in random order. */
  const pairArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }).chain((s) =>
    fc
      .tuple(fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.integer({ min: 0, max: s.length }), fc.boolean())
      .map(([oa, ob, drop, swap]) => {
        const a = s.map((d, i) => (oa[i] ? 1 : d));
        const b = s.slice(drop).map((d, i) => (ob[i + drop] ? 1 : d));
        return swap ? [b, a] : [a, b];
      }),
  );

  /** NumPy's rule stated directly: left-pad with 1s, then each dim is the max if the pair is compatible. */
  function numpyRule(a: number[], b: number[]): number[] {
    const n = Math.max(a.length, b.length);
    const pa = [...Array<number>(n - a.length).fill(1), ...a];
    const pb = [...Array<number>(n - b.length).fill(1), ...b];
    return pa.map((d, i) => Math.max(d, pb[i]));
  }

  /** Expand x to `shape` by explicit index arithmetic (independent of the library's strides). */
  function expandRef(x: number[], xs: number[], shape: number[]): number[] {
    const size = shape.reduce((p, q) => p * q, 1);
    const out: number[] = [];
    for (let flat = 0; flat < size; flat++) {
      let rem = flat;
      let src = 0;
      let mult = 1;
      for (let d = shape.length - 1; d >= 0; d--) {
        const i = rem % shape[d];
        rem = Math.floor(rem / shape[d]);
        const xd = d - (shape.length - xs.length);
        if (xd >= 0) {
          src += (xs[xd] === 1 ? 0 : i) * mult;
          mult *= xs[xd];
        }
      }
      out.push(x[src]);
    }
    return out;
  }

  it('result shape follows the NumPy rule; add is commutative; x + zeros(shape) is x expanded', () => {
    fc.assert(
      fc.property(pairArb, ([sa, sb]) => {
        const expected = numpyRule(sa, sb);
        expect(broadcastShapes(sa, sb)).to.deep.equal(expected);
        const va = Array.from({ length: sa.reduce((p, q) => p * q, 1) }, (_, i) => i * 0.5 - 1);
        const vb = Array.from({ length: sb.reduce((p, q) => p * q, 1) }, (_, i) => 10 * Math.sin(i));
        const a = tensor(va, sa, { dtype: 'float64' });
        const b = tensor(vb, sb, { dtype: 'float64' });
        const ab = add(a, b);
        expect(ab.shape).to.deep.equal(expected);
        // IEEE addition is commutative, so equality is exact.
        expect(Array.from(ab.dense())).to.deep.equal(Array.from(add(b, a).dense()));
        expect(Array.from(add(a, zeros(expected, { dtype: 'float64' })).dense())).to.deep.equal(expandRef(va, sa, expected));
        expect(Array.from(a.broadcastTo(expected).contiguous().dense())).to.deep.equal(expandRef(va, sa, expected));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('tensor algebra: views', () => {
  it('transpose and reshape share the buffer; transpose is non-contiguous; contiguous() copies only when needed', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const t = x.transpose();
    const r = x.reshape([3, 2]);
    expect(t.data).to.equal(x.data);
    expect(r.data).to.equal(x.data);
    expect(t.shape).to.deep.equal([3, 2]);
    expect(t.isContiguous()).to.equal(false);
    expect(r.isContiguous()).to.equal(true);
    x.data[1] = 20; // x[0][1]
    expect(t.toArray()).to.deep.equal([[1, 4], [20, 5], [3, 6]]);
    expect(r.toArray()).to.deep.equal([[1, 20], [3, 4], [5, 6]]);
    expect(x.contiguous()).to.equal(x);
    const c = t.contiguous();
    expect(c.data).to.not.equal(x.data);
    expect(c.isContiguous()).to.equal(true);
    expect(c.toArray()).to.deep.equal(t.toArray());
    // Reshaping a non-contiguous view must copy (and still be right).
    const tr = t.reshape([6]);
    expect(tr.data).to.not.equal(x.data);
    expect(tr.toArray()).to.deep.equal([1, 4, 20, 5, 3, 6]);
  });
});

describe('tensor algebra: softmax', () => {
  it('softmax rows sum to 1 (within C·eps) in float32 and float64', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 12 }), fc.boolean()).chain(([r, c, f64]) =>
      fc.tuple(fc.constant([r, c]), fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: r * c, maxLength: r * c }), fc.constant(f64)),
    );
    fc.assert(
      fc.property(arb, ([[r, c], v, f64]) => {
        const p = softmax(tensor(v, [r, c], { dtype: f64 ? 'float64' : 'float32' }));
        const eps = f64 ? EPS64 : EPS32;
        const d = p.dense();
        for (let i = 0; i < r; i++) {
          let s = 0;
          for (let j = 0; j < c; j++) {
            expect(d[i * c + j]).to.be.within(0, 1);
            s += d[i * c + j];
          }
          // Each entry carries a few ulps from exp/log and rounding: allow 4(c+1) eps.
          expect(Math.abs(s - 1)).to.be.at.most(4 * (c + 1) * eps);
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('logSoftmax is finite and exact for logits of magnitude 1e4', () => {
    for (const dtype of ['float32', 'float64'] as DType[]) {
      const z = tensor([[1e4, -1e4, 1e4 - 1], [-1e4, -1e4 + 2, -1e4 + 1]], undefined, { dtype });
      const ls = logSoftmax(z).toArray() as number[][];
      // Reference by hand: shift by the row max; exp of the shifted values cannot overflow.
      const ref = (row: number[]): number[] => {
        const m = Math.max(...row);
        const lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
        return row.map((x) => x - lse);
      };
      const rows = z.toArray() as number[][];
      rows.forEach((row, i) => {
        ref(row).forEach((want, j) => {
          expect(Number.isFinite(ls[i][j]), `${dtype} logSoftmax[${i}][${j}]`).to.equal(true);
          // float32 carries 1e4 with ulp ~ 1e-3, so the shifted difference is exact only to that ulp.
          expect(Math.abs(ls[i][j] - want)).to.be.at.most(dtype === 'float32' ? 2e-3 : 1e-12);
        });
      });
      const p = softmax(z).dense();
      expect(Array.from(p).every(Number.isFinite)).to.equal(true);
    }
  });
});
