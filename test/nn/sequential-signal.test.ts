import { expect } from 'chai';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/init/index.js';
import { activationDiagnostics, Linear, mlp, ReLU, Sequential, Tanh, type Dense } from '../../src/nn/index.js';
import { sequentialForward, sequentialLayers } from '../../src/nn/signal.js';
import { tensor, type Tensor } from '../../src/tensor/index.js';

const relClose = (a: number, b: number, tol: number): void => {
  expect(Math.abs(a - b), `${a} vs ${b}`).to.be.at.most(tol * Math.max(Math.abs(a), Math.abs(b)));
};

/** A float64 5-7-6-3 ReLU Sequential with a layer scale, its Dense twin (the same tensors' values), a batch of 8. */
function twins(): { seq: Sequential; dense: Dense[]; x: Tensor; labels: number[] } {
  const seq = mlp({ widths: [5, 7, 6, 3], init: 'meanfield', initOptions: { gammas: 0.75, outputInit: 'centered' }, seed: 4, dtype: 'float64' });
  const dense: Dense[] = sequentialLayers(seq).map(({ linear }) => ({
    W: tensor(linear.weight.dense(), [...linear.weight.shape], { dtype: 'float64', requiresGrad: true }),
    b: linear.bias === null ? null : tensor(linear.bias.dense(), [...linear.bias.shape], { dtype: 'float64', requiresGrad: true }),
    scale: linear.scale,
  }));
  const rng = createRng(9);
  const x = tensor(Float64Array.from({ length: 40 }, () => rng.nextNormal()), [8, 5], { dtype: 'float64' });
  return { seq, dense, x, labels: [0, 1, 2, 0, 1, 2, 0, 1] };
}

describe('nn/signal: activation diagnostics of a Sequential', () => {
  it('gives the Dense path\'s numbers on the same weights (γ̂ by the rank-one identity vs per-sample gradients)', () => {
    const { seq, dense, x, labels } = twins();
    expect(sequentialLayers(seq).map((l) => l.linear.scale)).to.not.deep.equal([1, 1, 1]); // the scale is exercised
    const a = activationDiagnostics(dense, x, labels, { s: 1.5 });
    const b = activationDiagnostics(seq, x, labels, { s: 1.5 });
    expect(b.length).to.equal(3);
    b.forEach((d, l) => {
      const r = a[l]!;
      // float64 throughout: the two paths differ only in summation order
      relClose(d.preactSecondMoment, r.preactSecondMoment, 1e-12);
      relClose(d.activationNormMoment, r.activationNormMoment, 1e-12);
      relClose(d.activationSecondMoment, r.activationSecondMoment, 1e-12);
      relClose(d.gamma, r.gamma, 1e-10);
      expect(d.deadFraction).to.equal(r.deadFraction);
    });
    expect(b[2]!.deadFraction).to.equal(null);
  });

  it('restores the mode and the gradients; sequentialForward equals forward', () => {
    const { seq, x, labels } = twins();
    const W = seq.parameters()[0]!;
    const marker = tensor(new Float64Array(W.size).fill(3), [...W.shape], { dtype: 'float64' });
    W.grad = marker;
    seq.train(true);
    activationDiagnostics(seq, x, labels);
    expect(W.grad).to.equal(marker);
    expect(seq.training).to.equal(true);
    expect(Array.from(sequentialForward(sequentialLayers(seq), x).dense())).to.deep.equal(Array.from(seq.forward(x).dense()));
  });

  it('rejects what it cannot walk, naming it', () => {
    const l = (i: number, o: number): Linear => new Linear(i, o, { seed: 1 });
    expect(() => sequentialLayers(new Sequential(new ReLU(), l(2, 3)))).to.throw(DomainError, /must start with a Linear/);
    expect(() => sequentialLayers(new Sequential(l(2, 3), l(4, 2)))).to.throw(ShapeError, /child 1: a Linear with 4 inputs follows one with 3 outputs/);
    expect(() => sequentialLayers(new Sequential(l(2, 3), new Sequential(l(3, 3))))).to.throw(DomainError, /child 1 \(Sequential\) has parameters/);
    expect(() => sequentialLayers([] as never)).to.throw(DomainError, /must be a Sequential/);
    const ok = new Sequential(l(2, 3), new Tanh(), l(3, 2));
    expect(sequentialLayers(ok).map((s) => s.after.length)).to.deep.equal([1, 0]);
    const x = tensor([1, 2, 3, 4], [2, 2]);
    expect(() => activationDiagnostics(ok, tensor([1, 2, 3], [1, 3]), [0])).to.throw(ShapeError, /x must be a non-empty batch \[B, 2\]/);
    expect(() => activationDiagnostics(ok, x, [0, 1], { s: -1 })).to.throw(DomainError, /options.s/);
  });
});
