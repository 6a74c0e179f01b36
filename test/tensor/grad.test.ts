/**
 * Property-based gradient checks: autograd vs central finite differences for every differentiable
 * op, on fast-check generated shapes (size-1 dims, broadcasting pairs) and float64 values; plus a
 * 2-hidden-layer MLP with cross-entropy and a linear model with MSE checked against hand-written
 * backprop loops.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  add,
  broadcastTo,
  crossEntropy,
  div,
  exp,
  leakyRelu,
  log,
  logSoftmax,
  logSumExp,
  matmul,
  mean,
  mse,
  mul,
  neg,
  noGrad,
  relu,
  reshape,
  scale,
  sigmoid,
  softmax,
  sub,
  sum,
  sumTo,
  tanh,
  Tensor,
  tensor,
  transpose,
} from '../../src/tensor/index.js';

const SEED = 42;
const RUNS = 25;

// Finite-difference step and tolerance. Central differences have truncation error h²·|f'''|/6 and
// roundoff ≈ eps64·|L|/h. Inputs stay in [-2, 2] (or away from kinks/poles), so |f'''| ≲ 1e2 and
// |L| ≲ 1e2: with h = 1e-5 both terms are ≲ 1e-8, and we demand |auto − fd| ≤ 1e-6·(1 + |fd|).
const H = 1e-5;
const TOL = 1e-6;

/** Fixed, non-trivial weights for the scalar test loss L = Σ w_i·out_i (so every dL/dout differs). */
function weightsFor(out: Tensor): Tensor {
  const w = new Float64Array(out.size);
  for (let i = 0; i < w.length; i++) w[i] = Math.sin(1.7 * i + 0.3) + 0.1;
  return tensor(w, out.shape);
}

/** Compare autograd gradients of L = Σ w·f(inputs) with central differences on every input element. */
function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  for (const x of inputs) {
    x.zeroGrad();
    expect(x.dtype).to.equal('float64');
    expect(x.isContiguous() && x.offset === 0).to.equal(true);
  }
  const out = f(...inputs);
  const w = weightsFor(out);
  sum(mul(out, w)).backward();
  const loss = (): number => noGrad(() => sum(mul(f(...inputs), w)).item());
  inputs.forEach((x, k) => {
    const g = x.grad;
    expect(g, `input ${k} got a gradient`).to.not.equal(null);
    expect(g!.shape).to.deep.equal(x.shape);
    const flatGrad = g!.dense(); // row-major, like x.data (x is contiguous at offset 0)
    for (let i = 0; i < x.size; i++) {
      const x0 = x.data[i];
      x.data[i] = x0 + H;
      const lp = loss();
      x.data[i] = x0 - H;
      const lm = loss();
      x.data[i] = x0;
      const fd = (lp - lm) / (2 * H);
      const err = Math.abs(flatGrad[i] - fd);
      expect(err, `input ${k}, element ${i}: autograd ${flatGrad[i]} vs fd ${fd}`).to.be.at.most(TOL * (1 + Math.abs(fd)));
    }
  });
}

const t64 = (values: number[], shape: number[]): Tensor => tensor(values, shape, { dtype: 'float64', requiresGrad: true });
const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1);

const dim = fc.integer({ min: 1, max: 4 });
const shapeArb = (minDims = 0, maxDims = 3): fc.Arbitrary<number[]> => fc.array(dim, { minLength: minDims, maxLength: maxDims });

/** n doubles in [lo, hi] (absolute value at least `gap`, for kinks at 0). */
function valuesArb(n: number, lo = -2, hi = 2, gap = 0): fc.Arbitrary<number[]> {
  const v = fc.double({ min: lo, max: hi, noNaN: true }).filter((x) => Math.abs(x) >= gap);
  return fc.array(v, { minLength: n, maxLength: n });
}

/** A tensor shape together with values for it. */
const tensorArb = (opts: { lo?: number; hi?: number; gap?: number; minDims?: number; maxDims?: number } = {}) =>
  shapeArb(opts.minDims, opts.maxDims).chain((s) =>
    valuesArb(prod(s), opts.lo, opts.hi, opts.gap).map((v) => ({ s, v })),
  );

