import { expect } from 'chai';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { listInitializers } from '../../src/init/index.js';
import { Linear, mlp } from '../../src/nn/index.js';
import { tensor } from '../../src/tensor/index.js';

const widths = [4, 5, 6, 3];
const data = { x: Float64Array.from({ length: 8 * 4 }, (_, i) => Math.sin(i + 1)), shape: [8, 4] };
/** Options some schemes require (no default exists for them). */
const NEEDS: Record<string, Record<string, unknown>> = { constant: { value: 0.1 }, sparse: { sparsity: 0.5 } };
const CONV_ONLY = new Set(['dirac']);

describe('nn: mlp builder over the whole registry', () => {
  const x = tensor(data.x, [8, 4], { dtype: 'float64' });
  for (const e of listInitializers()) {
    it(`${e.name} (${e.kind}): ${CONV_ONLY.has(e.name) ? 'a conv-only scheme gives a ShapeError' : 'builds a net whose forward is finite'}`, () => {
      const build = (): ReturnType<typeof mlp> => mlp({ widths, init: e.name, initOptions: NEEDS[e.name], seed: 7, data, dtype: 'float64' });
      if (CONV_ONLY.has(e.name)) {
        expect(build).to.throw(ShapeError);
        return;
      }
      const net = build();
      const linears = net.children().filter((m): m is Linear => m instanceof Linear);
      expect(linears.map((l) => l.weight.shape)).to.deep.equal([[5, 4], [6, 5], [3, 6]]);
      const y = net.forward(x).dense();
      expect(y.length).to.equal(24);
      expect(Array.from(y).every(Number.isFinite)).to.equal(true);
    });
  }

  it('meanfield: the N^−γ factors are on the Linear layers, not in the weights', () => {
    const net = mlp({ widths, init: 'meanfield', initOptions: { gammas: [0.7, 0.9] }, seed: 3 });
    const linears = net.children().filter((m): m is Linear => m instanceof Linear);
    expect(linears.map((l) => l.scale)).to.deep.equal([1, Math.pow(5, -0.7), Math.pow(6, -0.9)]);
  });

  it('a tensor scheme draws layer l from stream l, as initializeNetwork does (same weights)', async () => {
    const { initializeNetwork, createRng } = await import('../../src/init/index.js');
    const ref = initializeNetwork('he_normal', [[5, 4], [6, 5], [3, 6]], createRng(7), { dtype: 'float64' });
    const net = mlp({ widths, init: 'he_normal', initOptions: { dtype: 'float64' }, seed: 7, dtype: 'float64' });
    const linears = net.children().filter((m): m is Linear => m instanceof Linear);
    linears.forEach((l, i) => expect(Array.from(l.weight.dense())).to.deep.equal(Array.from(ref[i]!.W)));
  });

  it('names the layers 0, 2, 4 with activations between; lps without data and bad options are typed errors', () => {
    const net = mlp({ widths: [2, 3, 1], activation: 'tanh', seed: 1 });
    expect(net.namedParameters().map(([n]) => n)).to.deep.equal(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(() => mlp({ widths, init: 'lps_r', seed: 1 })).to.throw(ShapeError, /context.data/);
    expect(() => mlp({ widths: [3], seed: 1 })).to.throw(DomainError, /widths/);
    expect(() => mlp({ widths })).to.throw(DomainError, /seed is required/);
    expect(() => mlp({ widths, seed: 1, activation: 'gelu' as never })).to.throw(DomainError, /activation/);
    expect(() => mlp({ widths, seed: 1, init: 'lps_r', data, bias: false })).to.throw(DomainError, /non-zero bias/);
  });
});
