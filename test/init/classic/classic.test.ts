// Classic initializers: spec/classic.md §3–§10 (fans, gains, deterministic, uniform / normal / truncated normal,
// variance scaling and named schemes, orthogonal, sparse), golden values and statistical tolerances of §10.
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import {
  calculateGain,
  computeFans,
  constant,
  createRng,
  dirac,
  eye,
  geometricInit,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  kaimingNormal,
  kaimingUniform,
  lecunNormal,
  lecunUniform,
  normal,
  ones,
  orthogonal,
  sparse,
  torchDefaultBias,
  torchDefaultLinear,
  truncatedNormal,
  truncatedNormalMoments,
  TRUNCATED_NORMAL_STD_2,
  uniform,
  varianceScaling,
  varianceScalingParams,
  xavierNormal,
  xavierUniform,
  zeros,
  type FloatArray,
  type RandomSource,
} from '../../../src/init/index.js';

const FC = { seed: 4242, numRuns: 40 } as const;
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

function stats(x: ArrayLike<number>): { mean: number; std: number; kurt: number } {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i] as number;
  m /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - m;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  return { mean: m, std: Math.sqrt(m2 / (n - 1)), kurt: m4 / n / (m2 / n) ** 2 };
}

/**
 * Asserts the sample std within 5 standard errors (classic.md §10): relative SE of the std is sqrt((κ − 1)/(4n)),
 * κ the kurtosis (3 normal, 9/5 uniform, 2.3655 normal truncated at ±2σ_p); the mean within 5σ/√n.
 */
function expectStd(x: ArrayLike<number>, target: number, kurtosis: number): void {
  const n = x.length;
  const { mean, std } = stats(x);
  const relTol = 5 * Math.sqrt((kurtosis - 1) / (4 * n));
  expect(rel(std, target), `std ${std} vs ${target} (n=${n}, 5 SE = ${relTol})`).to.be.below(relTol);
  expect(Math.abs(mean), `mean ${mean}`).to.be.below((5 * target) / Math.sqrt(n));
}

/** Number of entries failing `ok` (one assertion per array instead of one per entry). */
function countViolations(x: ArrayLike<number>, ok: (v: number) => boolean): number {
  let bad = 0;
  for (let i = 0; i < x.length; i++) if (!ok(x[i] as number)) bad++;
  return bad;
}

const KURT = { normal: 3, uniform: 9 / 5, truncated_normal: 2.3655 } as const;

/** An RNG that fails the test if used (deterministic initializers consume no draws). */
const noRng: RandomSource = {
  nextUint32: () => {
    throw new Error('RNG used');
  },
  nextFloat64: () => {
    throw new Error('RNG used');
  },
  nextInt: () => {
    throw new Error('RNG used');
  },
  nextNormal: () => {
    throw new Error('RNG used');
  },
};

describe('init/classic: fans (§3)', () => {
  it('golden values', () => {
    expect(computeFans([256, 784])).to.deep.equal([784, 256]);
    expect(computeFans([64, 32, 3, 3])).to.deep.equal([288, 576]);
    expect(computeFans([10, 3, 5])).to.deep.equal([15, 50]);
    expect(computeFans([8, 4, 3, 3, 3])).to.deep.equal([108, 216]);
    expect(computeFans([3, 3, 32, 64], 'keras')).to.deep.equal([288, 576]);
  });

  it('positive integers; torch and keras layouts of the same layer agree; numel = fan_in·shape[0]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 3 }),
        (out, inp, ks) => {
          const torch = [out, inp, ...ks];
          const keras = [...ks, inp, out];
          const [fi, fo] = computeFans(torch);
          expect(Number.isInteger(fi) && fi > 0 && Number.isInteger(fo) && fo > 0).to.equal(true);
          expect(computeFans(keras, 'keras')).to.deep.equal([fi, fo]);
          expect(torch.reduce((a, b) => a * b, 1)).to.equal(fi * out);
        },
      ),
      FC,
    );
  });

  it('transposed conv: roles swapped back, PyTorch quirk only in compat torch', () => {
    expect(computeFans([16, 8, 3, 3], { transposed: true })).to.deep.equal([144, 72]);
    expect(computeFans([16, 8, 3, 3], { transposed: true, compat: 'torch' })).to.deep.equal([72, 144]);
  });

  it('bad input: rank < 2, non-integer / non-positive dims, unknown layout', () => {
    expect(() => computeFans([5])).to.throw(ShapeError, /rank >= 2/);
    expect(() => computeFans([])).to.throw(ShapeError, /rank >= 2/);
    expect(() => computeFans([3, 0])).to.throw(ShapeError, /shape\[1\] must be a positive integer/);
    expect(() => computeFans([3, 2.5])).to.throw(ShapeError, /positive integer/);
    expect(() => computeFans([3, -1])).to.throw(ShapeError, /positive integer/);
    expect(() => computeFans([3, NaN])).to.throw(ShapeError, /positive integer/);
    expect(() => computeFans([3, 4], 'tf' as 'keras')).to.throw(DomainError, /layout must be one of/);
  });
});

