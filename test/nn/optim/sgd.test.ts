import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/index.js';
import { SGD, type SgdOptions } from '../../../src/nn/index.js';
import { tensor, type Tensor } from '../../../src/tensor/index.js';
import { expectClose, type Quadratic, quadraticGrad, quadraticLoss } from './quadratic.js';

const Q: Quadratic = { a: [1.5, 0.5, 2.0, 0.25], c: [-0.3, 0.7, 0.1, -1.2] };
const THETA0 = [0.8, -0.4, 1.1, 0.05];

/**
 * torch.optim.SGD written out independently (float64), from the PyTorch documentation's pseudo-code:
 * g ← g + λθ; b ← g (t = 1) or μb + (1 − τ)g; g ← g + μb (Nesterov) or b; θ ← θ − ηg.
 */
function referenceSgd(steps: number, h: Required<SgdOptions>, q = Q, theta0 = THETA0): { theta: number[]; buf: number[] | null } {
  const theta = theta0.slice();
  let buf: number[] | null = null;
  for (let t = 1; t <= steps; t++) {
    let g = quadraticGrad(theta, q).map((gi, i) => gi + h.weightDecay * theta[i]!);
    if (h.momentum !== 0) {
      const prev: number[] | null = buf;
      buf = prev === null ? g.slice() : g.map((gi, i) => h.momentum * prev[i]! + (1 - h.dampening) * gi);
      const b = buf;
      g = h.nesterov ? g.map((gi, i) => gi + h.momentum * b[i]!) : b.slice();
    }
    for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! - h.lr * g[i]!;
  }
  return { theta, buf };
}

/** Run `steps` optimizer steps on the quadratic through autograd. */
function run(opt: SGD, p: Tensor, steps: number, q = Q): void {
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    quadraticLoss(p, q).backward();
    opt.step();
  }
}

const param = (v: readonly number[] = THETA0, dtype: 'float32' | 'float64' = 'float64'): Tensor =>
  tensor(v.slice(), [v.length], { dtype, requiresGrad: true });

const full = (o: SgdOptions): Required<SgdOptions> => ({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...o });

