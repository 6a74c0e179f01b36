// μP in training (src/nn/optim/mup.ts): mupLrGroups, and the coordinate check of the `mup` package's README.
import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import { createRng, initializeNetwork } from '../../../src/init/index.js';
import { denseFromInit, Linear, mlp, mupLrGroups, SGD, type Sequential } from '../../../src/nn/index.js';
import { mse, noGrad, tensor, type Tensor } from '../../../src/tensor/index.js';

describe('nn/optim: μP learning-rate groups (MuSGD / MuAdam)', () => {
  it('one group per tensor, named after the parameter, with the hand-computed MuSGD rates (m_1 = 4, m_2 = 2)', () => {
    const net = mlp({ widths: [10, 256, 128, 5], init: 'mup', seed: 1 });
    const groups = mupLrGroups(net, 0.1);
    expect(groups.map((g) => g.name)).to.deep.equal(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    const want = [0.4, 0.4, 0.05, 0.2, 0.2, 0.1];
    groups.forEach((g, i) => expect(g.lr, g.name).to.be.closeTo(want[i]!, 1e-15));
    expect(groups[0]!.params).to.deep.equal([{ name: '0.weight', tensor: net.namedParameters()[0]![1] }]);
    expect(mupLrGroups(net, 0.1, { optimizer: 'adam' }).map((g) => g.lr)).to.deep.equal([0.1, 0.1, 0.1 / 4, 0.1, 0.1, 0.1]);
    expect(mupLrGroups(net, 1, { baseWidth: [32, 64] }).map((g) => g.lr)).to.deep.equal([8, 8, 2 / 8, 2, 2, 1]);
    // mlp applies the entry's MuReadout multiplier outputMult/m_2 = 1/2 as the readout Linear's forward scale
    expect(net.children().filter((m): m is Linear => m instanceof Linear).map((l) => l.scale)).to.deep.equal([1, 1, 0.5]);
  });

  it('reads dense layers { W, b } too (a missing bias has no group), and rejects what is not an MLP', () => {
    const layers = denseFromInit(initializeNetwork('he_normal', [[128, 3], [2, 128]], createRng(1)));
    expect(mupLrGroups(layers, 1).map((g) => [g.name, g.lr])).to.deep.equal([['layer0.W', 2], ['layer0.b', 2], ['layer1.W', 2], ['layer1.b', 1]]);
    expect(mupLrGroups([{ W: layers[0]!.W }, { W: layers[1]!.W, b: null }], 1).map((g) => g.name)).to.deep.equal(['layer0.W', 'layer1.W']);
    expect(() => mupLrGroups([layers[0]!], 1)).to.throw(ShapeError, /at least one hidden layer/);
    expect(() => mupLrGroups([layers[1]!, layers[0]!], 1)).to.throw(ShapeError, /consecutive layers must chain/);
    expect(() => mupLrGroups([], 1)).to.throw(DomainError, /non-empty/);
    expect(() => mupLrGroups([{ W: 3 }] as never, 1)).to.throw(DomainError, /layers\[0\] must be a layer/);
    expect(() => mupLrGroups(layers, 0)).to.throw(DomainError, /baseLr must be in \(0, Infinity\), got 0/);
    expect(() => mupLrGroups(layers, 1, { baseWidth: [1, 2] })).to.throw(ShapeError, /options.baseWidth must hold one base width per hidden layer \(1\)/);
    expect(() => mupLrGroups(layers, 1, { optimiser: 'sgd' } as never)).to.throw(DomainError, /optimiser/);
    expect(() => mupLrGroups({} as never, 1)).to.throw(DomainError, /model.forward must be a function/);
  });
});

describe('nn/optim: μP coordinate check (ReLU MLP, widths 64 … 1024)', function () {
  this.timeout(120_000);
  // A fixed synthetic regression batch: 32 samples, 16 features, 4 targets, N(0, 1).
  const B = 32;
  const D = 16;
  const K = 4;
  const r = createRng(99);
  const x = tensor(Float64Array.from({ length: B * D }, () => r.nextNormal()), [B, D], { dtype: 'float64' });
  const y = tensor(Float64Array.from({ length: B * K }, () => r.nextNormal()), [B, K], { dtype: 'float64' });
  const WIDTHS = [64, 128, 256, 512, 1024];
  const LR = 0.02;
  const STEPS = 3;

  /** The outputs of the two ReLUs and of the network on the batch. */
  const activations = (net: Sequential): Float64Array[] =>
    noGrad(() => {
      const out: Float64Array[] = [];
      let h: Tensor = x;
      for (const m of net.children()) {
        h = m.forward(h);
        if (!(m instanceof Linear)) out.push(Float64Array.from(h.dense()));
      }
      out.push(Float64Array.from(h.dense()));
      return out;
    });

  /** Mean |h_l(after STEPS SGD steps) − h_l(init)| per layer, for one width and parametrization. */
  const coordChange = (n: number, mup: boolean): number[] => {
    const widths = [D, n, n, K];
    const net = mup
      ? mlp({ widths, init: 'mup', initOptions: { baseWidth: 64, readoutZeroInit: true }, seed: 5, dtype: 'float64' })
      : mlp({ widths, init: 'kaiming_normal', seed: 5, dtype: 'float64' });
    const opt = mup ? new SGD(mupLrGroups(net, LR, { baseWidth: 64 })) : new SGD(net.parameters(), { lr: LR });
    const before = activations(net);
    for (let t = 0; t < STEPS; t++) {
      opt.zeroGrad();
      mse(net.forward(x), y).backward();
      opt.step();
    }
    const after = activations(net);
    return before.map((a, l) => a.reduce((s, v, i) => s + Math.abs(after[l]![i]! - v), 0) / a.length);
  };

  /** Least-squares slope of ln(change) against ln(width). */
  const slope = (changes: number[]): number => {
    const lx = WIDTHS.map(Math.log);
    const ly = changes.map(Math.log);
    const mx = lx.reduce((a, b) => a + b) / lx.length;
    const my = ly.reduce((a, b) => a + b) / ly.length;
    let sxy = 0;
    let sxx = 0;
    lx.forEach((v, i) => {
      sxy += (v - mx) * (ly[i]! - my);
      sxx += (v - mx) * (v - mx);
    });
    return sxy / sxx;
  };

  const slopes = (mup: boolean): number[] => {
    const rows = WIDTHS.map((n) => coordChange(n, mup));
    return rows[0]!.map((_, l) => slope(rows.map((row) => row[l]!)));
  };

  it('μP with mupLrGroups: the change of every layer is flat in width; SP with one rate grows with width', () => {
    // Tolerance: μP promises Θ(1) changes, with finite-width deviations of relative size about 1/√n, at most
    // 1/√64 = 12.5 % (ln 1.125 = 0.118) at the narrowest width. For five equally spaced ln n, a least-squares slope
    // moves by at most Σ|x_i − x̄|·max|δ| / Σ(x_i − x̄)² = (6 ln 2)/(10 (ln 2)²)·0.118 = 0.102 under such
    // deviations: |slope| ≤ 0.1. Measured (seed 5): 0.027, 0.026, 0.009. With the μP init but
    // one rate for every tensor instead of mupLrGroups the slopes are −1.94, −0.98, −0.75 (the check fails).
    const mu = slopes(true);
    mu.forEach((s, l) => expect(Math.abs(s), `μP layer ${l} slope ${s}`).to.be.below(0.1));
    // Standard parametrization (He init, readout included; one rate): in the linear regime a hidden coordinate moves
    // ∝ √n and the output ∝ n (slopes 1/2 and 1). Measured: 0.65, 1.08, 0.72. Each must leave μP's band by a
    // factor of 3 (> 0.3).
    const sp = slopes(false);
    sp.forEach((s, l) => expect(s, `SP layer ${l} slope ${s}`).to.be.above(0.3));
  });
});