describe('init/classic: gains (§4)', () => {
  it('exact values (relative 1e-15)', () => {
    for (const nl of ['linear', 'identity', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid'] as const) {
      expect(calculateGain(nl)).to.equal(1);
    }
    expect(rel(calculateGain('tanh'), 5 / 3)).to.be.at.most(1e-15);
    expect(rel(calculateGain('relu'), Math.sqrt(2))).to.be.at.most(1e-15);
    expect(rel(calculateGain('selu'), 0.75)).to.be.at.most(1e-15);
    expect(rel(calculateGain('leaky_relu'), Math.sqrt(2 / 1.0001))).to.be.at.most(1e-15);
    expect(rel(calculateGain('leaky_relu', 0.2), Math.sqrt(2 / 1.04))).to.be.at.most(1e-15);
    expect(calculateGain('leaky_relu', 0)).to.equal(calculateGain('relu'));
  });

  it('bad input: unknown name, NaN slope', () => {
    expect(() => calculateGain('gelu' as 'relu')).to.throw(DomainError, /nonlinearity must be one of/);
    expect(() => calculateGain('leaky_relu', NaN)).to.throw(NonFiniteError, /param/);
  });
});

describe('init/classic: deterministic initializers (§5)', () => {
  it('zeros / ones / constant: every entry exact, float32 rounding of the value, float64 on request', () => {
    expect([...zeros([2, 3])]).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect([...ones([4])]).to.deep.equal([1, 1, 1, 1]);
    const c = constant([3, 2], 0.1);
    expect(c).to.be.instanceOf(Float32Array);
    for (const v of c) expect(v).to.equal(Math.fround(0.1));
    const d = constant([3, 2], 0.1, { dtype: 'float64' });
    expect(d).to.be.instanceOf(Float64Array);
    for (const v of d) expect(v).to.equal(0.1);
  });

  it('eye: W·x = gain·x[i] for i < min(out, in), 0 elsewhere; rectangular shapes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.double({ min: -3, max: 3, noNaN: true }), (r, c, g) => {
        const W = eye([r, c], { gain: g, dtype: 'float64' });
        const x = Array.from({ length: c }, (_, j) => j + 1.5);
        for (let i = 0; i < r; i++) {
          let y = 0;
          for (let j = 0; j < c; j++) y += (W[i * c + j] as number) * (x[j] as number);
          expect(y).to.equal(i < Math.min(r, c) ? g * (x[i] as number) : 0);
        }
      }),
      FC,
    );
  });

  /** Direct 2-D convolution, stride 1, 'same' zero padding (odd kernels), grouped. x: [C_in, H, W]. */
  function conv2dSame(W: FloatArray, shape: number[], x: Float64Array, H: number, Wd: number, groups: number): Float64Array {
    const [cout, cinpg, kh, kw] = shape as [number, number, number, number];
    const opg = cout / groups;
    const y = new Float64Array(cout * H * Wd);
    for (let o = 0; o < cout; o++) {
      const g = Math.floor(o / opg);
      for (let i = 0; i < H; i++)
        for (let j = 0; j < Wd; j++) {
          let s = 0;
          for (let c = 0; c < cinpg; c++)
            for (let a = 0; a < kh; a++)
              for (let b = 0; b < kw; b++) {
                const ii = i + a - (kh - 1) / 2;
                const jj = j + b - (kw - 1) / 2;
                if (ii < 0 || jj < 0 || ii >= H || jj >= Wd) continue;
                s += (W[((o * cinpg + c) * kh + a) * kw + b] as number) * (x[((g * cinpg + c) * H + ii) * Wd + jj] as number);
              }
          y[(o * H + i) * Wd + j] = s;
        }
    }
    return y;
  }

  it('dirac: exactly groups·m ones; a same-padded odd conv passes channel g·in + d to g·opg + d', () => {
    const cases: [number[], number][] = [
      [[4, 2, 3, 3], 2],
      [[6, 4, 3, 5], 1],
      [[3, 5, 1, 3], 1],
      [[8, 3, 3, 3], 2],
    ];
    for (const [shape, groups] of cases) {
      const W = dirac(shape, { groups });
      const opg = (shape[0] as number) / groups;
      const m = Math.min(opg, shape[1] as number);
      let ones = 0;
      let others = 0;
      for (const v of W) {
        if (v === 1) ones++;
        else if (v !== 0) others++;
      }
      expect(ones).to.equal(groups * m);
      expect(others).to.equal(0);
      const H = 5;
      const Wd = 6;
      const cin = groups * (shape[1] as number);
      const x = Float64Array.from({ length: cin * H * Wd }, (_, i) => Math.sin(i + 1));
      const y = conv2dSame(W, shape, x, H, Wd, groups);
      for (let o = 0; o < (shape[0] as number); o++) {
        const g = Math.floor(o / opg);
        const d = o - g * opg;
        for (let p = 0; p < H * Wd; p++) {
          const want = d < m ? (x[(g * (shape[1] as number) + d) * H * Wd + p] as number) : 0;
          expect(y[o * H * Wd + p]).to.equal(want);
        }
      }
    }
    // rank 3 and 5 shapes: the centre entry is set
    const W3 = dirac([2, 2, 3]);
    expect([...W3]).to.deep.equal([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(Array.from(dirac([2, 2, 3, 3, 3])).reduce((a, b) => a + b, 0)).to.equal(2);
  });

  it('no RNG is consumed (via the registry calling convention)', async () => {
    const { getTensorInitializer } = await import('../../../src/init/index.js');
    for (const name of ['zeros', 'ones', 'eye']) getTensorInitializer(name).init([3, 3], noRng);
    getTensorInitializer('constant').init([3, 3], noRng, { value: 2 });
    getTensorInitializer('dirac').init([3, 3, 3], noRng);
  });

  it('bad input', () => {
    expect(() => eye([3, 3, 3])).to.throw(ShapeError, /rank 2/);
    expect(() => dirac([3, 3])).to.throw(ShapeError, /rank in \[3, 5\]/);
    expect(() => dirac([3, 3, 3, 3, 3, 3])).to.throw(ShapeError, /rank in \[3, 5\]/);
    expect(() => dirac([6, 3, 3], { groups: 4 })).to.throw(DomainError, /groups must divide shape\[0\]/);
    expect(() => dirac([6, 3, 3], { groups: 0 })).to.throw(DomainError, /groups must be a positive integer/);
    expect(() => constant([2], NaN)).to.throw(NonFiniteError, /value/);
    expect(() => zeros([2, 0])).to.throw(ShapeError, /positive integer/);
    expect(() => zeros([2, 3], { dtype: 'int8' as 'float32' })).to.throw(DomainError, /dtype must be one of/);
  });
});

