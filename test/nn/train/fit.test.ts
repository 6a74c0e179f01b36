import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import { DataLoader, evaluate, fit, LrScheduler, SGD, stepDecay, teacherStudent, twoMoons, type StepRecord } from '../../../src/nn/index.js';
import { tensor } from '../../../src/tensor/index.js';
import { TinyMlp } from './tiny-model.js';

const moons = twoMoons(512, { seed: 1, noise: 0.1 });
const loaderOf = (seed = 3): DataLoader => new DataLoader(moons, { batchSize: 64, seed });
const setup = (lr = 0.1, seed = 2): { model: TinyMlp; opt: SGD } => {
  const model = TinyMlp.he([2, 64, 2], seed);
  return { model, opt: new SGD(model.parameters(), { lr, momentum: 0.9 }) };
};

describe('nn/train: fit', () => {
  it('trains a 2-64-2 ReLU MLP on two moons to ≥ 95% train accuracy (fixed seeds), with eval records per epoch', () => {
    const { model, opt } = setup();
    const before = evaluate(model, loaderOf(), 'cross_entropy');
    const res = fit(model, { data: loaderOf(), loss: 'cross_entropy', optimizer: opt, epochs: 40, evalData: loaderOf(), progress: false });
    expect(res.stopped).to.equal(null);
    expect(res.steps).to.have.length(40 * 8);
    expect(res.epochs).to.have.length(40);
    expect(res.steps.map((s) => s.step)).to.deep.equal(Array.from({ length: 320 }, (_, i) => i));
    expect(res.steps[100]).to.include({ epoch: 12 });
    expect(res.steps[0]!.lr).to.deep.equal([0.1]);
    const after = evaluate(model, loaderOf(), 'cross_entropy');
    expect(before.accuracy).to.be.below(0.9);
    expect(after.accuracy).to.be.at.least(0.95);
    expect(after.samples).to.equal(512);
    // the last epoch record's evaluation is the same pass as the evaluate call above (same model, same loader)
    expect(res.epochs[39]!.evalAccuracy).to.equal(after.accuracy);
    expect(res.epochs[39]!.evalLoss).to.equal(after.loss);
    // trainLoss is the mean of the epoch's step losses
    const last = res.steps.filter((s) => s.epoch === 39).map((s) => s.loss);
    expect(res.epochs[39]!.trainLoss).to.equal(last.reduce((a, b) => a + b, 0) / last.length);
    expect(res.epochs[39]!.trainLoss).to.be.below(res.epochs[0]!.trainLoss / 4);
  });

  it('is deterministic: two runs from the same seeds give bit-identical histories', () => {
    const run = (): unknown => {
      const { model, opt } = setup();
      return fit(model, { data: loaderOf(), loss: 'cross_entropy', optimizer: opt, steps: 30, clipNorm: 5, every: 10, progress: false });
    };
    const a = run() as { steps: StepRecord[] };
    const b = run() as { steps: StepRecord[] };
    expect(b).to.deep.equal(a);
    const bits = (r: { steps: StepRecord[] }): Uint8Array => new Uint8Array(Float64Array.from(r.steps.flatMap((s) => [s.loss, s.gradNorm ?? 0])).buffer);
    expect(bits(b)).to.deep.equal(bits(a));
    // a different shuffling seed changes the history (the check above can fail)
    const { model, opt } = setup();
    const c = fit(model, { data: loaderOf(4), loss: 'cross_entropy', optimizer: opt, steps: 30, progress: false });
    expect(c.steps.map((s) => s.loss)).to.not.deep.equal(a.steps.map((s) => s.loss));
  });

  it('stops cleanly on a non-finite loss with a huge learning rate, keeping the history before it', () => {
    const { model, opt } = setup(1e30);
    const res = fit(model, { data: loaderOf(), loss: 'cross_entropy', optimizer: opt, epochs: 5, progress: false });
    expect(res.stopped).to.not.equal(null);
    const stop = res.stopped!;
    expect(stop.reason).to.match(/^loss is (NaN|Infinity|-Infinity) at step \d+/);
    expect(stop.step).to.be.at.least(1);
    expect(res.steps).to.have.length(stop.step);
    for (const s of res.steps) expect(Number.isFinite(s.loss)).to.equal(true);
  });

  it('stops on a non-finite gradient norm when clipping', () => {
    const { model, opt } = setup(1e30);
    const res = fit(model, { data: loaderOf(), loss: 'cross_entropy', optimizer: opt, epochs: 5, clipNorm: 1e300, progress: false });
    expect(res.stopped?.reason).to.match(/^(loss|gradient norm) is/);
    expect(res.steps).to.have.length(res.stopped!.step);
  });

  it('calls onStep every k steps with the record and per-layer diagnostics, onEpoch once per epoch', () => {
    const { model, opt } = setup();
    const seen: number[] = [];
    const moments: (number | null)[] = [];
    const epochs: number[] = [];
    const res = fit(model, {
      data: loaderOf(), loss: 'cross_entropy', optimizer: opt, steps: 20, progress: false, every: 5,
      callbacks: {
        every: 3,
        onStep: (r, ctx) => {
          seen.push(r.step);
          const d = ctx.diagnostics();
          expect(d).to.have.length(2);
          moments.push(d[1]!.weightGradSecondMoment);
        },
        onEpoch: (r) => epochs.push(r.epoch),
      },
    });
    expect(seen).to.deep.equal([2, 5, 8, 11, 14, 17]);
    expect(moments.every((m) => typeof m === 'number' && m > 0)).to.equal(true);
    // 20 steps of 8-batch epochs: epochs 0, 1 complete, epoch 2 cut at its 4th step
    expect(epochs).to.deep.equal([0, 1, 2]);
    expect(res.epochs.map((e) => e.steps)).to.deep.equal([8, 8, 4]);
    expect(res.diagnostics.map((d) => d.step)).to.deep.equal([4, 9, 14, 19]);
  });

  it('advances the scheduler once per step and records the rate each step used', () => {
    const { model, opt } = setup();
    const sched = new LrScheduler(opt, stepDecay({ stepSize: 4, gamma: 0.5 }));
    const res = fit(model, { data: loaderOf(), loss: 'cross_entropy', optimizer: opt, steps: 10, scheduler: sched, progress: false });
    expect(res.steps.map((s) => s.lr[0])).to.deep.equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025]);
    expect(sched.stepCount).to.equal(10);
  });

  it('fits a regression set with mse and a custom loss function', () => {
    const data = teacherStudent(64, { seed: 5, inputDim: 3, hidden: 4, outputDim: 1 });
    const loader = new DataLoader(data, { batchSize: 16, seed: 1 });
    const model = TinyMlp.he([3, 16, 1], 9);
    const res = fit(model, { data: loader, loss: 'mse', optimizer: new SGD(model.parameters(), { lr: 0.05 }), epochs: 20, progress: false });
    expect(res.epochs[19]!.trainLoss).to.be.below(res.epochs[0]!.trainLoss);
    const ev = evaluate(model, loader, 'mse');
    expect(ev.accuracy).to.equal(undefined);
    const bad = (): unknown => fit(model, { data: loader, loss: () => tensor([1, 2]), optimizer: new SGD(model.parameters()), steps: 1, progress: false });
    expect(bad).to.throw(ShapeError, /options.loss must return a one-element Tensor/);
  });

  it('evaluate runs in eval mode and restores the previous mode', () => {
    const { model } = setup();
    const modes: boolean[] = [];
    const spy = Object.assign(Object.create(model) as TinyMlp, {
      forward: (x: Parameters<TinyMlp['forward']>[0]) => {
        modes.push(spy.training);
        return model.forward(x);
      },
    });
    spy.train(true);
    evaluate(spy, loaderOf(), 'cross_entropy');
    expect(modes.length).to.be.above(0);
    expect(modes.every((m) => !m)).to.equal(true);
    expect(spy.training).to.equal(true);
    spy.eval();
    evaluate(spy, loaderOf(), 'cross_entropy');
    expect(spy.training).to.equal(false);
  });

  it('rejects bad options with typed errors naming them, before any work', () => {
    const { model, opt } = setup();
    const base = { data: loaderOf(), loss: 'cross_entropy' as const, optimizer: opt, epochs: 1, progress: false };
    const w0 = Float32Array.from(model.layers[0]!.W.dense());
    const cases: [unknown, RegExp][] = [
      [{ ...base, epoch: 2 }, /unknown option options.epoch for fit \(did you mean epochs\?\)/],
      [{ ...base, steps: 3 }, /exactly one of options.epochs and options.steps/],
      [{ ...base, epochs: undefined }, /exactly one of options.epochs and options.steps/],
      [{ ...base, epochs: 0 }, /options.epochs/],
      [{ ...base, epochs: 1.5 }, /options.epochs/],
      [{ ...base, loss: 'mse' }, /options.loss "mse" needs a dataset of class regression targets/],
      [{ ...base, loss: 'hinge' }, /options.loss must be 'cross_entropy', 'mse' or a function/],
      [{ ...base, data: [] }, /options.data must be a DataLoader/],
      [{ ...base, optimizer: {} }, /options.optimizer must be an optimizer/],
      [{ ...base, clipNorm: -1 }, /options.clipNorm/],
      [{ ...base, progress: 'yes' }, /options.progress/],
      [{ ...base, callbacks: { onStep: 1 } }, /options.callbacks.onStep must be a function/],
      [{ ...base, callbacks: { every: 0 } }, /options.callbacks.every/],
      [{ ...base, callbacks: { onstep: () => 1 } }, /unknown option options.callbacks.onstep/],
      [{ ...base, scheduler: 3 }, /options.scheduler must be an LrScheduler/],
      [null, /options must be an object/],
    ];
    for (const [o, re] of cases) expect(() => fit(model, o as Parameters<typeof fit>[1]), re.source).to.throw(DomainError, re);
    expect(() => fit({ forward: 1 } as never, base)).to.throw(DomainError, /model.forward must be a function/);
    expect(Float32Array.from(model.layers[0]!.W.dense())).to.deep.equal(w0);
  });
});
