// meanFieldNet: the learning-rate table of the mean-field rules reproduced through src/nn's parameter groups, the
// groups' contents, and bad options.
import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/index.js';
import { halfSquaredError, Linear, meanFieldNet, ReLU, Sigmoid, Tanh } from '../../../src/nn/index.js';
import { tensor } from '../../../src/tensor/index.js';
import { RATE_TABLE, RATE_TABLE_TOLERANCE, RATE_TABLE_WIDTH } from '../../support/meanfield-table.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('nn/meanfield: meanFieldNet learning-rate groups', () => {
  it('reproduces every row of the table (MLP3 and MLP2, N = 100, MNIST widths), one group per Linear with its weight and bias', () => {
    for (const [gammas, want] of RATE_TABLE) {
      const widths = [784, ...gammas.map(() => RATE_TABLE_WIDTH), 10];
      const net = meanFieldNet({ widths, gammas, seed: 1, bias: 'torch-default' });
      expect(net.groups.length).to.equal(want.length);
      net.groups.forEach((g, l) => {
        expect(rel(g.lr, want[l]!), `γ ${gammas}, layer ${l}: ${g.lr}`).to.be.at.most(RATE_TABLE_TOLERANCE);
        const lin = net.model.at(2 * l) as Linear;
        expect(g.params).to.deep.equal([{ name: `${2 * l}.weight`, tensor: lin.weight }, { name: `${2 * l}.bias`, tensor: lin.bias }]);
      });
      expect(net.rates).to.deep.equal(net.groups.map((g) => g.lr));
      // every trainable tensor of the model is in exactly one group
      expect(net.groups.flatMap((g) => g.params.map((p) => (p as { tensor: unknown }).tensor))).to.have.members(net.model.parameters());
    }
  });

  it('MLP3 γ = 0.7: α_1 = 10^−3.6, α_2 = 10^−1.6, α_3 = 10^−0.4, α_C = 10^−1.2; baseLr multiplies every rate', () => {
    const net = meanFieldNet({ widths: [784, 100, 100, 100, 10], gammas: 0.7, seed: 2 });
    [-3.6, -1.6, -0.4, -1.2].forEach((e, l) => expect(rel(net.groups[l]!.lr, 10 ** e)).to.be.below(1e-12));
    const half = meanFieldNet({ widths: [784, 100, 100, 100, 10], gammas: 0.7, seed: 2, baseLr: 0.5 });
    half.groups.forEach((g, l) => expect(g.lr).to.equal(0.5 * net.groups[l]!.lr));
  });

  it('no bias: groups hold the weights only; deeper nets need rule "inferred" (refused before any draw otherwise)', () => {
    const net = meanFieldNet({ widths: [3, 4, 5, 2], seed: 3 });
    expect(net.groups.map((g) => g.params.length)).to.deep.equal([1, 1, 1]);
    expect((net.model.at(0) as Linear).bias).to.equal(null);
    const deep = [3, 8, 8, 8, 8, 2];
    expect(() => meanFieldNet({ widths: deep, seed: 3 })).to.throw(DomainError, /verified formulas exist only for 1–3 hidden layers.*\(inferred\)/);
    expect(meanFieldNet({ widths: deep, seed: 3, rule: 'inferred' }).rates).to.deep.equal([1, 8, 8, 8, 1]);
  });

  it('activation: sigmoid by default (the authors’ code), relu and tanh on request; γ defaults to 1', () => {
    expect(meanFieldNet({ widths: [3, 4, 2], seed: 1 }).model.at(1)).to.be.instanceOf(Sigmoid);
    expect(meanFieldNet({ widths: [3, 4, 2], seed: 1, activation: 'relu' }).model.at(1)).to.be.instanceOf(ReLU);
    expect(meanFieldNet({ widths: [3, 4, 2], seed: 1, activation: 'tanh' }).model.at(1)).to.be.instanceOf(Tanh);
    const net = meanFieldNet({ widths: [3, 4, 5, 2], seed: 1 });
    expect(net.gammas).to.deep.equal([1, 1]);
    expect((net.model.at(4) as Linear).scale).to.equal(1 / 5);
  });

  it('bad options are typed errors naming the option', () => {
    expect(() => meanFieldNet({ widths: [3, 4, 2] })).to.throw(DomainError, /options\.seed is required/);
    expect(() => meanFieldNet({ widths: [3, 2], seed: 1 })).to.throw(ShapeError, /options\.widths must be an array \[d, N_1, …, N_L, K\] of at least 3/);
    expect(() => meanFieldNet({ widths: [3, 4, 2], seed: 1, gammas: 0.4 })).to.throw(DomainError, 'options.gammas must be in [1/2, 1], got 0.4');
    expect(() => meanFieldNet({ widths: [3, 4, 5, 2], seed: 1, gammas: [1] })).to.throw(ShapeError, /options\.gammas must have one entry per hidden layer/);
    expect(() => meanFieldNet({ widths: [3, 4, 2], seed: 1, activation: 'gelu' as 'relu' })).to.throw(DomainError, /options\.activation must be one of/);
    expect(() => meanFieldNet({ widths: [3, 4, 2], seed: 1, bias: true as never })).to.throw(DomainError, /options\.bias must be one of/);
    expect(() => meanFieldNet({ widths: [3, 4, 2], seed: 1, baseLr: 0 })).to.throw(DomainError, /options\.baseLr/);
    expect(() => meanFieldNet({ widths: [3, 4, 2], seed: 1, lr: 1 } as never)).to.throw(DomainError, /unknown option options\.lr for meanFieldNet/);
  });

  it('halfSquaredError = ½·mean_b ‖y_b − g_b‖²; labels are refused', () => {
    const out = tensor([[1, 2], [3, 5]], undefined, { dtype: 'float64' });
    const y = tensor([[0, 0], [1, 1]], undefined, { dtype: 'float64' });
    expect(halfSquaredError(out, y).item()).to.equal((0.5 * (1 + 4) + 0.5 * (4 + 16)) / 2);
    expect(() => halfSquaredError(out, Int32Array.from([0, 1]))).to.throw(DomainError, /y must be a Tensor of regression targets/);
    expect(() => halfSquaredError(tensor([1, 2]), y)).to.throw(ShapeError, /out must be a Tensor \[batch, outputs\]/);
  });
});