describe('init/classic: basic random initializers (§6)', () => {
  it('uniform: fround(a) ≤ w ≤ fround(b); mean and std (κ = 9/5)', () => {
    const a = -0.3;
    const b = 0.7;
    const w = uniform([100, 1000], createRng(1), { a, b });
    expect(countViolations(w, (v) => v >= Math.fround(a) && v <= Math.fround(b))).to.equal(0);
    const { mean, std } = stats(w);
    expect(Math.abs(mean - 0.2)).to.be.below((5 * (b - a)) / Math.sqrt(12) / Math.sqrt(w.length));
    expect(rel(std, (b - a) / Math.sqrt(12))).to.be.below(5 * Math.sqrt(0.8 / (4 * w.length)));
    const d = uniform([5], createRng(1));
    expect(countViolations(d, (v) => v >= 0 && v < 1)).to.equal(0);
  });

  it('normal: mean and std (κ = 3)', () => {
    const w = normal([200, 500], createRng(2), { mean: 1.5, std: 0.2, dtype: 'float64' });
    const { mean, std } = stats(w);
    expect(Math.abs(mean - 1.5)).to.be.below((5 * 0.2) / Math.sqrt(w.length));
    expect(rel(std, 0.2)).to.be.below(5 * Math.sqrt(1 / (2 * w.length)));
  });

  it('truncated normal, Keras convention: within mean ± 2σ, std = 0.87962566103423978·σ (κ = 2.3655)', () => {
    expect(rel(truncatedNormalMoments(0, 1, -2, 2).std, TRUNCATED_NORMAL_STD_2)).to.be.below(1e-14);
    const w = truncatedNormal([100, 1000], createRng(3), { mean: 0.5, std: 0.1 });
    const lo = Math.fround(0.5 - 0.2);
    const hi = Math.fround(0.5 + 0.2);
    expect(countViolations(w, (v) => v >= lo && v <= hi)).to.equal(0);
    const { mean, std } = stats(w);
    expect(rel(std, 0.1 * TRUNCATED_NORMAL_STD_2)).to.be.below(5 * Math.sqrt(0.3414 / w.length));
    expect(Math.abs(mean - 0.5)).to.be.below((5 * 0.1) / Math.sqrt(w.length));
  });

  it('truncated normal, PyTorch convention (absolute, asymmetric bounds): bounds and closed-form moments', () => {
    const [a, b] = [-0.5, 2];
    const w = truncatedNormal([200, 500], createRng(4), { mean: 0.2, std: 1, a, b, dtype: 'float64' });
    expect(countViolations(w, (v) => v >= a && v <= b)).to.equal(0);
    const m = truncatedNormalMoments(0.2, 1, a, b);
    const s = stats(w);
    expect(rel(s.std, m.std)).to.be.below(5 * Math.sqrt((s.kurt - 1) / (4 * w.length)));
    expect(Math.abs(s.mean - m.mean)).to.be.below((5 * m.std) / Math.sqrt(w.length));
    // std = 0.02 with default-style absolute bounds ±2: effectively untruncated
    const t = truncatedNormal([100, 100], createRng(5), { std: 0.02, a: -2, b: 2 });
    expectStd(t, 0.02, 3);
  });

  it('bad input', () => {
    const r = createRng(0);
    expect(() => uniform([2], r, { a: 1, b: 1 })).to.throw(DomainError, /a must be < b/);
    expect(() => uniform([2], r, { a: NaN })).to.throw(NonFiniteError, /a must be a finite number/);
    expect(() => normal([2], r, { std: -1 })).to.throw(DomainError, /std must be in \[0, Infinity\)/);
    expect(() => normal([2], r, { mean: Infinity })).to.throw(NonFiniteError, /mean/);
    expect(() => truncatedNormal([2], r, { std: 0 })).to.throw(DomainError, /std must be in \(0, Infinity\)/);
    expect(() => truncatedNormal([2], r, { a: 2, b: -2 })).to.throw(DomainError, /a must be < b/);
    expect(() => truncatedNormal([2], r, { a: 10, b: 11 })).to.throw(DomainError, /keeps probability/);
    expect(() => normal([2, 1.5], r)).to.throw(ShapeError, /shape\[1\]/);
  });
});

