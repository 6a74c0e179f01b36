import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import { createRng, initializeNetwork, pathNorm } from '../../../src/init/index.js';
import {
  classificationDataset, Conv2d, DataLoader, fit, Flatten, Linear, ReLU, Sequential, SGD,
  activationDiagnostics, denseFromInit, densePathNorm, jacobianNorm, mlpForward, signalPropagation, weightDiagnostics, type Dense,
} from '../../../src/nn/index.js';
import { crossEntropy, tensor, type Tensor } from '../../../src/tensor/index.js';
import { TinyMlp } from './tiny-model.js';

const meanSq = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v * v, 0) / a.length;
const relClose = (a: number, b: number, tol = 1e-12): void => {
  expect(Math.abs(a - b), `${a} vs ${b}`).to.be.at.most(tol * Math.max(Math.abs(a), Math.abs(b)));
};

/** A float64 3-5-4-2 He net and a batch of 6 with labels. */
function tiny(seed = 4): { layers: Dense[]; x: Tensor; labels: number[] } {
  const layers = denseFromInit(initializeNetwork('kaiming_normal', [[5, 3], [4, 5], [2, 4]], createRng(seed)), { dtype: 'float64' });
  const rng = createRng(seed + 100);
  const x = tensor(Array.from({ length: 18 }, () => rng.nextNormal()), [6, 3], { dtype: 'float64' });
  return { layers, x, labels: [0, 1, 1, 0, 1, 0] };
}

