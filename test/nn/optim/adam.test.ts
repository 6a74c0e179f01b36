import { expect } from 'chai';
import { DomainError } from '../../../src/core/index.js';
import { Adam, AdamW, type AdamOptions } from '../../../src/nn/index.js';
import { tensor, type Tensor } from '../../../src/tensor/index.js';
import { expectClose, type Quadratic, quadraticGrad, quadraticLoss } from './quadratic.js';

const Q: Quadratic = { a: [1.5, 0.5, 2.0, 0.25], c: [-0.3, 0.7, 0.1, -1.2] };
const THETA0 = [0.8, -0.4, 1.1, 0.05];

interface Ref {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  wd: number;
  decoupled: boolean;
  amsgrad: boolean;
}

/**
 * torch.optim.Adam / AdamW written out independently (float64) from the PyTorch documentation's pseudo-code:
 * AdamW: θ ← θ(1 − ηλ); Adam: g ← g + λθ; m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²;
 * m̂ = m/(1 − β1^t); v̂ = v/(1 − β2^t) (AMSGrad: v̂max = max(v̂max, v̂)); θ ← θ − η m̂/(√v̂ + ε).
 */
function referenceAdam(steps: number, h: Ref, q = Q, theta0 = THETA0) {
  const theta = theta0.slice();
  const n = theta.length;
  const m = new Array<number>(n).fill(0);
  const v = new Array<number>(n).fill(0);
  const vmax = new Array<number>(n).fill(0);
  for (let t = 1; t <= steps; t++) {
    const g = quadraticGrad(theta, q);
    for (let i = 0; i < n; i++) {
      if (h.decoupled) theta[i] = theta[i]! * (1 - h.lr * h.wd);
      else g[i] = g[i]! + h.wd * theta[i]!;
      m[i] = h.b1 * m[i]! + (1 - h.b1) * g[i]!;
      v[i] = h.b2 * v[i]! + (1 - h.b2) * g[i]! * g[i]!;
      vmax[i] = Math.max(vmax[i]!, v[i]!);
      const mhat = m[i]! / (1 - h.b1 ** t);
      const vhat = (h.amsgrad ? vmax[i]! : v[i]!) / (1 - h.b2 ** t);
      theta[i] = theta[i]! - (h.lr * mhat) / (Math.sqrt(vhat) + h.eps);
    }
  }
  return { theta, m, v, vmax };
}

const param = (v: readonly number[] = THETA0, dtype: 'float32' | 'float64' = 'float64'): Tensor =>
  tensor(v.slice(), [v.length], { dtype, requiresGrad: true });

function run(opt: Adam | AdamW, p: Tensor, steps: number, q = Q): void {
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    quadraticLoss(p, q).backward();
    opt.step();
  }
}

const base: Ref = { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false, amsgrad: false };

