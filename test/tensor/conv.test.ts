/**
 * conv2d: equal to the direct nested-loop definition on random shapes with stride and padding (float64), gradients
 * of x, w and b against central differences, float32 against float64, typed errors before any work.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, DTypeError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/init/index.js';
import { conv2d, mul, sum, type Tensor, tensor, zeros } from '../../src/tensor/index.js';
import { conv2dRef, refOut, type RefGeometry } from '../support/conv-reference.js';
import { checkGradients } from '../support/finite-diff.js';

const EPS64 = 2 ** -52;
const U32 = 2 ** -24;

/** A conv geometry whose kernel fits the padded input, plus the output channels and a value seed. */
const convCase = fc
  .record({
    B: fc.integer({ min: 1, max: 3 }), C: fc.integer({ min: 1, max: 3 }), O: fc.integer({ min: 1, max: 4 }),
    kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 4 }), sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }),
    ph: fc.integer({ min: 0, max: 2 }), pw: fc.integer({ min: 0, max: 2 }), seed: fc.integer({ min: 0, max: 2 ** 31 }), bias: fc.boolean(),
  })
  .chain((r) => fc.record({
    H: fc.integer({ min: Math.max(1, r.kh - 2 * r.ph), max: 8 }),
    W: fc.integer({ min: Math.max(1, r.kw - 2 * r.pw), max: 8 }),
  }).map((hw) => ({ ...r, ...hw })));
type ConvCase = RefGeometry & { O: number; seed: number; bias: boolean };

/** n uniform values in [-1, 1) from `seed`. */
function values(n: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => 2 * rng.nextFloat64() - 1);
}

/** x, w, b (b null without bias) of a case, in `dtype`, tracking gradients. */
function operands(c: ConvCase, dtype: 'float32' | 'float64' = 'float64'): { x: Tensor; w: Tensor; b: Tensor | null } {
  const o = { dtype, requiresGrad: true } as const;
  return {
    x: tensor(values(c.B * c.C * c.H * c.W, c.seed), [c.B, c.C, c.H, c.W], o),
    w: tensor(values(c.O * c.C * c.kh * c.kw, c.seed + 1), [c.O, c.C, c.kh, c.kw], o),
    b: c.bias ? tensor(values(c.O, c.seed + 2), [c.O], o) : null,
  };
}

/** Stride / padding as the caller may write them: a number when both entries agree (sometimes), else a pair. */
const pairOf = (h: number, w: number, seed: number): number | [number, number] => (h === w && seed % 2 === 0 ? h : [h, w]);
const optsOf = (c: ConvCase): { stride: number | [number, number]; padding: number | [number, number] } =>
  ({ stride: pairOf(c.sh, c.sw, c.seed), padding: pairOf(c.ph, c.pw, c.seed >> 1) });

/** Fixed, distinct weights for the test loss L = Σ c_i·y_i. */
function lossWeights(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  return tensor(Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3) + 0.1), shape.slice());
}