describe('nn/diagnostics', () => {
  it('weightDiagnostics: E[W²] and E[(∂L/∂W)²] per (weight, bias) pair, null before any backward', () => {
    const { layers, x, labels } = tiny();
    const model = new TinyMlp(layers);
    const d0 = weightDiagnostics(model);
    expect(d0.map((d) => [d.weight, d.fanIn, d.fanOut])).to.deep.equal([['0.weight', 3, 5], ['1.weight', 5, 4], ['2.weight', 4, 2]]);
    expect(d0.every((d) => d.weightGradSecondMoment === null)).to.equal(true);
    crossEntropy(model.forward(x), labels).backward();
    weightDiagnostics(model).forEach((d, l) => {
      relClose(d.weightSecondMoment, meanSq(layers[l]!.W.dense()));
      relClose(d.weightGradSecondMoment!, meanSq(layers[l]!.W.grad!.dense()));
    });
  });

  it('weightDiagnostics rejects parameters that are not (weight, bias) pairs', () => {
    const { layers } = tiny();
    const bad = Object.assign(new TinyMlp(layers), { namedParameters: () => [['b', layers[0]!.b!] as const] });
    expect(() => weightDiagnostics(bad)).to.throw(ShapeError, /parameter "b" must be a weight \[out, in, …\]/);
    const wrongBias = Object.assign(new TinyMlp(layers), { namedParameters: () => [['w', layers[1]!.W] as const, ['b', layers[0]!.b!] as const] });
    expect(() => weightDiagnostics(wrongBias)).to.throw(ShapeError, /must be the bias of "w" of length 4/);
    expect(() => weightDiagnostics({} as never)).to.throw(DomainError, /model.forward must be a function/);
  });

  it('weightDiagnostics reads conv kernels [out, in, kh, kw] with PyTorch fans in·kh·kw / out·kh·kw; fit records them on a CNN', () => {
    const cnn = new Sequential(new Conv2d(2, 3, [3, 2], { padding: 1, seed: 1 }), new ReLU(), new Flatten(), new Linear(3 * 5 * 7, 2, { seed: 2 }));
    const d = weightDiagnostics(cnn);
    expect(d.map((l) => [l.weight, l.fanIn, l.fanOut])).to.deep.equal([['0.weight', 2 * 3 * 2, 3 * 3 * 2], ['3.weight', 105, 2]]);
    relClose(d[0]!.weightSecondMoment, meanSq((cnn.at(0) as Conv2d).weight.dense()));
    const rng = createRng(9);
    const n = 8;
    const data = classificationDataset(Float32Array.from({ length: n * 2 * 5 * 6 }, () => rng.nextNormal()), [n, 2, 5, 6], Int32Array.from({ length: n }, (_, i) => i % 2), 2);
    const run = fit(cnn, { data: new DataLoader(data, { batchSize: 4, seed: 3 }), loss: 'cross_entropy', optimizer: new SGD(cnn.parameters(), { lr: 0.01 }), steps: 4, every: 2, progress: false });
    expect(run.diagnostics.map((r) => r.step)).to.deep.equal([1, 3]);
    expect(run.diagnostics[1]!.layers[0]!.weightGradSecondMoment).to.be.greaterThan(0);
  });

  it('activationDiagnostics: γ̂ from per-sample backward passes, E‖h‖^s, signalPropagation moments; gradients restored', () => {
    const { layers, x, labels } = tiny();
    const marker = tensor(new Float64Array(15).fill(7), [5, 3], { dtype: 'float64' });
    layers[0]!.W.grad = marker;
    const s = 1.5;
    const diag = activationDiagnostics(layers, x, labels, { s });
    expect(layers[0]!.W.grad).to.equal(marker);
    expect(layers[1]!.W.grad).to.equal(null);
    const signal = signalPropagation(layers, x, labels);
    const xs = x.dense();
    layers.forEach((layer, l) => {
      // direct γ̂: one backward per sample (batch of one, so ∂ℓ_i/∂W is the gradient itself)
      let acc = 0;
      const norms: number[] = [];
      for (let i = 0; i < 6; i++) {
        const xi = tensor(xs.slice(3 * i, 3 * i + 3), [1, 3], { dtype: 'float64' });
        for (const L of layers) L.W.zeroGrad();
        crossEntropy(mlpForward(layers, xi), [labels[i]!]).backward();
        acc += meanSq(layer.W.grad!.dense()) / meanSq(layer.W.dense());
        // layer l's output on sample i: the first l+1 layers end linear, so apply the ReLU for hidden layers
        const h = mlpForward(layers.slice(0, l + 1), xi).dense();
        const act = l + 1 < layers.length ? Array.from(h, (v) => Math.max(0, v)) : Array.from(h);
        norms.push(Math.pow(Math.sqrt(act.reduce((a, v) => a + v * v, 0)), s));
      }
      const d = diag[l]!;
      relClose(d.gamma, acc / 6, 1e-10);
      relClose(d.activationNormMoment, norms.reduce((a, b) => a + b, 0) / 6, 1e-12);
      expect(d.preactSecondMoment).to.equal(signal.layers[l]!.preactSecondMoment);
      expect(d.deadFraction).to.equal(signal.layers[l]!.deadFraction);
    });
  });

  it('activationDiagnostics: γ̂ is that of the effective weight scale·W (scale folded in gives the same γ̂)', () => {
    const { layers, x, labels } = tiny();
    const scaled = layers.map((l, i) => (i === 1 ? { ...l, W: tensor(Float64Array.from(l.W.dense(), (w) => w / 2), [...l.W.shape], { dtype: 'float64', requiresGrad: true }), scale: 2 } : l));
    const a = activationDiagnostics(layers, x, labels);
    const b = activationDiagnostics(scaled, x, labels);
    a.forEach((d, l) => relClose(b[l]!.gamma, d.gamma, 1e-12));
    expect(() => activationDiagnostics(layers, x, labels, { s: 0 })).to.throw(DomainError, /options.s/);
    expect(() => activationDiagnostics(layers, x, labels, { order: 2 } as never)).to.throw(DomainError, /unknown option options.order/);
  });

  it('densePathNorm: src/init pathNorm on float64 copies; hand value on a 1-1-1 net; scale ≠ 1 rejected', () => {
    const f = (v: number[], s: number[]): Tensor => tensor(v, s, { dtype: 'float64', requiresGrad: true });
    const net: Dense[] = [{ W: f([2], [1, 1]), b: f([3], [1]), scale: 1 }, { W: f([-5], [1, 1]), b: f([0.5], [1]), scale: 1 }];
    // paths: input→out (2·−5)², bias₁→out (3·−5)², bias₂ 0.5²
    relClose(densePathNorm(net), Math.sqrt(100 + 225 + 0.25));
    relClose(densePathNorm(net, 1), 10 + 15 + 0.5);
    const { layers } = tiny();
    const mlp = layers.map((l) => ({ W: Float64Array.from(l.W.dense()), b: Float64Array.from(l.b!.dense()), shape: [...l.W.shape] }));
    expect(densePathNorm(layers)).to.equal(pathNorm(mlp));
    expect(() => densePathNorm([{ ...net[0]!, scale: 2 }, net[1]!])).to.throw(DomainError, /scale must be 1/);
  });

  it('jacobianNorm: seeded Hutchinson estimate of ‖W‖_F for a linear model, within 5 standard errors', () => {
    const rng = createRng(3);
    const W = tensor(Array.from({ length: 12 }, () => rng.nextNormal()), [3, 4], { dtype: 'float64', requiresGrad: true });
    const model = new TinyMlp([{ W, b: tensor([0.1, 0.2, 0.3], [3], { dtype: 'float64', requiresGrad: true }), scale: 1 }]);
    const x = tensor(Array.from({ length: 16 }, () => rng.nextNormal()), [4, 4], { dtype: 'float64' });
    const k = 500;
    const est = jacobianNorm(model, x, { seed: 11, projections: k });
    expect(jacobianNorm(model, x, { seed: 11, projections: k })).to.equal(est);
    expect(jacobianNorm(model, x, { seed: 12, projections: k })).to.not.equal(est);
    // J = W for every row. ‖Jᵀv‖² has mean tr(WWᵀ) and variance 2·tr((WWᵀ)²); N = B·k = 2000 draws.
    const w = W.dense();
    const G = [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].reduce((a, c) => a + w[4 * i + c]! * w[4 * j + c]!, 0)));
    const tr = G[0]![0]! + G[1]![1]! + G[2]![2]!;
    const tr2 = G.flat().reduce((a, v) => a + v * v, 0);
    const se = Math.sqrt((2 * tr2) / (4 * k));
    expect(Math.abs(est * est - tr)).to.be.below(5 * se);
    expect(W.grad).to.equal(null);
    expect(model.training).to.equal(true);
    expect(() => jacobianNorm(model, x, {} as never)).to.throw(DomainError, /options.seed is required/);
  });
});