describe('nn/optim: Adam and AdamW (torch.optim semantics)', () => {
  const cases: [string, 'Adam' | 'AdamW', AdamOptions, Partial<Ref>][] = [
    ['Adam, defaults', 'Adam', {}, {}],
    ['Adam, lr 0.1, betas (0.8, 0.95), eps 1e-4', 'Adam', { lr: 0.1, betas: [0.8, 0.95], eps: 1e-4 }, { lr: 0.1, b1: 0.8, b2: 0.95, eps: 1e-4 }],
    ['Adam, L2 weight decay 0.5 (coupled, in the gradient)', 'Adam', { lr: 0.05, weightDecay: 0.5 }, { lr: 0.05, wd: 0.5 }],
    ['AdamW, decoupled decay 0.5', 'AdamW', { lr: 0.05, weightDecay: 0.5 }, { lr: 0.05, wd: 0.5, decoupled: true }],
    ['AdamW, default decay 0.01', 'AdamW', { lr: 0.05 }, { lr: 0.05, wd: 0.01, decoupled: true }],
    ['Adam, AMSGrad, β2 = 0.5', 'Adam', { lr: 0.3, betas: [0.9, 0.5], amsgrad: true }, { lr: 0.3, b2: 0.5, amsgrad: true }],
  ];
  for (const [name, kind, o, r] of cases) {
    it(`${name}: the first 3 steps match the hand-written recurrence (float64, 1e-12)`, () => {
      const p = param();
      const opt = kind === 'Adam' ? new Adam([p], o) : new AdamW([p], o);
      const h = { ...base, ...r };
      for (let t = 1; t <= 3; t++) {
        run(opt, p, 1);
        const ref = referenceAdam(t, h);
        expectClose(p.data, ref.theta, 1e-12, `θ after step ${t}`);
        const s = opt.state.get(p)!;
        expect(s.step).to.equal(t);
        expectClose(s.expAvg, ref.m, 1e-12, 'm');
        expectClose(s.expAvgSq, ref.v, 1e-12, 'v');
        if (h.amsgrad) expectClose(s.maxExpAvgSq!, ref.vmax, 1e-12, 'vmax');
        else expect(s.maxExpAvgSq).to.equal(null);
      }
    });
  }

  it('AMSGrad case exercises the running max (v shrinks below its maximum by step 3)', () => {
    const ref = referenceAdam(3, { ...base, lr: 0.3, b2: 0.5, amsgrad: true });
    expect(ref.vmax.some((x, i) => x > ref.v[i]! * 1.01)).to.equal(true);
    const plain = referenceAdam(3, { ...base, lr: 0.3, b2: 0.5 });
    expect(Math.abs(plain.theta[0]! - ref.theta[0]!)).to.be.above(1e-6);
  });

  it('AdamW decoupling: same λ, different update from Adam’s L2; AdamW decay does not enter the moments', () => {
    const pa = param();
    const pw = param();
    const adam = new Adam([pa], { lr: 0.05, weightDecay: 0.5 });
    const adamw = new AdamW([pw], { lr: 0.05, weightDecay: 0.5 });
    run(adam, pa, 3);
    run(adamw, pw, 3);
    expect(Math.abs(pa.data[0]! - pw.data[0]!)).to.be.above(1e-3);
    // AdamW's first moment after step 1 is (1 − β1)·g(θ0), the raw gradient; Adam's includes λθ0
    const p = param();
    const w = new AdamW([p], { lr: 0.05, weightDecay: 0.5 });
    run(w, p, 1);
    expectClose(w.state.get(p)!.expAvg, quadraticGrad(THETA0, Q).map((g) => 0.1 * g), 1e-12);
  });

  it('ε is added to √v̂ after bias correction (PyTorch), not to √v before it (Kingma & Ba’s “efficient” form)', () => {
    // tiny gradients make ε comparable to √v, so the two placements give visibly different steps
    const q: Quadratic = { a: [0, 0], c: [3e-8, -5e-9] };
    const p = param([0, 0]);
    const opt = new Adam([p], { lr: 0.1, betas: [0.9, 0.99] });
    run(opt, p, 2, q);
    const ours = referenceAdam(2, { ...base, lr: 0.1, b2: 0.99 }, q, [0, 0]).theta;
    expectClose(p.data, ours, 1e-12);
    // the other placement: θ ← θ − η·sqrt(1 − β2^t)/(1 − β1^t) · m / (√v + ε)
    const other = [0, 0];
    const m = [0, 0];
    const v = [0, 0];
    for (let t = 1; t <= 2; t++) {
      for (let i = 0; i < 2; i++) {
        const g = q.c[i]!;
        m[i] = 0.9 * m[i]! + 0.1 * g;
        v[i] = 0.99 * v[i]! + 0.01 * g * g;
        other[i] = other[i]! - ((0.1 * Math.sqrt(1 - 0.99 ** t)) / (1 - 0.9 ** t)) * (m[i]! / (Math.sqrt(v[i]!) + 1e-8));
      }
    }
    expect(Math.abs(other[0]! - ours[0]!) / Math.abs(ours[0]!)).to.be.above(0.05);
  });

  it('parameter groups carry their own lr and betas; float32 parameters keep float32 state', () => {
    const p = param();
    const q = param(THETA0, 'float32');
    const opt = new Adam([{ params: [p], lr: 0.1 }, { params: [q], betas: [0.5, 0.9] }], { lr: 0.02 });
    for (let t = 0; t < 3; t++) {
      opt.zeroGrad();
      quadraticLoss(p, Q).add(quadraticLoss(q, Q).to('float64')).backward();
      opt.step();
    }
    expectClose(p.data, referenceAdam(3, { ...base, lr: 0.1 }).theta, 1e-12, 'group 0');
    expect(opt.state.get(q)!.expAvg).to.be.instanceOf(Float32Array);
    // float32 storage of θ, m and v (rel. 6e-8 each) through 3 steps: 1e-5 relative
    expectClose(q.data, referenceAdam(3, { ...base, lr: 0.02, b1: 0.5, b2: 0.9 }).theta, 1e-5, 'group 1');
  });

  it('validates options with typed errors naming the key', () => {
    const p = param();
    expect(() => new Adam([p], { beta: [0.9, 0.99] } as AdamOptions)).to.throw(DomainError, /unknown option options\.beta for Adam \(did you mean betas\?\)/);
    expect(() => new AdamW([p], { betas: [0.9, 1] })).to.throw(DomainError, /options\.betas\[1\] must be in \[0, 1\), got 1/);
    expect(() => new Adam([p], { betas: [0.9] as never })).to.throw(DomainError, /options\.betas must be a pair/);
    expect(() => new Adam([{ params: [p], eps: -1 }])).to.throw(DomainError, /groups\[0\]\.eps must be in \[0, Infinity\), got -1/);
    expect(() => new AdamW([p], { amsgrad: 1 as never })).to.throw(DomainError, /options\.amsgrad must be a boolean/);
  });
});
