// meanFieldNet on autograd tensors against the float64 plain-loop oracle (test/support/meanfield-oracle.ts): forward,
// back-propagation and several SGD steps with the mean-field per-layer rates agree to 1e-12, sigmoid and ReLU.
import { expect } from 'chai';
import { createRng, meanFieldInit, type MeanFieldBias, type MeanFieldOutputInit, type MeanFieldParams } from '../../../src/init/index.js';
import { DataLoader, fit, halfSquaredError, Linear, meanFieldNet, regressionDataset, SGD, type MeanFieldNet } from '../../../src/nn/index.js';
import { tensor, type Tensor } from '../../../src/tensor/index.js';
import { meanFieldForward, meanFieldGradients, meanFieldSgdStep } from '../../support/meanfield-oracle.js';

/**
 * |a − b| ≤ 1e-12·(1 + |b|) elementwise. The two computations differ only in rounding: the tensor Linear scales its
 * input before the product (Σ W (c·h)) where the oracle scales the sum (c·Σ W h), and the loss gradient goes through
 * mse's 2/(BK) times K/2 instead of 1/B; a few ulps per operation, far below 1e-12 at these sizes.
 */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-12 * (1 + Math.abs(want[i]!));
    expect(Math.abs(got[i]! - want[i]!), `${what}[${i}]: ${got[i]} vs ${want[i]}`).to.be.at.most(tol);
  }
}

/** The net's current weights as oracle params (raw weights: the factors are the Linear scales, checked separately). */
function paramsOf(net: MeanFieldNet): MeanFieldParams {
  const layers = [];
  for (let i = 0; i < net.model.length; i += 2) {
    const lin = net.model.at(i) as Linear;
    const W = Float64Array.from(lin.weight.dense());
    layers.push(lin.bias === null ? { W, shape: [lin.outFeatures, lin.inFeatures] } : { W, b: Float64Array.from(lin.bias.dense()), shape: [lin.outFeatures, lin.inFeatures] });
  }
  return { widths: net.widths, layers };
}