describe('init/classic: variance scaling and named schemes (§7)', () => {
  const MODES = ['fan_in', 'fan_out', 'fan_avg', 'fan_geo_avg'] as const;
  const DISTS = ['truncated_normal', 'normal', 'uniform'] as const;

  it('golden parameter values (table of §7, given to 10 significant digits)', () => {
    const g1 = {
      lecun: 0.03571428571,
      glorotStd: 0.04385290097,
      glorotBound: 0.07595545253,
      heStd: 0.05050762723,
      heBound: 0.08748177653,
      geo: 0.06681531048,
      lecunSigmaP: 0.04060168694,
    };
    const g2 = {
      lecun: 0.0589255651,
      glorotStd: 0.04811252243,
      glorotBound: 0.08333333333,
      heStd: 0.08333333333,
      heBound: 0.1443375673,
      geo: 0.07007470127,
      lecunSigmaP: 0.06698936571,
    };
    for (const [shape, g] of [
      [[256, 784], g1],
      [[64, 32, 3, 3], g2],
    ] as const) {
      const tol = 5e-10; // the table's printed precision (10 significant digits)
      expect(rel(varianceScalingParams(shape, { mode: 'fan_in' }).std, g.lecun)).to.be.below(tol);
      expect(rel(varianceScalingParams(shape, { mode: 'fan_in' }).parentStd, g.lecunSigmaP)).to.be.below(tol);
      expect(rel(varianceScalingParams(shape, { mode: 'fan_avg' }).std, g.glorotStd)).to.be.below(tol);
      expect(rel(varianceScalingParams(shape, { mode: 'fan_avg' }).bound, g.glorotBound)).to.be.below(tol);
      expect(rel(varianceScalingParams(shape, { mode: 'fan_in', scale: 2 }).std, g.heStd)).to.be.below(tol);
      expect(rel(varianceScalingParams(shape, { mode: 'fan_in', scale: 2 }).bound, g.heBound)).to.be.below(tol);
      expect(rel(varianceScalingParams(shape, { mode: 'fan_geo_avg', scale: 2 }).std, g.geo)).to.be.below(tol);
      // and the closed forms to 1e-15
      const [fi, fo] = computeFans(shape);
      expect(rel(varianceScalingParams(shape, { mode: 'fan_avg' }).std, Math.sqrt(2 / (fi + fo)))).to.be.below(1e-15);
      expect(rel(varianceScalingParams(shape, { mode: 'fan_geo_avg', scale: 2 }).std, Math.sqrt(2 / Math.sqrt(fi * fo)))).to.be.below(1e-15);
    }
  });

  it('every mode × distribution: bound never exceeded, sample std within 5 SE of sqrt(scale/n)', () => {
    const shape = [256, 784];
    let seed = 100;
    for (const mode of MODES)
      for (const distribution of DISTS) {
        const scale = 1.7;
        const p = varianceScalingParams(shape, { scale, mode, distribution });
        const w = varianceScaling(shape, createRng(seed++), { scale, mode, distribution });
        expectStd(w, p.std, KURT[distribution]);
        if (distribution === 'uniform') expect(countViolations(w, (v) => Math.abs(v) <= Math.fround(p.bound))).to.equal(0);
        if (distribution === 'truncated_normal') expect(countViolations(w, (v) => Math.abs(v) <= Math.fround(2 * p.parentStd))).to.equal(0);
      }
  });

  it('named schemes are thin wrappers: same draws as varianceScaling (bit-identical)', () => {
    const shape = [32, 16, 3, 3];
    const same = (a: FloatArray, b: FloatArray): void => {
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).to.equal(true);
    };
    const vs = (o: object): FloatArray => varianceScaling(shape, createRng(9), o);
    same(lecunNormal(shape, createRng(9)), vs({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal' }));
    same(lecunUniform(shape, createRng(9)), vs({ scale: 1, mode: 'fan_in', distribution: 'uniform' }));
    same(glorotNormal(shape, createRng(9)), vs({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' }));
    same(glorotUniform(shape, createRng(9)), vs({ scale: 1, mode: 'fan_avg', distribution: 'uniform' }));
    same(xavierNormal(shape, createRng(9), { gain: 2 }), vs({ scale: 4, mode: 'fan_avg', distribution: 'normal' }));
    same(xavierUniform(shape, createRng(9)), vs({ scale: 1, mode: 'fan_avg', distribution: 'uniform' }));
    same(heNormal(shape, createRng(9), { mode: 'fan_out' }), vs({ scale: 2, mode: 'fan_out', distribution: 'truncated_normal' }));
    same(heUniform(shape, createRng(9)), vs({ scale: 2, mode: 'fan_in', distribution: 'uniform' }));
    same(kaimingNormal(shape, createRng(9)), vs({ scale: 2, mode: 'fan_in', distribution: 'normal' }));
    same(kaimingUniform(shape, createRng(9), { nonlinearity: 'relu', mode: 'fan_out' }), vs({ scale: 2, mode: 'fan_out', distribution: 'uniform' }));
  });

  it("PyTorch formulas: kaiming std g/√fan and xavier g·√(2/(fi+fo)) agree to 1e-15 per entry", () => {
    const shape = [40, 30];
    const k = kaimingNormal(shape, createRng(3), { a: 0.2, mode: 'fan_out', dtype: 'float64' });
    const g = calculateGain('leaky_relu', 0.2);
    const ref = createRng(3);
    for (const v of k) {
      const want = (g / Math.sqrt(40)) * ref.nextNormal();
      expect(Math.abs(v - want)).to.be.at.most(1e-15 * Math.abs(want) + 1e-300);
    }
    const x = xavierUniform(shape, createRng(4), { gain: 5 / 3, dtype: 'float64' });
    const bound = (5 / 3) * Math.sqrt(6 / 70);
    const r2 = createRng(4);
    for (const v of x) {
      const want = -bound + 2 * bound * r2.nextFloat64();
      expect(Math.abs(v - want)).to.be.at.most(1e-15 * bound);
    }
  });

  it('geometric = He (untruncated normal) for square dense layers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0 }), (n, seed) => {
        const a = geometricInit([n, n], createRng(seed), { distribution: 'normal', dtype: 'float64' });
        const b = kaimingNormal([n, n], createRng(seed), { nonlinearity: 'relu', dtype: 'float64' });
        expect(countViolations(Float64Array.from(a, (v, i) => Math.abs(v - (b[i] as number)) / (Math.abs(v) || 1)), (d) => d <= 1e-15)).to.equal(0);
      }),
      { ...FC, numRuns: 20 },
    );
  });

  it('TF.js compat: normal truncated at ±2·sqrt(v) without the correction (std 0.8796·sqrt(v))', () => {
    const shape = [256, 784];
    const p = varianceScalingParams(shape, { distribution: 'normal', compat: 'tfjs' });
    const w = varianceScaling(shape, createRng(12), { distribution: 'normal', compat: 'tfjs' });
    expect(countViolations(w, (v) => Math.abs(v) <= Math.fround(2 * p.std))).to.equal(0);
    expectStd(w, TRUNCATED_NORMAL_STD_2 * p.std, KURT.truncated_normal);
  });

  it('framework presets: torchDefaultLinear and torchDefaultBias are U(±1/√fan_in)', () => {
    const shape = [128, 300];
    const w = torchDefaultLinear(shape, createRng(13));
    const bound = 1 / Math.sqrt(300);
    expect(countViolations(w, (v) => Math.abs(v) <= Math.fround(bound))).to.equal(0);
    expectStd(w, bound / Math.sqrt(3), KURT.uniform);
    const b = torchDefaultBias(shape, createRng(14));
    expect(b.length).to.equal(128);
    expect(countViolations(b, (v) => Math.abs(v) <= Math.fround(bound))).to.equal(0);
  });

  it('keras layout gives the same parameters as the torch layout of the same layer', () => {
    const t = varianceScalingParams([64, 32, 3, 3], { mode: 'fan_avg' });
    const k = varianceScalingParams([3, 3, 32, 64], { mode: 'fan_avg', layout: 'keras' });
    expect(k.std).to.equal(t.std);
  });

  it('bad input: unknown mode / distribution, non-positive or NaN scale, rank 1', () => {
    const r = createRng(0);
    expect(() => varianceScaling([3, 3], r, { mode: 'fan_max' as 'fan_in' })).to.throw(DomainError, /mode must be one of "fan_in", "fan_out", "fan_avg", "fan_geo_avg"/);
    expect(() => varianceScaling([3, 3], r, { distribution: 'laplace' as 'normal' })).to.throw(DomainError, /distribution must be one of/);
    expect(() => varianceScaling([3, 3], r, { scale: 0 })).to.throw(DomainError, /scale must be in \(0, Infinity\)/);
    expect(() => varianceScaling([3, 3], r, { scale: NaN })).to.throw(NonFiniteError, /scale/);
    expect(() => varianceScaling([3], r)).to.throw(ShapeError, /rank >= 2/);
    expect(() => heNormal([3, 3], r, { mode: 'fan_avg' as 'fan_in' })).to.throw(DomainError, /mode must be one of "fan_in", "fan_out"/);
    expect(() => kaimingNormal([3, 3], r, { nonlinearity: 'swish' as 'relu' })).to.throw(DomainError, /nonlinearity/);
    expect(() => kaimingNormal([3, 3], r, { a: NaN })).to.throw(NonFiniteError, /a must be/);
    expect(() => geometricInit([3, 3], r, { gain: -2 })).to.throw(DomainError, /gain must be in \(0, Infinity\)/);
  });
});

describe('init/classic: orthogonal (§8)', () => {
  function gramError(W: FloatArray, rows: number, cols: number, gain: number): number {
    const tall = rows > cols;
    const k = tall ? cols : rows;
    let err = 0;
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        let s = 0;
        if (tall) for (let r = 0; r < rows; r++) s += (W[r * cols + i] as number) * (W[r * cols + j] as number);
        else for (let c = 0; c < cols; c++) s += (W[i * cols + c] as number) * (W[j * cols + c] as number);
        err = Math.max(err, Math.abs(s - (i === j ? gain * gain : 0)));
      }
    return err;
  }

  it('W Wᵀ = g²I (rows ≤ cols) or Wᵀ W = g²I (rows ≥ cols): 1e-12·g² in float64, 1e-6·g² in float32', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.integer({ min: 0 }),
        (rows, cols, gain, seed) => {
          const W64 = orthogonal([rows, cols], createRng(seed), { gain, dtype: 'float64' });
          expect(gramError(W64, rows, cols, gain)).to.be.at.most(1e-12 * gain * gain);
          const W32 = orthogonal([rows, cols], createRng(seed), { gain });
          expect(gramError(W32, rows, cols, gain)).to.be.at.most(1e-6 * gain * gain);
        },
      ),
      FC,
    );
    // conv weights: trailing dimensions flattened (16 × 72, orthonormal rows)
    expect(gramError(orthogonal([16, 8, 3, 3], createRng(1), { dtype: 'float64' }), 16, 72, 1)).to.be.at.most(1e-12);
    expect(gramError(orthogonal([200, 120], createRng(2), { dtype: 'float64', gain: 2 }), 200, 120, 2)).to.be.at.most(4e-12);
  });

  it('Haar sign check: over 2000 seeds (4 × 4), P(W[0][0] > 0) = 1/2 within 5 binomial SE; mean W² = g²/4', () => {
    let pos = 0;
    let sq = 0;
    const n = 2000;
    const gain = 1.5;
    for (let s = 0; s < n; s++) {
      const W = orthogonal([4, 4], createRng(s), { gain, dtype: 'float64' });
      if ((W[0] as number) > 0) pos++;
      for (const v of W) sq += v * v;
    }
    expect(Math.abs(pos / n - 0.5)).to.be.below(5 * Math.sqrt(0.25 / n));
    expect(rel(sq / (16 * n), (gain * gain) / 4)).to.be.below(1e-12); // exact: each row has norm g
  });

  it('draws rows·cols normals before the QR (draw-order contract)', () => {
    const r = createRng(77);
    orthogonal([6, 5], r);
    const ref = createRng(77);
    for (let i = 0; i < 30; i++) ref.nextNormal();
    expect(r.nextUint32()).to.equal(ref.nextUint32());
  });

  it('bad input', () => {
    expect(() => orthogonal([4], createRng(0))).to.throw(ShapeError, /rank >= 2/);
    expect(() => orthogonal([4, 4], createRng(0), { gain: NaN })).to.throw(NonFiniteError, /gain/);
  });
});

