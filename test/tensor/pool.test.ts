/**
 * maxPool2d and avgPool2d: equal to the direct nested-loop definitions on random shapes with stride and padding
 * (float64), gradients against central differences, the documented tie / NaN / count_include_pad rules, float32
 * against float64, typed errors.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, DTypeError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/init/index.js';
import { permutation } from '../../src/nn/index.js';
import { avgPool2d, maxPool2d, mul, sum, type Tensor, tensor, zeros } from '../../src/tensor/index.js';
import { avgPoolRef, maxPoolRef, refOut, type RefGeometry } from '../support/conv-reference.js';
import { checkGradients } from '../support/finite-diff.js';

const EPS64 = 2 ** -52;
const U32 = 2 ** -24;
/** Spacing of the distinct values of max-pool inputs: a perturbation below SPACING / 2 never changes an argmax. */
const SPACING = 0.01;

/** A pooling geometry (padding ≤ ⌊kernel / 2⌋, kernel within the padded input), the default-stride choice, a seed. */
const poolCase = fc
  .record({
    B: fc.integer({ min: 1, max: 2 }), C: fc.integer({ min: 1, max: 3 }), kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 4 }),
    sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }), defaultStride: fc.boolean(), seed: fc.integer({ min: 0, max: 2 ** 31 }),
  })
  .chain((r) => fc.record({ ph: fc.integer({ min: 0, max: r.kh >> 1 }), pw: fc.integer({ min: 0, max: r.kw >> 1 }) }).map((p) => ({ ...r, ...p })))
  .chain((r) => fc.record({ H: fc.integer({ min: Math.max(1, r.kh - 2 * r.ph), max: 8 }), W: fc.integer({ min: Math.max(1, r.kw - 2 * r.pw), max: 8 }) })
    .map((hw) => ({ ...r, ...hw, ...(r.defaultStride ? { sh: r.kh, sw: r.kw } : {}) })));
type PoolCase = RefGeometry & { defaultStride: boolean; seed: number };

const optsOf = (c: PoolCase): { kernel: [number, number]; stride?: [number, number]; padding: number | [number, number] } => ({
  kernel: [c.kh, c.kw],
  ...(c.defaultStride ? {} : { stride: [c.sh, c.sw] as [number, number] }),
  padding: c.ph === c.pw && c.seed % 2 === 0 ? c.ph : [c.ph, c.pw],
});

/** The image of a case: distinct multiples of SPACING in a seeded order (max-pool argmaxes are unique). */
function image(c: PoolCase, dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const n = c.B * c.C * c.H * c.W;
  const order = permutation(n, createRng(c.seed));
  return tensor(Float64Array.from(order, (k) => (k - n / 2) * SPACING), [c.B, c.C, c.H, c.W], { dtype, requiresGrad: true });
}

/** Fixed, distinct weights for the test loss L = Σ c_i·y_i, representable in float32. */
function lossWeights(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  return tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3) + 0.1), shape.slice(), { dtype: 'float64' });
}

const absOf = (t: Tensor): Float64Array => Float64Array.from(t.dense(), Math.abs);