/** Two shapes that broadcast: b is a suffix of a's dims, and either side may have 1s in place of dims. */
const broadcastPairArb = shapeArb(0, 3).chain((s) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
      fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
      fc.integer({ min: 0, max: s.length }),
      fc.boolean(),
    )
    .map(([onesA, onesB, drop, swap]) => {
      const a = s.map((d, i) => (onesA[i] ? 1 : d));
      const b = s.slice(drop).map((d, i) => (onesB[i + drop] ? 1 : d));
      return swap ? [b, a] : [a, b];
    }),
);

/** Values for a broadcasting pair; b's values keep |b| ≥ 0.5 so division stays far from its pole. */
const binaryArb = broadcastPairArb.chain(([sa, sb]) =>
  fc.tuple(valuesArb(prod(sa)), valuesArb(prod(sb), -2, 2, 0.5)).map(([va, vb]) => ({ sa, sb, va, vb })),
);

function checkProp<T>(arb: fc.Arbitrary<T>, body: (x: T) => void): void {
  fc.assert(fc.property(arb, body), { seed: SEED, numRuns: RUNS });
}

describe('tensor gradients vs central finite differences (float64)', () => {
  for (const [name, op] of [
    ['add', add],
    ['sub', sub],
    ['mul', mul],
    ['div', div],
  ] as const) {
    it(`${name} with broadcasting`, () => {
      checkProp(binaryArb, ({ sa, sb, va, vb }) => gradCheck((a, b) => op(a, b), [t64(va, sa), t64(vb, sb)]));
    });
  }

  it('add of [rows, cols] + [cols] (backend bias path) and [cols] + [rows, cols]', () => {
    const arb = fc.tuple(dim, dim).chain(([r, c]) => fc.tuple(fc.constant([r, c]), valuesArb(r * c), valuesArb(c)));
    checkProp(arb, ([[r, c], vx, vb]) => {
      gradCheck((x, b) => add(x, b), [t64(vx, [r, c]), t64(vb, [c])]);
      gradCheck((b, x) => add(b, x), [t64(vb, [c]), t64(vx, [r, c])]);
    });
  });

  it('binary ops with a number operand', () => {
    checkProp(tensorArb({ gap: 0.5 }), ({ s, v }) => {
      gradCheck((x) => add(sub(mul(x, 3), 1), div(2, x)), [t64(v, s)]);
    });
  });

  const unaryCases: Array<[string, (x: Tensor) => Tensor, { lo?: number; hi?: number; gap?: number }]> = [
    ['neg', (x) => neg(x), {}],
    ['scale', (x) => scale(x, -1.75), {}],
    ['exp', (x) => exp(x), {}],
    ['log (positive inputs)', (x) => log(x), { lo: 0.1, hi: 3 }],
    // Kinks at 0: inputs keep |x| ≥ 1e-3 ≫ H, so no difference straddles the kink.
    ['relu (|x| ≥ 1e-3)', (x) => relu(x), { gap: 1e-3 }],
    ['leakyRelu (|x| ≥ 1e-3)', (x) => leakyRelu(x, 0.1), { gap: 1e-3 }],
    ['sigmoid', (x) => sigmoid(x), { lo: -6, hi: 6 }],
    ['tanh', (x) => tanh(x), {}],
  ];
  for (const [name, f, range] of unaryCases) {
    it(name, () => checkProp(tensorArb(range), ({ s, v }) => gradCheck(f, [t64(v, s)])));
  }

  it('unary ops on a non-contiguous (transposed) input', () => {
    checkProp(tensorArb({ minDims: 2, maxDims: 3, gap: 1e-3 }), ({ s, v }) => {
      gradCheck((x) => mul(relu(transpose(x)), tanh(transpose(x))), [t64(v, s)]);
      gradCheck((x) => exp(transpose(x, 0, -1)), [t64(v, s)]);
    });
  });

  it('sum and mean over random axes, with and without keepdims', () => {
    const arb = tensorArb().chain(({ s, v }) =>
      fc.tuple(fc.subarray(s.map((_, i) => i)), fc.boolean(), fc.boolean(), fc.boolean()).map(([axes, keep, negAx, all]) => ({
        s,
        v,
        axes: all ? undefined : axes.map((a) => (negAx ? a - s.length : a)),
        keep,
      })),
    );
    checkProp(arb, ({ s, v, axes, keep }) => {
      gradCheck((x) => sum(x, axes, keep), [t64(v, s)]);
      gradCheck((x) => mean(x, axes, keep), [t64(v, s)]);
    });
  });

  it('reshape (incl. -1) and transpose views', () => {
    checkProp(tensorArb({ minDims: 2 }), ({ s, v }) => {
      gradCheck((x) => mul(reshape(x, [-1]), reshape(x, [prod(s)])), [t64(v, s)]);
      gradCheck((x) => reshape(transpose(x), [s[s.length - 1], -1]), [t64(v, s)]);
    });
  });

  it('broadcastTo and its adjoint sumTo', () => {
    checkProp(broadcastPairArb.filter(([a, b]) => b.length <= a.length), ([sa, sb]) => {
      const target = sa.map((d, i) => Math.max(d, i >= sa.length - sb.length ? sb[i - sa.length + sb.length] : 1));
      const src = sb.map((d, i) => (target[i + target.length - sb.length] === d ? d : 1));
      const vals = Array.from({ length: prod(src) }, (_, i) => Math.cos(i));
      gradCheck((x) => broadcastTo(x, target), [t64(vals, src)]);
      const big = Array.from({ length: prod(target) }, (_, i) => Math.sin(i + 0.5));
      gradCheck((x) => sumTo(x, src), [t64(big, target)]);
    });
  });

  it('matmul 2-D, including transposed operands (backend transpose flags)', () => {
    const arb = fc.tuple(dim, dim, dim).chain(([m, k, n]) =>
      fc.tuple(fc.constant([m, k, n]), valuesArb(m * k), valuesArb(k * n)),
    );
    checkProp(arb, ([[m, k, n], va, vb]) => {
      gradCheck((a, b) => matmul(a, b), [t64(va, [m, k]), t64(vb, [k, n])]);
      // Same products with operands stored transposed.
      gradCheck((at, bt) => matmul(transpose(at), transpose(bt)), [t64(va, [k, m]), t64(vb, [n, k])]);
      // A transposed result feeding another op makes the upstream gradient non-contiguous.
      gradCheck((a, b) => transpose(matmul(a, b)), [t64(va, [m, k]), t64(vb, [k, n])]);
    });
  });

  it('batched 3-D matmul with batch broadcasting', () => {
    const arb = fc
      .tuple(dim, dim, dim, dim, fc.constantFrom('3x3', '3x2', '2x3', '1x3', '3x1'))
      .chain(([bt, m, k, n, mode]) => {
        const sa = mode === '2x3' ? [m, k] : [mode.startsWith('1') ? 1 : bt, m, k];
        const sb = mode === '3x2' ? [k, n] : [mode.endsWith('x1') ? 1 : bt, k, n];
        return fc.tuple(fc.constant(sa), fc.constant(sb), valuesArb(prod(sa)), valuesArb(prod(sb)));
      });
    checkProp(arb, ([sa, sb, va, vb]) => gradCheck((a, b) => matmul(a, b), [t64(va, sa), t64(vb, sb)]));
  });

  it('softmax, logSoftmax and logSumExp along a random axis', () => {
    const arb = tensorArb({ minDims: 1, lo: -4, hi: 4 }).chain(({ s, v }) =>
      fc.integer({ min: -s.length, max: s.length - 1 }).map((axis) => ({ s, v, axis })),
    );
    checkProp(arb, ({ s, v, axis }) => {
      gradCheck((x) => softmax(x, axis), [t64(v, s)]);
      gradCheck((x) => logSoftmax(x, axis), [t64(v, s)]);
      gradCheck((x) => logSumExp(x, axis, true), [t64(v, s)]);
    });
  });

  it('crossEntropy', () => {
    const arb = fc.tuple(dim, fc.integer({ min: 1, max: 5 })).chain(([n, c]) =>
      fc.tuple(
        fc.constant([n, c]),
        valuesArb(n * c, -4, 4),
        fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
      ),
    );
    checkProp(arb, ([[n, c], v, labels]) => gradCheck((z) => crossEntropy(z, labels), [t64(v, [n, c])]));
  });

  it('mse (gradient w.r.t. both pred and target)', () => {
    const arb = tensorArb().chain(({ s, v }) => valuesArb(prod(s)).map((w) => ({ s, v, w })));
    checkProp(arb, ({ s, v, w }) => gradCheck((p, t) => mse(p, t), [t64(v, s), t64(w, s)]));
  });

  it('a long chain reusing a tensor (gradient accumulation across paths)', () => {
    checkProp(tensorArb({ lo: 0.2, hi: 2 }), ({ s, v }) => {
      gradCheck((x) => mul(add(exp(neg(x)), log(x)), sigmoid(mul(x, x))), [t64(v, s)]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Independent references: hand-written backprop in plain loops.

/** Deterministic pseudo-random numbers in [-1, 1) (xorshift32), independent of the library. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

const randArray = (rand: () => number, n: number, scale = 1): Float64Array => Float64Array.from({ length: n }, () => rand() * scale);

/** y[r, c] = Σ_p a[r, p] b[p, c] with a [rows, inner], b [inner, cols]. */
function loopMatmul(a: Float64Array, b: Float64Array, rows: number, inner: number, cols: number): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let p = 0; p < inner; p++) s += a[r * inner + p] * b[p * cols + c];
    y[r * cols + c] = s;
  }
  return y;
}

function expectClose(actual: Tensor | null, expected: Float64Array, rtol: number, what: string): void {
  expect(actual, what).to.not.equal(null);
  const got = actual!.dense();
  expect(got.length).to.equal(expected.length);
  let maxAbs = 0;
  for (const e of expected) maxAbs = Math.max(maxAbs, Math.abs(e));
  for (let i = 0; i < expected.length; i++) {
    // Relative to the largest entry: tiny entries are sums of cancelling terms.
    expect(Math.abs(got[i] - expected[i]), `${what}[${i}]`).to.be.at.most(rtol * maxAbs);
  }
}

describe('composite graphs vs hand-written backprop (float64)', () => {
  // Both computations do the same float64 operations in different orders; accumulated roundoff is
  // ~ (depth · width) · eps64 ≈ 1e-13 relative, so 1e-9 leaves ample margin yet catches any wrong term.
  const RTOL = 1e-9;

  it('2-hidden-layer ReLU MLP with cross-entropy', () => {
    const rand = prng(7);
    const [n, d, h1, h2, c] = [6, 5, 7, 4, 3];
    const X = randArray(rand, n * d, 2);
    const W1 = randArray(rand, d * h1, 0.8), b1 = randArray(rand, h1, 0.1);
    const W2 = randArray(rand, h1 * h2, 0.8), b2 = randArray(rand, h2, 0.1);
    const W3 = randArray(rand, h2 * c, 0.8), b3 = randArray(rand, c, 0.1);
    const labels = [0, 2, 1, 1, 0, 2];

    // --- manual forward / backward ---
    const affine = (a: Float64Array, w: Float64Array, b: Float64Array, rows: number, k: number, cols: number): Float64Array => {
      const y = loopMatmul(a, w, rows, k, cols);
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) y[r * cols + j] += b[j];
      return y;
    };
    const Z1 = affine(X, W1, b1, n, d, h1);
    const A1 = Z1.map((v) => Math.max(v, 0));
    const Z2 = affine(A1, W2, b2, n, h1, h2);
    const A2 = Z2.map((v) => Math.max(v, 0));
    const Z3 = affine(A2, W3, b3, n, h2, c);
    let lossRef = 0;
    const dZ3 = new Float64Array(n * c);
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let j = 0; j < c; j++) m = Math.max(m, Z3[i * c + j]);
      let s = 0;
      for (let j = 0; j < c; j++) s += Math.exp(Z3[i * c + j] - m);
      lossRef += (m + Math.log(s) - Z3[i * c + labels[i]]) / n;
      for (let j = 0; j < c; j++) dZ3[i * c + j] = (Math.exp(Z3[i * c + j] - m) / s - (j === labels[i] ? 1 : 0)) / n;
    }
    /** Given dZ for Z = A W + b: returns [dA, dW, db]. */
    const affineBack = (dZ: Float64Array, A: Float64Array, W: Float64Array, rows: number, k: number, cols: number) => {
      const dA = new Float64Array(rows * k), dW = new Float64Array(k * cols), db = new Float64Array(cols);
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
        const g = dZ[r * cols + j];
        db[j] += g;
        for (let p = 0; p < k; p++) {
          dA[r * k + p] += g * W[p * cols + j];
          dW[p * cols + j] += A[r * k + p] * g;
        }
      }
      return [dA, dW, db] as const;
    };
    const [dA2, dW3, db3] = affineBack(dZ3, A2, W3, n, h2, c);
    const dZ2 = dA2.map((g, i) => (Z2[i] > 0 ? g : 0));
    const [dA1, dW2, db2] = affineBack(dZ2, A1, W2, n, h1, h2);
    const dZ1 = dA1.map((g, i) => (Z1[i] > 0 ? g : 0));
    const [dX, dW1, db1] = affineBack(dZ1, X, W1, n, d, h1);

    // --- library ---
    const p = (a: Float64Array, shape: number[]) => tensor(a, shape, { requiresGrad: true });
    const [x, w1, bb1, w2, bb2, w3, bb3] = [p(X, [n, d]), p(W1, [d, h1]), p(b1, [h1]), p(W2, [h1, h2]), p(b2, [h2]), p(W3, [h2, c]), p(b3, [c])];
    expect(x.dtype).to.equal('float64');
    const hid1 = relu(add(matmul(x, w1), bb1));
    const hid2 = relu(add(matmul(hid1, w2), bb2));
    const loss = crossEntropy(add(matmul(hid2, w3), bb3), Int32Array.from(labels));
    loss.backward();

    expect(Math.abs(loss.item() - lossRef)).to.be.at.most(RTOL * Math.abs(lossRef));
    expectClose(w1.grad, dW1, RTOL, 'dW1');
    expectClose(bb1.grad, db1, RTOL, 'db1');
    expectClose(w2.grad, dW2, RTOL, 'dW2');
    expectClose(bb2.grad, db2, RTOL, 'db2');
    expectClose(w3.grad, dW3, RTOL, 'dW3');
    expectClose(bb3.grad, db3, RTOL, 'db3');
    expectClose(x.grad, dX, RTOL, 'dX');
  });

  it('linear regression with mse', () => {
    const rand = prng(11);
    const [n, d, o] = [8, 3, 2];
    const X = randArray(rand, n * d), W = randArray(rand, d * o), b = randArray(rand, o), Y = randArray(rand, n * o);
    const P = loopMatmul(X, W, n, d, o);
    for (let r = 0; r < n; r++) for (let j = 0; j < o; j++) P[r * o + j] += b[j];
    let lossRef = 0;
    const dP = new Float64Array(n * o);
    for (let i = 0; i < n * o; i++) {
      lossRef += (P[i] - Y[i]) ** 2 / (n * o);
      dP[i] = (2 * (P[i] - Y[i])) / (n * o);
    }
    const dW = new Float64Array(d * o), db = new Float64Array(o);
    for (let r = 0; r < n; r++) for (let j = 0; j < o; j++) {
      db[j] += dP[r * o + j];
      for (let p = 0; p < d; p++) dW[p * o + j] += X[r * d + p] * dP[r * o + j];
    }
    const w = tensor(W, [d, o], { requiresGrad: true });
    const bias = tensor(b, [o], { requiresGrad: true });
    const loss = mse(add(matmul(tensor(X, [n, d]), w), bias), tensor(Y, [n, o]));
    loss.backward();
    expect(Math.abs(loss.item() - lossRef)).to.be.at.most(RTOL * lossRef);
    expectClose(w.grad, dW, RTOL, 'dW');
    expectClose(bias.grad, db, RTOL, 'db');
  });
});
