import { expect } from 'chai';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/index.js';
import { cosineWarmup, LrScheduler, SGD, stepDecay } from '../../../src/nn/index.js';
import { tensor } from '../../../src/tensor/index.js';

describe('nn/optim: learning-rate schedules', () => {
  it('stepDecay: γ^⌊t/stepSize⌋ (PyTorch StepLR)', () => {
    const s = stepDecay({ stepSize: 10, gamma: 0.5 });
    expect([0, 9, 10, 19, 20, 35].map(s)).to.deep.equal([1, 1, 0.5, 0.5, 0.25, 0.125]);
    expect(stepDecay({ stepSize: 3 })(6)).to.equal(0.1 ** 2); // default γ = 0.1
  });

  it('cosineWarmup: linear warm-up edges, cosine midpoint and end, floor after the end', () => {
    const s = cosineWarmup({ warmupSteps: 4, totalSteps: 14, minFactor: 0.1 });
    expect(s(0)).to.equal(0);
    expect(s(1)).to.equal(0.25);
    expect(s(3)).to.equal(0.75);
    expect(s(4)).to.equal(1); // end of warm-up: full rate
    // halfway through the cosine (t = 4 + 5): m + (1 − m)/2
    expect(s(9)).to.be.closeTo(0.55, 1e-15);
    // a fifth of the way (t = 6): m + (1 − m)(1 + cos(π/5))/2
    expect(s(6)).to.be.closeTo(0.1 + 0.9 * (1 + Math.cos(Math.PI / 5)) / 2, 1e-15);
    expect(s(14)).to.be.closeTo(0.1, 1e-15);
    expect(s(1000)).to.equal(0.1);
    const w = cosineWarmup({ warmupSteps: 2, totalSteps: 4, warmupStartFactor: 0.5 });
    expect([0, 1, 2].map(w)).to.deep.equal([0.5, 0.75, 1]);
    const noWarmup = cosineWarmup({ warmupSteps: 0, totalSteps: 2 });
    expect(noWarmup(0)).to.equal(1);
    expect(noWarmup(1)).to.be.closeTo(0.5, 1e-15);
    expect(noWarmup(2)).to.be.closeTo(0, 1e-15);
  });

  it('schedules validate their options once and their step on every call', () => {
    expect(() => stepDecay({ stepSize: 0 })).to.throw(DomainError, /options\.stepSize must be a positive integer, got 0/);
    expect(() => stepDecay({ stepSize: 5, gamma: 0 })).to.throw(DomainError, /options\.gamma must be in \(0, 1\], got 0/);
    expect(() => cosineWarmup({ warmupSteps: 10, totalSteps: 10 })).to.throw(DomainError, /totalSteps must be greater than options\.warmupSteps \(10\), got 10/);
    expect(() => cosineWarmup({ warmupSteps: 1, totalSteps: 10, minFactor: 2 })).to.throw(DomainError, /minFactor must be in \[0, 1\], got 2/);
    expect(() => cosineWarmup({ warmupSteps: 1, totalSteps: 10, warmup: 3 } as never)).to.throw(DomainError, /unknown option options\.warmup for cosineWarmup/);
    expect(() => stepDecay({ stepSize: 5 })(-1)).to.throw(DomainError, /step must be an integer ≥ 0, got -1/);
    expect(() => stepDecay({ stepSize: 5 })(1.5)).to.throw(DomainError, /got 1\.5/);
  });

  it('LrScheduler: scales every group’s base rate, keeps their ratios, and the optimizer steps with the scheduled rate', () => {
    const p = tensor([1], [1], { dtype: 'float64', requiresGrad: true });
    const q = tensor([1], [1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([{ params: [p], lr: 0.2 }, { params: [q], lr: 0.02 }]);
    const sched = new LrScheduler(opt, cosineWarmup({ warmupSteps: 2, totalSteps: 6 }));
    expect(sched.baseLrs).to.deep.equal([0.2, 0.02]);
    expect(sched.currentLrs()).to.deep.equal([0, 0]); // s(0) = 0 applied at construction
    sched.step();
    expect(sched.stepCount).to.equal(1);
    expect(sched.currentLrs()).to.deep.equal([0.1, 0.01]);
    // one SGD step on L = θ: θ ← θ − lr·1
    p.grad = tensor([1], [1], { dtype: 'float64' });
    q.grad = tensor([1], [1], { dtype: 'float64' });
    opt.step();
    expect([p.data[0], q.data[0]]).to.deep.equal([0.9, 0.99]);
    sched.step();
    expect(sched.currentLrs()).to.deep.equal([0.2, 0.02]);
    for (let t = 3; t <= 6; t++) sched.step();
    sched.currentLrs().forEach((lr) => expect(lr).to.be.closeTo(0, 1e-18));
  });

  it('LrScheduler rejects a schedule that returns a negative or non-finite factor', () => {
    const opt = new SGD([tensor([1], [1], { requiresGrad: true })], { lr: 0.1 });
    expect(() => new LrScheduler(opt, () => -1)).to.throw(DomainError, /schedule\(0\) must be a finite factor ≥ 0, got -1/);
    const s = new LrScheduler(opt, (t) => (t < 1 ? 1 : NaN));
    expect(() => s.step()).to.throw(NonFiniteError, /schedule\(1\) must be a finite factor ≥ 0, got NaN/);
  });

  it('LrScheduler checks its optimizer: an LrControl with a positive group count and finite rates ≥ 0 (issue 11)', () => {
    const step = stepDecay({ stepSize: 1 });
    for (const bad of [undefined, null, 3, {}, { groupCount: 1, getLr: () => 1 }]) {
      expect(() => new LrScheduler(bad as never, step)).to.throw(DomainError, /^optimizer must be an optimizer \(SGD, Adam, AdamW\) or an LrControl \{ groupCount, getLr, setLr \}, got /);
    }
    const control = (groupCount: unknown, lr: unknown) => ({ groupCount, getLr: () => lr, setLr: () => undefined }) as never;
    expect(() => new LrScheduler(control(0, 1), step)).to.throw(DomainError, /^optimizer\.groupCount must be a positive integer, got 0$/);
    expect(() => new LrScheduler(control(2 ** 53, 1), step)).to.throw(ShapeError, /^optimizer\.groupCount has too many elements/);
    expect(() => new LrScheduler(control(1, NaN), step)).to.throw(NonFiniteError, /^optimizer\.getLr\(0\) must be a finite number, got NaN$/);
    expect(() => new LrScheduler(control(1, -1), step)).to.throw(DomainError, /^optimizer\.getLr\(0\) must be in \[0, Infinity\), got -1$/);
    // The optimizer is checked first, then the schedule.
    const opt = new SGD([tensor([1], [1], { requiresGrad: true })], { lr: 0.1 });
    expect(() => new LrScheduler(opt, 3 as never)).to.throw(DomainError, /^schedule must be a function \(step\) => factor, got 3$/);
    expect(new LrScheduler(control(2, 0.5), step).baseLrs).to.deep.equal([0.5, 0.5]);
  });
});
