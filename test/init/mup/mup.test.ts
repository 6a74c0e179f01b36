// μP for MLPs (src/init/mup): infshapes, MuSGD / MuAdam rates, the MuReadout multiplier, the `mup` entry.
import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import {
  createRng, getInitializer, initializeNetwork, mupInfShapes, mupInit, mupLearningRates, MUP_DEFAULT_BASE_WIDTH,
} from '../../../src/init/index.js';

/** Sample variance about 0 (the draws are zero-mean). */
const meanSquare = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s / a.length;
};

describe('init/mup: maximal-update parametrization of an MLP', () => {
  // widths [10, 256, 128, 5], base 64: m_1 = 4, m_2 = 2 (hand-computed from mup/infshape.py and mup/optim.py)
  const widths = [10, 256, 128, 5];

  it('infshapes: input weight vector-like (m_1), hidden weight matrix-like (fan-in mult m_1), readout vector-like (m_2)', () => {
    const s = mupInfShapes(widths, 64);
    expect(s.map((l) => l.W.dims)).to.deep.equal([['inf', 'fin'], ['inf', 'inf'], ['fin', 'inf']]);
    expect(s.map((l) => l.W.kind)).to.deep.equal(['vector-like', 'matrix-like', 'vector-like']);
    expect(s.map((l) => l.W.widthMult)).to.deep.equal([4, 4, 2]);
    expect(s.map((l) => l.W.fanInOverFanOut)).to.deep.equal([1 / 4, 4 / 2, 2 / 1]);
    expect(s.map((l) => l.b.kind)).to.deep.equal(['vector-like', 'vector-like', 'scalar-like']);
    expect(s.map((l) => l.b.widthMult)).to.deep.equal([4, 2, 1]);
  });

  it('MuSGD rates: W_0 lr·m_1, hidden W lr·m_2/m_1, readout W lr·m_2, hidden b lr·m_l, readout b lr', () => {
    const r = mupLearningRates(widths, 64, 'sgd', 0.1);
    const want = [{ W: 0.1 * 4, b: 0.1 * 4 }, { W: 0.1 * (2 / 4), b: 0.1 * 2 }, { W: 0.1 * 2, b: 0.1 }];
    r.forEach((x, l) => {
      expect(x.W, `W_${l}`).to.be.closeTo(want[l]!.W, 1e-15);
      expect(x.b, `b_${l}`).to.be.closeTo(want[l]!.b, 1e-15);
    });
  });

  it('MuAdam rates: only matrix-like weights change, lr / fan-in mult', () => {
    expect(mupLearningRates(widths, 64, 'adam', 0.01)).to.deep.equal([{ W: 0.01, b: 0.01 }, { W: 0.01 / 4, b: 0.01 }, { W: 0.01, b: 0.01 }]);
    // per-layer base widths [32, 64]: m_1 = 8, m_2 = 2
    expect(mupLearningRates(widths, [32, 64], 'adam', 1)[1]).to.deep.equal({ W: 1 / 8, b: 1 });
    expect(mupLearningRates(widths, [32, 64], 'sgd', 1)[1]).to.deep.equal({ W: 2 / 8, b: 2 });
  });

  it('at the base widths every rate is the base rate (μP = SP there)', () => {
    for (const opt of ['sgd', 'adam'] as const) {
      expect(mupLearningRates([3, 64, 64, 2], 64, opt, 0.3).flatMap((x) => [x.W, x.b])).to.deep.equal(new Array(6).fill(0.3));
    }
  });

  it('readout: forward scale outputMult / m_L (MuReadout), weight variance gain²/B_L whatever N_L', () => {
    const base = 64;
    for (const n of [64, 256, 1024]) {
      const layers = mupInit([8, n, n, 32], createRng(3), { baseWidth: base, outputMult: 2, dtype: 'float64' });
      expect(layers[2]!.scale).to.equal(2 / (n / base));
      expect(layers[0]!.scale).to.equal(undefined);
      // 32·n readout draws: the sample mean square has relative sd √(2/(32n)) ≤ 3.1 %; 4 sd = 12.5 %
      const tol = 4 * Math.sqrt(2 / (32 * n));
      expect(meanSquare(layers[2]!.W) / (2 / base) - 1, `readout n = ${n}`).to.be.within(-tol, tol);
      // hidden matrix-like weight keeps the fan-in variance gain²/n (n² draws: relative sd √(2/n²))
      expect(meanSquare(layers[1]!.W) / (2 / n) - 1, `hidden n = ${n}`).to.be.within(-4 * Math.sqrt(2) / n, 4 * Math.sqrt(2) / n);
      expect(Array.from(layers[2]!.b!).every((v) => v === 0)).to.equal(true);
    }
  });

  it('readoutZeroInit zeroes the readout weight and keeps the multiplier; gain scales the draws', () => {
    const z = mupInit([4, 128, 3], createRng(1), { readoutZeroInit: true });
    expect(Array.from(z[1]!.W).every((v) => v === 0)).to.equal(true);
    expect(z[1]!.scale).to.equal(1 / 2);
    const g1 = mupInit([4, 128, 3], createRng(1), { gain: 1, dtype: 'float64' });
    const g2 = mupInit([4, 128, 3], createRng(1), { gain: 2, dtype: 'float64' });
    g1[0]!.W.forEach((v, i) => expect(g2[0]!.W[i]).to.be.closeTo(2 * v, 1e-15));
  });

  it('at the base widths the draws are bit-identical to the kaiming_normal entry (gain √2, stream l)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const shapes = [[64, 5], [64, 64], [3, 64]];
      const ref = initializeNetwork('kaiming_normal', shapes, createRng(11), { dtype });
      const mup = initializeNetwork('mup', shapes, createRng(11), { dtype });
      mup.forEach((l, i) => expect(Array.from(l.W), `${dtype} layer ${i}`).to.deep.equal(Array.from(ref[i]!.W)));
      expect(mup[2]!.scale).to.equal(1);
    }
  });

  it('same seed, bit-identical; another seed, different; default base width 64', () => {
    const a = initializeNetwork('mup', [[100, 4], [2, 100]], createRng(5));
    const b = initializeNetwork('mup', [[100, 4], [2, 100]], createRng(5));
    const c = initializeNetwork('mup', [[100, 4], [2, 100]], createRng(6));
    a.forEach((l, i) => expect(Array.from(l.W)).to.deep.equal(Array.from(b[i]!.W)));
    expect(Array.from(a[0]!.W)).to.not.deep.equal(Array.from(c[0]!.W));
    expect(MUP_DEFAULT_BASE_WIDTH).to.equal(64);
    expect(a[1]!.scale).to.equal(64 / 100);
    expect(getInitializer('mu_p')).to.equal(getInitializer('mup'));
    expect(getInitializer('mup').kind).to.equal('network');
  });

  it('bad input: typed errors naming the argument, before any draw', () => {
    expect(() => mupLearningRates([3, 4], 2, 'sgd', 1)).to.throw(ShapeError, /at least one hidden layer/);
    expect(() => mupLearningRates(widths, [64], 'sgd', 1)).to.throw(ShapeError, /baseWidths must hold one base width per hidden layer \(2\)/);
    expect(() => mupLearningRates(widths, 0, 'sgd', 1)).to.throw(DomainError, /baseWidths must be a positive integer, got 0/);
    expect(() => mupLearningRates(widths, [64, 1.5], 'sgd', 1)).to.throw(DomainError, /baseWidths\[1\] must be a positive integer, got 1.5/);
    expect(() => mupLearningRates(widths, 64, 'rmsprop' as never, 1)).to.throw(DomainError, /optimizer/);
    expect(() => mupLearningRates(widths, 64, 'sgd', 0)).to.throw(DomainError, /baseLr must be in \(0, Infinity\), got 0/);
    expect(() => mupInit([3, 4, 2], createRng(1), { baseWidht: 4 } as never)).to.throw(DomainError, /baseWidht/);
    expect(() => mupInit([3, 4, 2], createRng(1), { gain: -1 })).to.throw(DomainError, /options.gain must be in \(0, Infinity\), got -1/);
    expect(() => mupInit([3, 4, 2], createRng(1), { outputMult: Number.NaN })).to.throw(DomainError, /options.outputMult/);
    expect(() => mupInit([3, 4, 2], createRng(1), { readoutZeroInit: 1 as never })).to.throw(DomainError, /options.readoutZeroInit/);
    expect(() => initializeNetwork('mup', [[3, 2]], createRng(1))).to.throw(ShapeError, /the widths of shapes must be .* at least one hidden layer/);
    expect(() => initializeNetwork('mup', [[3, 2], [2, 3]], createRng(1), { baseWidth: [2, 2] })).to.throw(ShapeError, /options.baseWidth must hold one base width per hidden layer \(1\)/);
  });
});