describe('init/classic: sparse (§9)', () => {
  it('exactly ceil(sparsity·rows) zeros per column; non-zero std; sparsity 0 and 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), (rows, cols, sp) => {
        const W = sparse([rows, cols], createRng(rows * 31 + cols), { sparsity: sp });
        const nz = Math.ceil(sp * rows);
        for (let c = 0; c < cols; c++) {
          let zeros = 0;
          for (let r = 0; r < rows; r++) if (W[r * cols + c] === 0) zeros++;
          expect(zeros).to.equal(nz);
        }
      }),
      FC,
    );
    const W = sparse([400, 250], createRng(5), { sparsity: 0.3, std: 0.05, dtype: 'float64' });
    expectStd(W.filter((v) => v !== 0), 0.05, 3);
    const plain = normal([20, 10], createRng(6), { std: 0.01 });
    const s0 = sparse([20, 10], createRng(6), { sparsity: 0 });
    expect([...s0]).to.deep.equal([...plain]);
    expect([...sparse([5, 4], createRng(7), { sparsity: 1 })].every((v) => v === 0)).to.equal(true);
  });

  it('bad input', () => {
    expect(() => sparse([4, 4], createRng(0), { sparsity: 1.5 })).to.throw(DomainError, /sparsity must be in \[0, 1\]/);
    expect(() => sparse([4, 4], createRng(0), {})).to.throw(DomainError, /sparsity is required/);
    expect(() => sparse([4, 4, 4], createRng(0), { sparsity: 0.5 })).to.throw(ShapeError, /rank 2/);
    expect(() => sparse([4, 4], createRng(0), { sparsity: 0.5, std: -1 })).to.throw(DomainError, /std/);
  });
});