describe('tensor: maxPool2d and avgPool2d', () => {
  it('compute hand-worked examples (stride defaults to the kernel; count_include_pad on and off)', () => {
    const x = tensor([1, 5, 2, 0, 3, 4, 8, 6, 7, 9, 1, 2, 0, 1, 3, 3], [1, 1, 4, 4]);
    expect(Array.from(maxPool2d(x, { kernel: 2 }).dense())).to.deep.equal([5, 8, 9, 3]);
    expect(Array.from(avgPool2d(x, { kernel: 2 }).dense())).to.deep.equal([13 / 4, 16 / 4, 17 / 4, 9 / 4].map(Math.fround));
    const ones = tensor([1, 1, 1, 1], [1, 1, 2, 2]);
    // kernel 2, stride 1, padding 1 over a 2×2 image of ones: windows hold 1, 2 or 4 image elements.
    expect(Array.from(avgPool2d(ones, { kernel: 2, stride: 1, padding: 1 }).dense())).to.deep.equal([0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
    expect(Array.from(avgPool2d(ones, { kernel: 2, stride: 1, padding: 1, countIncludePad: false }).dense())).to.deep.equal(Array(9).fill(1));
    expect(Array.from(maxPool2d(tensor([-1, -2, -3, -4], [1, 1, 2, 2]), { kernel: 2, stride: 1, padding: 1 }).dense()))
      .to.deep.equal([-1, -1, -2, -1, -1, -2, -3, -3, -4]); // padding is −∞ for max, never 0
  });

  it('max pooling routes the gradient to the first maximum of a tie (row-major window order) and lets NaN through', () => {
    const x = tensor([0, 3, 3, 1, 2, 2, 2, 2], [1, 2, 2, 2], { requiresGrad: true });
    const y = maxPool2d(x, { kernel: 2 });
    expect(Array.from(y.dense())).to.deep.equal([3, 2]);
    y.backward(tensor([10, 20], [1, 2, 1, 1]));
    expect(Array.from(x.grad!.dense())).to.deep.equal([0, 10, 0, 0, 20, 0, 0, 0]);
    // overlapping windows add their gradients on a shared maximum
    const z = tensor([0, 9, 0], [1, 1, 1, 3], { requiresGrad: true });
    maxPool2d(z, { kernel: [1, 2], stride: 1 }).backward(tensor([1, 2], [1, 1, 1, 2]));
    expect(Array.from(z.grad!.dense())).to.deep.equal([0, 3, 0]);
    const n = tensor([1, NaN, 5, NaN], [1, 1, 2, 2], { requiresGrad: true });
    const m = maxPool2d(n, { kernel: 2 });
    expect(Number.isNaN(m.item())).to.equal(true);
    m.backward();
    expect(Array.from(n.grad!.dense())).to.deep.equal([0, 1, 0, 0]); // the first NaN
  });

  it('equal the nested-loop definitions on random shapes with stride and padding (float64)', () => {
    fc.assert(
      fc.property(poolCase, fc.boolean(), (c, includePad) => {
        const x = image(c);
        const [OH, OW] = refOut(c);
        const mx = maxPool2d(x, optsOf(c));
        expect(mx.shape).to.deep.equal([c.B, c.C, OH, OW]);
        expect(Array.from(mx.dense())).to.deep.equal(maxPoolRef(x.data, c)); // a max is exact
        const av = avgPool2d(x, { ...optsOf(c), countIncludePad: includePad });
        const ref = avgPoolRef(x.data, c, includePad);
        const mag = avgPoolRef(absOf(x), c, includePad);
        // Sums of at most kh·kw terms and one division: each within (kh·kw + 1)·ε·mag of exact (Higham §3.1).
        const bound = 2 * (c.kh * c.kw + 2) * EPS64;
        const y = av.dense();
        ref.forEach((r, i) => expect(Math.abs((y[i] as number) - r), `avg[${i}]`).to.be.at.most(bound * (mag[i] as number)));
      }),
      { seed: 21, numRuns: 200 },
    );
  });

  it('gradients equal central differences (float64, random shapes)', () => {
    fc.assert(
      fc.property(poolCase, fc.boolean(), (c, includePad) => {
        const x = image(c);
        const cw = lossWeights(maxPool2d(x, optsOf(c)).shape);
        const absC = absOf(cw);
        const n = cw.size + c.kh * c.kw + 2;
        // Max: L is affine in each element within ±SPACING/2 (no argmax changes), so with h = SPACING/4 the central
        // difference has no truncation error; rounding of the two evaluations of L (n terms, magnitude S) gives
        // ≤ 2γ_n·S/(2h). Average: L is linear, so h = 1/2 and the same rounding bound.
        const hMax = SPACING / 4;
        const sMax = maxPoolRef(absOf(x), c).reduce((a, m, i) => a + (absC[i] as number) * m, 0);
        checkGradients(() => sum(mul(maxPool2d(x, optsOf(c)), cw)), [x], hMax, () => (2 * (n + 2) * EPS64 * sMax) / hMax, 'max');
        const sAvg = avgPoolRef(absOf(x), c, includePad).reduce((a, m, i) => a + (absC[i] as number) * m, 0);
        checkGradients(() => sum(mul(avgPool2d(x, { ...optsOf(c), countIncludePad: includePad }), cw)), [x], 0.5, () => (2 * (n + 2) * EPS64 * sAvg) / 0.5, 'avg');
      }),
      { seed: 22, numRuns: 40 },
    );
  });

  it('float32 agrees with float64 (max exactly; average within the float32 summation bound)', () => {
    fc.assert(
      fc.property(poolCase, (c) => {
        const x64 = image(c);
        const x32 = image(c, 'float32');
        x64.data.set(x32.data); // the float32 values, held exactly by both
        const opts = optsOf(c);
        const m64 = maxPool2d(x64, opts);
        const m32 = maxPool2d(x32, opts);
        expect(m32.dtype).to.equal('float32');
        expect(Array.from(m32.dense())).to.deep.equal(Array.from(m64.dense()));
        const g = lossWeights(m64.shape);
        m64.backward(g);
        m32.backward(g.to('float32'));
        // Each dx element sums the gradients of the ≤ ⌈kh/sh⌉·⌈kw/sw⌉ windows whose max it is, in float64, rounded
        // once: within 2^-24 of the float64 sum, relatively.
        const [d64, d32] = [x64.grad!.dense(), x32.grad!.dense()];
        d64.forEach((v, i) => expect(Math.abs((d32[i] as number) - v), `max dx[${i}]`).to.be.at.most(U32 * Math.abs(v)));
        x64.zeroGrad();
        x32.zeroGrad();
        const a64 = avgPool2d(x64, opts);
        const a32 = avgPool2d(x32, opts);
        a64.backward(g);
        a32.backward(g.to('float32'));
        // Any order of n = kh·kw + 2 float32 operations is within n·2^-24·Σ|terms| (Higham §3.1); magnitudes from
        // the same ops on absolute values.
        const n = c.kh * c.kw + 2;
        const mag = avgPoolRef(absOf(x64), c, true);
        const [y64, y32] = [a64.dense(), a32.dense()];
        y64.forEach((v, i) => expect(Math.abs((y32[i] as number) - v), `avg y[${i}]`).to.be.at.most(n * U32 * (mag[i] as number)));
        const ax = zeros(x64.shape.slice(), { dtype: 'float64', requiresGrad: true });
        avgPool2d(ax, opts).backward(tensor(absOf(g), g.shape.slice()));
        const [g64, g32, gm] = [x64.grad!.dense(), x32.grad!.dense(), ax.grad!.dense()];
        g64.forEach((v, i) => expect(Math.abs((g32[i] as number) - v), `avg dx[${i}]`).to.be.at.most(n * U32 * (gm[i] as number)));
      }),
      { seed: 23, numRuns: 60 },
    );
  });

  describe('typed errors before any work', () => {
    const x = zeros([2, 3, 4, 4]);
    const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
      ['x not a tensor', () => maxPool2d('x' as never, { kernel: 2 }), DTypeError, /maxPool2d: x must be a Tensor, got "x"/],
      ['x of rank 2', () => avgPool2d(zeros([4, 4]), { kernel: 2 }), ShapeError, /avgPool2d: x must be a 4-D tensor \[batch, channels, height, width\]/],
      ['no options', () => maxPool2d(x, undefined as never), DomainError, /options.kernel is required/],
      ['kernel 0', () => maxPool2d(x, { kernel: 0 }), DomainError, /options.kernel must be an integer in \[1, 4294967296\], got 0/],
      ['kernel [2, -1]', () => avgPool2d(x, { kernel: [2, -1] }), DomainError, /options.kernel\[1\] must be an integer in \[1, 4294967296\], got -1/],
      ['stride 0', () => maxPool2d(x, { kernel: 2, stride: 0 }), DomainError, /options.stride must be an integer in \[1, 4294967296\], got 0/],
      ['padding over half the kernel', () => maxPool2d(x, { kernel: 3, padding: 2 }), DomainError, /options.padding must be an integer in \[0, ⌊kernel \/ 2⌋ = 1\] \(kernel 3\), got 2/],
      ['padding [0, 1] with kernel [2, 1]', () => avgPool2d(x, { kernel: [2, 1], padding: [0, 1] }), DomainError, /options.padding\[1\] must be an integer in \[0, ⌊kernel \/ 2⌋ = 0\]/],
      ['kernel larger than the padded input', () => maxPool2d(x, { kernel: 7, padding: 1 }), ShapeError, /maxPool2d: the kernel height options.kernel\[0\] = 7 must be at most the padded input height x.shape\[2\] \+ 2·padding = 4 \+ 2·1 = 6/],
      ['countIncludePad not a boolean', () => avgPool2d(x, { kernel: 2, countIncludePad: 1 as never }), DomainError, /options.countIncludePad must be a boolean/],
      ['unknown option', () => maxPool2d(x, { kernel: 2, kernal: 3 } as never), DomainError, /unknown option options.kernal for maxPool2d \(did you mean kernel\?\)/],
      ['countIncludePad on max', () => maxPool2d(x, { kernel: 2, countIncludePad: true } as never), DomainError, /unknown option options.countIncludePad for maxPool2d/],
    ];
    for (const [what, f, type, re] of cases) it(what, () => expect(f).to.throw(type, re));
  });
});