describe('tensor: conv2d', () => {
  it('computes a hand-worked example (3×3 image, 2×2 kernel of ones, bias 0.5)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
    const w = tensor([1, 1, 1, 1], [1, 1, 2, 2]);
    const y = conv2d(x, w, tensor([0.5]));
    expect(y.shape).to.deep.equal([1, 1, 2, 2]);
    expect(Array.from(y.dense())).to.deep.equal([12.5, 16.5, 24.5, 28.5]);
    // stride 2, padding 1: windows at rows/cols -1 and 1 → [1], [2+3], [4+7], [5+6+8+9]
    expect(Array.from(conv2d(x, w, null, { stride: 2, padding: 1 }).dense())).to.deep.equal([1, 5, 11, 28]);
  });

  it('equals the nested-loop definition on random shapes with stride and padding (float64)', () => {
    fc.assert(
      fc.property(convCase, (c) => {
        const { x, w, b } = operands(c);
        const y = conv2d(x, w, b, optsOf(c));
        const [OH, OW] = refOut(c);
        expect(y.shape).to.deep.equal([c.B, c.O, OH, OW]);
        const ref = conv2dRef(x.data, w.data, b?.data ?? null, c.O, c);
        const mag = conv2dRef(x.data, w.data, b?.data ?? null, c.O, c, true);
        // Two float64 evaluations of the same K + 1 terms in different orders: each within γ_{K+1}·Σ|terms| of the
        // exact sum (Higham, Accuracy and Stability, §3.1), so they differ by at most 2(K+2)·ε·Σ|terms|.
        const K = c.C * c.kh * c.kw;
        const yd = y.dense();
        ref.forEach((r, i) => expect(Math.abs((yd[i] as number) - r), `y[${i}]`).to.be.at.most(2 * (K + 2) * EPS64 * ((mag[i] as number) + 1e-300)));
      }),
      { seed: 9, numRuns: 200 },
    );
  });

  it('gradients of x, w and b equal central differences (float64, random shapes)', () => {
    fc.assert(
      fc.property(convCase, (c) => {
        const { x, w, b } = operands(c);
        const opts = optsOf(c);
        const cw = lossWeights(conv2d(x, w, b, opts).shape);
        const loss = (): Tensor => sum(mul(conv2d(x, w, b, opts), cw));
        // L is affine in each single element of x, w or b (conv is bilinear), so the central difference has no
        // truncation error for any step: h = 1/2 leaves only the rounding of the two evaluations of L, each within
        // γ_n·S of exact, n = K + 1 + (number of outputs) terms, S = Σ|c_i|·Σ|terms of y_i| — an error ≤ γ_n·S/h.
        const h = 0.5;
        const n = c.C * c.kh * c.kw + 1 + cw.size;
        const absC = cw.dense().map(Math.abs);
        const S = conv2dRef(x.data, w.data, b?.data ?? null, c.O, c, true).reduce((a, m, i) => a + (absC[i] as number) * m, 0);
        const tol = (2 * (n + 2) * EPS64 * S) / h;
        checkGradients(loss, b === null ? [x, w] : [x, w, b], h, () => tol);
      }),
      { seed: 10, numRuns: 40 },
    );
  });

  it('float32 agrees with float64 within the float32 dot-product bound (forward and gradients)', () => {
    fc.assert(
      fc.property(convCase, (c) => {
        const d = operands(c, 'float64');
        // Inputs representable in float32, so both runs start from the same numbers.
        for (const t of [d.x, d.w, d.b]) if (t !== null) t.data.set(Float32Array.from(t.data));
        const s = operands(c, 'float32');
        for (const [t32, t64] of [[s.x, d.x], [s.w, d.w], [s.b, d.b]] as const) if (t32 !== null) t32.data.set(t64!.data);
        const opts = optsOf(c);
        const y64 = conv2d(d.x, d.w, d.b, opts);
        const y32 = conv2d(s.x, s.w, s.b, opts);
        const g = lossWeights(y64.shape);
        g.data.set(Float32Array.from(g.data)); // a seed both dtypes hold exactly
        y64.backward(g);
        y32.backward(g.to('float32'));
        // Any summation order of n float32 products is within γ_n·Σ|terms| ≈ n·2^-24·Σ|terms| of exact (Higham §3.1),
        // with n the longest sum: K + 1 for y, O·kh·kw for dx (col2im adds ≤ kh·kw dcol entries of O terms each),
        // B·OH·OW for dw and db. The magnitudes Σ|terms| are the same ops on absolute values (float64).
        const [OH, OW] = refOut(c);
        const n = Math.max(c.C * c.kh * c.kw + 1, c.O * c.kh * c.kw, c.B * OH * OW) + 2;
        const absT = (t: Tensor): Tensor => tensor(t.dense().map(Math.abs), t.shape.slice(), { dtype: 'float64', requiresGrad: true });
        const [ax, aw, ab] = [absT(d.x), absT(d.w), d.b === null ? null : absT(d.b)];
        const absG = absT(g);
        conv2d(ax, aw, ab, opts).backward(absG);
        const pairs: [string, Tensor, Tensor, Tensor][] = [['y', y32, y64, conv2d(ax, aw, ab, opts)], ['dx', s.x.grad!, d.x.grad!, ax.grad!], ['dw', s.w.grad!, d.w.grad!, aw.grad!]];
        if (d.b !== null) pairs.push(['db', s.b!.grad!, d.b.grad!, ab!.grad!]);
        for (const [name, a32, a64, mag] of pairs) {
          expect(a32.dtype, name).to.equal('float32');
          const [v32, v64, m] = [a32.dense(), a64.dense(), mag.dense()];
          for (let i = 0; i < v64.length; i++) {
            expect(Math.abs((v32[i] as number) - (v64[i] as number)), `${name}[${i}]`).to.be.at.most(n * U32 * ((m[i] as number) + 1e-30));
          }
        }
      }),
      { seed: 11, numRuns: 60 },
    );
  });

  it('takes strided views (a transposed image) and gives the result of the contiguous copy', () => {
    const c: ConvCase = { B: 2, C: 2, H: 5, W: 4, kh: 3, kw: 2, sh: 1, sw: 2, ph: 1, pw: 0, O: 3, seed: 5, bias: true };
    const { x, w, b } = operands(c);
    const xT = tensor(x.transpose(2, 3).dense(), [2, 2, 4, 5], { dtype: 'float64' }).transpose(2, 3); // a view of x's values
    expect(xT.isContiguous()).to.equal(false);
    expect(Array.from(conv2d(xT, w, b, optsOf(c)).dense())).to.deep.equal(Array.from(conv2d(x, w, b, optsOf(c)).dense()));
  });

  it('records no history when nothing requires a gradient, and skips gradients of inputs that do not', () => {
    const x = zeros([1, 1, 3, 3]);
    const w = zeros([1, 1, 2, 2]);
    expect(conv2d(x, w).node).to.equal(null);
    const wg = zeros([1, 1, 2, 2], { requiresGrad: true });
    const y = conv2d(x, wg);
    expect(y.node?.op).to.equal('conv2d');
    const [dx, dw] = y.node!.backward(zeros(y.shape.slice()));
    expect(dx).to.equal(null);
    expect(dw?.shape).to.deep.equal([1, 1, 2, 2]);
  });

  describe('typed errors before any work', () => {
    const x = zeros([2, 3, 5, 5]);
    const w = zeros([4, 3, 3, 3]);
    const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
      ['x not a tensor', () => conv2d([1] as never, w), DTypeError, /conv2d: x must be a Tensor/],
      ['x of rank 3', () => conv2d(zeros([3, 5, 5]), w), ShapeError, /conv2d: x must be a 4-D tensor \[batch, channels, height, width\].*got shape \[3, 5, 5\]/],
      ['x with an empty dimension', () => conv2d(zeros([0, 3, 5, 5]), w), ShapeError, /every dimension ≥ 1, got shape \[0, 3, 5, 5\]/],
      ['w of rank 2', () => conv2d(x, zeros([4, 27])), ShapeError, /conv2d: w must be a 4-D tensor \[outChannels, inChannels, kh, kw\]/],
      ['channel mismatch', () => conv2d(x, zeros([4, 2, 3, 3])), ShapeError, /w.shape\[1\] \(inChannels\) must equal x.shape\[1\] = 3, got 2/],
      ['bias shape', () => conv2d(x, w, zeros([3])), ShapeError, /conv2d: b must have shape \[4\] \(w.shape\[0\]\), got \[3\]/],
      ['dtype of w', () => conv2d(x, zeros([4, 3, 3, 3], { dtype: 'float64' })), DTypeError, /conv2d: w must have x's dtype float32, got float64/],
      ['dtype of b', () => conv2d(x, w, zeros([4], { dtype: 'float64' })), DTypeError, /conv2d: b must have x's dtype float32/],
      ['stride 0', () => conv2d(x, w, null, { stride: 0 }), DomainError, /options.stride must be an integer in \[1, 4294967296\], got 0/],
      ['stride 1.5', () => conv2d(x, w, null, { stride: [1, 1.5] }), DomainError, /options.stride\[1\] must be an integer in \[1, 4294967296\], got 1.5/],
      ['stride of 3 entries', () => conv2d(x, w, null, { stride: [1, 1, 1] as never }), DomainError, /options.stride must be an integer ≥ 1 or an \[h, w\] pair/],
      ['stride a string', () => conv2d(x, w, null, { stride: '2' as never }), DomainError, /options.stride must be an integer ≥ 1 or an \[h, w\] pair of them, got "2"/],
      ['padding -1', () => conv2d(x, w, null, { padding: -1 }), DomainError, /options.padding must be an integer in \[0, 4294967296\], got -1/],
      ['padding NaN', () => conv2d(x, w, null, { padding: [0, NaN] }), DomainError, /options.padding\[1\] must be an integer in \[0, 4294967296\], got NaN/],
      ['huge padding', () => conv2d(x, w, null, { padding: 2 ** 20 }), ShapeError, /conv2d: the result .* has too many elements/],
      ['kernel larger than the padded input', () => conv2d(zeros([1, 3, 2, 5]), w), ShapeError, /conv2d: the kernel height w.shape\[2\] = 3 must be at most the padded input height x.shape\[2\] \+ 2·padding = 2 \+ 2·0 = 2/],
      ['kernel wider than the padded input', () => conv2d(zeros([1, 3, 5, 1]), w, null, { padding: [0, 0] }), ShapeError, /the kernel width w.shape\[3\] = 3 must be at most the padded input width x.shape\[3\] \+ 2·padding = 1 \+ 2·0 = 1/],
      ['unknown option', () => conv2d(x, w, null, { strides: 2 } as never), DomainError, /unknown option options.strides for conv2d \(did you mean stride\?\)/],
      ['options null', () => conv2d(x, w, null, null as never), DomainError, /options must be an object, got null/],
    ];
    for (const [what, f, type, re] of cases) it(what, () => expect(f).to.throw(type, re));
  });
});