describe('init/classic: reproducibility contract (§11)', () => {
  const random: [string, (s: number[], r: RandomSource) => FloatArray][] = [
    ['uniform', (s, r) => uniform(s, r)],
    ['normal', (s, r) => normal(s, r)],
    ['truncatedNormal', (s, r) => truncatedNormal(s, r)],
    ['varianceScaling', (s, r) => varianceScaling(s, r, { mode: 'fan_geo_avg' })],
    ['lecunNormal', lecunNormal],
    ['glorotUniform', (s, r) => glorotUniform(s, r)],
    ['heNormal', (s, r) => heNormal(s, r)],
    ['kaimingUniform', (s, r) => kaimingUniform(s, r)],
    ['xavierNormal', (s, r) => xavierNormal(s, r)],
    ['orthogonal', (s, r) => orthogonal(s, r)],
    ['sparse', (s, r) => sparse(s, r, { sparsity: 0.5 })],
    ['geometric', (s, r) => geometricInit(s, r)],
  ];
  for (const [name, f] of random) {
    it(`${name}: same seed ⇒ bit-identical; different seed ⇒ different; finite`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0 }), fc.integer({ min: 0 }), (s1, s2) => {
          fc.pre(s1 !== s2);
          const a = f([12, 7], createRng(s1));
          const b = f([12, 7], createRng(s1));
          const c = f([12, 7], createRng(s2));
          expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).to.equal(true);
          expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).to.equal(false);
          expect(countViolations(a, (v) => Number.isFinite(v))).to.equal(0);
        }),
        { ...FC, numRuns: 15 },
      );
    });
  }
});