/** A random configuration from `seed`: 1–3 hidden layers of 2–12 units, d in 1–6, K in 1–3, γ's in [1/2, 1]. */
function config(seed: number) {
  const r = createRng(seed);
  const L = 1 + r.nextInt(3);
  const widths = [1 + r.nextInt(6), ...Array.from({ length: L }, () => 2 + r.nextInt(11)), 1 + r.nextInt(3)];
  const gammas = Array.from({ length: L }, () => 0.5 + 0.5 * r.nextFloat64());
  const bias: MeanFieldBias = (['none', 'torch-default', 'zeros'] as const)[r.nextInt(3)]!;
  const outputInit: MeanFieldOutputInit = r.nextInt(2) === 0 ? 'centered' : 'authors-code';
  const B = 1 + r.nextInt(5);
  const x = Float64Array.from({ length: B * widths[0]! }, () => r.nextNormal());
  const y = Float64Array.from({ length: B * widths[L + 1]! }, () => r.nextNormal());
  return { widths, gammas, bias, outputInit, B, x, y };
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

for (const activation of ['sigmoid', 'relu'] as const) {
  describe(`nn/meanfield: meanFieldNet (${activation}) matches the float64 oracle`, () => {
    it('same seed ⇒ the weights of meanFieldInit; Linear l carries N_l^−γ_l; forward equals the oracle (1e-12)', () => {
      for (const seed of SEEDS) {
        const c = config(seed);
        const net = meanFieldNet({ widths: c.widths, gammas: c.gammas, activation, seed: 100 + seed, outputInit: c.outputInit, bias: c.bias, dtype: 'float64' });
        const p = meanFieldInit(c.widths, createRng(100 + seed), { outputInit: c.outputInit, bias: c.bias, dtype: 'float64' });
        const mine = paramsOf(net);
        p.layers.forEach((layer, l) => {
          expect(Array.from(mine.layers[l]!.W), `seed ${seed} W${l}`).to.deep.equal(Array.from(layer.W));
          const b = mine.layers[l]!.b;
          if (c.bias === 'none') expect(b, `seed ${seed} b${l}`).to.equal(undefined);
          else expect(Array.from(b!), `seed ${seed} b${l}`).to.deep.equal(Array.from(layer.b!));
          expect((net.model.at(2 * l) as Linear).scale).to.equal(l === 0 ? 1 : Math.pow(c.widths[l]!, -c.gammas[l - 1]!));
        });
        const out = net.model.forward(tensor(c.x, [c.B, c.widths[0]!], { dtype: 'float64' })).dense();
        expectClose(out, meanFieldForward(p, c.x, { gammas: c.gammas, activation }).output, `seed ${seed} g`);
      }
    });

    it('backward of halfSquaredError equals the oracle gradients (1e-12)', () => {
      for (const seed of SEEDS) {
        const c = config(seed);
        const net = meanFieldNet({ widths: c.widths, gammas: c.gammas, activation, seed: 200 + seed, outputInit: c.outputInit, bias: c.bias, dtype: 'float64' });
        const K = c.widths[c.widths.length - 1]!;
        const loss = halfSquaredError(net.model.forward(tensor(c.x, [c.B, c.widths[0]!], { dtype: 'float64' })), tensor(c.y, [c.B, K], { dtype: 'float64' }));
        loss.backward();
        const want = meanFieldGradients(paramsOf(net), c.x, c.y, { gammas: c.gammas, activation });
        want.forEach((g, l) => {
          const lin = net.model.at(2 * l) as Linear;
          expectClose((lin.weight.grad as Tensor).dense(), g.W, `seed ${seed} ∇W${l}`);
          if (g.b) expectClose((lin.bias!.grad as Tensor).dense(), g.b, `seed ${seed} ∇b${l}`);
          else expect(lin.bias).to.equal(null);
        });
      }
    });

    it('five SGD steps with the mean-field per-layer rates (new SGD(net.groups)) equal the oracle steps (1e-12)', () => {
      let moved = 0;
      for (const seed of SEEDS) {
        const c = config(seed);
        const net = meanFieldNet({ widths: c.widths, gammas: c.gammas, activation, seed: 300 + seed, outputInit: c.outputInit, bias: c.bias, dtype: 'float64' });
        expect(net.groups.map((g) => g.lr)).to.deep.equal([...net.rates]);
        const opt = new SGD(net.groups);
        let p = paramsOf(net);
        const K = c.widths[c.widths.length - 1]!;
        const xt = tensor(c.x, [c.B, c.widths[0]!], { dtype: 'float64' });
        const yt = tensor(c.y, [c.B, K], { dtype: 'float64' });
        for (let step = 0; step < 5; step++) {
          opt.zeroGrad();
          halfSquaredError(net.model.forward(xt), yt).backward();
          opt.step();
          p = meanFieldSgdStep(p, c.x, c.y, { gammas: c.gammas, activation, rates: net.rates });
          const mine = paramsOf(net);
          p.layers.forEach((layer, l) => {
            expectClose(mine.layers[l]!.W, layer.W, `seed ${seed} step ${step} W${l}`);
            if (layer.b) expectClose(mine.layers[l]!.b!, layer.b, `seed ${seed} step ${step} b${l}`);
          });
        }
        // the steps moved the weights (a test that cannot pass with a no-op optimizer)
        const init = paramsOf(meanFieldNet({ widths: c.widths, gammas: c.gammas, activation, seed: 300 + seed, outputInit: c.outputInit, bias: c.bias, dtype: 'float64' }));
        const flat = (q: MeanFieldParams): number[] => q.layers.flatMap((layer) => [...layer.W, ...(layer.b ?? [])]);
        if (flat(p).some((v, i) => v !== flat(init)[i])) moved++;
      }
      // A ReLU net whose last hidden layer is dead on the whole batch (no bias) has zero gradients: allow a few such seeds.
      expect(moved, 'configurations whose weights moved').to.be.at.least(SEEDS.length - 3);
    });

    it('fit with halfSquaredError and SGD(net.groups) runs the oracle’s SGD on the same batches (1e-12)', () => {
      const widths = [3, 9, 7, 2];
      const gammas = [0.8, 0.6];
      const n = 12;
      const r = createRng(41);
      const xs = Float32Array.from({ length: n * 3 }, () => r.nextNormal());
      const ys = Float32Array.from({ length: n * 2 }, () => r.nextNormal());
      const data = new DataLoader(regressionDataset(xs, [n, 3], ys, [2]), { batchSize: 4, shuffle: false, dtype: 'float64' });
      const net = meanFieldNet({ widths, gammas, activation, seed: 42, outputInit: 'centered', bias: 'torch-default', dtype: 'float64' });
      let p = paramsOf(net);
      const res = fit(net.model, { data, loss: halfSquaredError, optimizer: new SGD(net.groups), epochs: 2, progress: false });
      const losses: number[] = [];
      for (let e = 0; e < 2; e++) {
        for (let k = 0; k < 3; k++) {
          const x = Float64Array.from(xs.subarray(k * 12, (k + 1) * 12));
          const y = Float64Array.from(ys.subarray(k * 8, (k + 1) * 8));
          const g = meanFieldForward(p, x, { gammas, activation }).output;
          losses.push(g.reduce((s, v, i) => s + 0.5 * (v - y[i]!) ** 2, 0) / 4);
          p = meanFieldSgdStep(p, x, y, { gammas, activation, rates: net.rates });
        }
      }
      expectClose(res.steps.map((s) => s.loss), losses, 'loss history');
      expect(res.steps[0]!.lr).to.deep.equal([...net.rates]);
      const mine = paramsOf(net);
      p.layers.forEach((layer, l) => {
        expectClose(mine.layers[l]!.W, layer.W, `W${l}`);
        expectClose(mine.layers[l]!.b!, layer.b!, `b${l}`);
      });
    });
  });
}