describe('nn/optim: SGD (torch.optim.SGD semantics)', () => {
  const cases: [string, SgdOptions][] = [
    ['plain', { lr: 0.1 }],
    ['momentum 0.9', { lr: 0.1, momentum: 0.9 }],
    ['momentum with dampening 0.3', { lr: 0.05, momentum: 0.8, dampening: 0.3 }],
    ['Nesterov', { lr: 0.1, momentum: 0.9, nesterov: true }],
    ['weight decay without momentum', { lr: 0.1, weightDecay: 0.2 }],
    ['weight decay before momentum, Nesterov', { lr: 0.07, momentum: 0.6, weightDecay: 0.3, nesterov: true }],
  ];
  for (const [name, o] of cases) {
    it(`${name}: the first 3 steps match the hand-written recurrence (float64, 1e-12)`, () => {
      const p = param();
      const opt = new SGD([p], o);
      for (let t = 1; t <= 3; t++) {
        run(opt, p, 1);
        const ref = referenceSgd(t, full(o));
        expectClose(p.data, ref.theta, 1e-12, `θ after step ${t}`);
        if (ref.buf !== null) expectClose(opt.state.get(p)!.momentumBuffer, ref.buf, 1e-12, `buffer after step ${t}`);
        else expect(opt.state.has(p)).to.equal(false);
      }
    });
  }

  it('the variants really differ (the cases above test different things)', () => {
    const end = (o: SgdOptions): number[] => referenceSgd(3, full(o)).theta;
    const plain = end({ lr: 0.1 });
    const mom = end({ lr: 0.1, momentum: 0.9 });
    const nest = end({ lr: 0.1, momentum: 0.9, nesterov: true });
    const damp = end({ lr: 0.1, momentum: 0.9, dampening: 0.5 });
    const wd = end({ lr: 0.1, weightDecay: 0.2 });
    for (const other of [mom, nest, damp, wd]) expect(Math.abs(other[0]! - plain[0]!)).to.be.above(1e-3);
    expect(Math.abs(nest[0]! - mom[0]!)).to.be.above(1e-3);
    expect(Math.abs(damp[0]! - mom[0]!)).to.be.above(1e-3);
  });

  it('parameter groups: each group follows its own rate and momentum; group values override the defaults', () => {
    const p = param();
    const q = param([0.3, -0.9, 0.2, 0.6]);
    const opt = new SGD([{ params: [p], lr: 0.2 }, { params: [{ name: 'q', tensor: q }], momentum: 0.5, name: 'second' }], { lr: 0.05, momentum: 0.9 });
    expect(opt.groups.map((g) => [g.name, g.lr, g.momentum])).to.deep.equal([['0', 0.2, 0.9], ['second', 0.05, 0.5]]);
    for (let t = 0; t < 3; t++) {
      opt.zeroGrad();
      quadraticLoss(p, Q).add(quadraticLoss(q, Q)).backward();
      opt.step();
    }
    expectClose(p.data, referenceSgd(3, full({ lr: 0.2, momentum: 0.9 })).theta, 1e-12, 'group 0');
    expectClose(q.data, referenceSgd(3, full({ lr: 0.05, momentum: 0.5 }), Q, [0.3, -0.9, 0.2, 0.6]).theta, 1e-12, 'group 1');
    expect(opt.stateOf('q')!.momentumBuffer.length).to.equal(4);
    expect(() => opt.stateOf('nope')).to.throw(DomainError, /no parameter named "nope"/);
  });

  it('setLr changes one group’s rate for the next step only', () => {
    const p = param();
    const opt = new SGD([p], { lr: 0.1 });
    run(opt, p, 1);
    opt.setLr(0, 0.3);
    expect(opt.getLr(0)).to.equal(0.3);
    run(opt, p, 1);
    const after1 = referenceSgd(1, full({ lr: 0.1 })).theta;
    expectClose(p.data, referenceSgd(1, full({ lr: 0.3 }), Q, after1).theta, 1e-12);
    expect(() => opt.setLr(1, 0.1)).to.throw(DomainError, /index must be a group index in \[0, 0\], got 1/);
    expect(() => opt.setLr(0, -1)).to.throw(DomainError, /lr must be in \[0, Infinity\), got -1/);
  });

  it('float32 parameters: updated in place within float32 rounding of the float64 reference', () => {
    const p = param(THETA0, 'float32');
    const data = p.data;
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true });
    run(opt, p, 3);
    expect(p.data).to.equal(data);
    expect(opt.state.get(p)!.momentumBuffer).to.be.instanceOf(Float32Array);
    // inputs rounded to float32 (rel. 6e-8) and a few roundings per step: 1e-6 relative is ample and still fails on
    // any wrong term (the variants differ by > 1e-3 above)
    expectClose(p.data, referenceSgd(3, full({ lr: 0.1, momentum: 0.9, nesterov: true })).theta, 1e-6);
  });

  it('parameters without a gradient are skipped (no update, no state); zeroGrad clears gradients', () => {
    const p = param();
    const idle = param([1, 2, 3, 4]);
    const opt = new SGD([p, idle], { lr: 0.1, momentum: 0.9 });
    run(opt, p, 2);
    expect(Array.from(idle.data)).to.deep.equal([1, 2, 3, 4]);
    expect(opt.state.has(idle)).to.equal(false);
    expect(p.grad).to.not.equal(null);
    opt.zeroGrad();
    expect(p.grad).to.equal(null);
  });

  it('validates options and parameters with typed errors naming the culprit', () => {
    const p = param();
    expect(() => new SGD([p], { lr: 0.1, momentun: 0.9 } as SgdOptions)).to.throw(DomainError, /unknown option options\.momentun for SGD \(did you mean momentum\?\)/);
    expect(() => new SGD([{ params: [p], lr: 0.1, nestrov: true } as never])).to.throw(DomainError, /unknown option groups\[0\]\.nestrov/);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).to.throw(DomainError, /Nesterov momentum needs momentum > 0 and dampening = 0/);
    expect(() => new SGD([p], { momentum: 0.9, dampening: 0.1, nesterov: true })).to.throw(DomainError, /dampening 0\.1/);
    expect(() => new SGD([p], { lr: -0.1 })).to.throw(DomainError, /options\.lr must be in \[0, Infinity\), got -0\.1/);
    expect(() => new SGD([{ params: [p], momentum: -1 }])).to.throw(DomainError, /groups\[0\]\.momentum/);
    expect(() => new SGD([], {})).to.throw(DomainError, /params must be a non-empty array/);
    expect(() => new SGD([p, p])).to.throw(DomainError, /params\[1\] \(params\[1\]\) appears twice: already given as params\[0\]/);
    expect(() => new SGD([{ params: [p] }, { params: [p] }])).to.throw(DomainError, /groups\[1\]\.params\[0\].*already given as groups\[0\]\.params\[0\]/);
    expect(() => new SGD([p, { params: [param()] }] as never)).to.throw(DomainError, /either all parameters or all parameter groups/);
    expect(() => new SGD([tensor([1, 2])])).to.throw(DomainError, /params\[0\] \(params\[0\]\) must require a gradient/);
    expect(() => new SGD([p.mul(2)])).to.throw(DomainError, /must be a leaf tensor.*output of mul/);
    expect(() => new SGD([{ name: 'w', tensor: p }, { name: 'w', tensor: param() }])).to.throw(DomainError, /name "w" is used twice/);
    const w = tensor([1, 2, 3, 4, 5, 6], [2, 3], { requiresGrad: true });
    expect(() => new SGD([w.transpose().detach()].map((t) => ((t.requiresGrad = true), t)))).to.throw(ShapeError, /must be contiguous/);
  });

  it('a gradient of the wrong size is a ShapeError naming the parameter', () => {
    const p = param();
    const opt = new SGD([{ name: 'w', tensor: p }], { lr: 0.1 });
    p.grad = tensor([1, 2], [2], { dtype: 'float64' });
    expect(() => opt.step()).to.throw(ShapeError, /gradient of w has 2 elements, the parameter 4/);
  });
});
