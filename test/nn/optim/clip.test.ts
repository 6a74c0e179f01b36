import { expect } from 'chai';
import { DomainError, NonFiniteError } from '../../../src/core/index.js';
import { clipGradNorm } from '../../../src/nn/index.js';
import { tensor, type Tensor } from '../../../src/tensor/index.js';

/** Two parameters with the given gradients (float64). */
function withGrads(g1: number[], g2: number[]): Tensor[] {
  return [g1, g2].map((g) => {
    const p = tensor(g.map(() => 0), [g.length], { dtype: 'float64', requiresGrad: true });
    p.grad = tensor(g, [g.length], { dtype: 'float64' });
    return p;
  });
}
const grads = (ps: Tensor[]): number[] => ps.flatMap((p) => Array.from(p.grad!.data));

describe('nn/optim: clipGradNorm (torch.nn.utils.clip_grad_norm_ semantics)', () => {
  it('returns the joint 2-norm and scales every gradient by maxNorm/(norm + 1e-6) when above maxNorm', () => {
    const ps = withGrads([3, 0], [4, 12]); // ‖(3, 0, 4, 12)‖ = 13
    expect(clipGradNorm(ps, 6.5)).to.equal(13);
    const c = 6.5 / (13 + 1e-6);
    grads(ps).forEach((g, i) => expect(g).to.be.closeTo([3, 0, 4, 12][i]! * c, 1e-15));
    const after = Math.hypot(...grads(ps));
    expect(after).to.be.below(6.5);
    expect(after).to.be.closeTo(6.5, 1e-6);
  });

  it('leaves gradients untouched when the norm is within maxNorm (also just under, because of the 1e-6)', () => {
    const ps = withGrads([3, 0], [4, 12]);
    expect(clipGradNorm(ps, 20)).to.equal(13);
    expect(grads(ps)).to.deep.equal([3, 0, 4, 12]);
    const qs = withGrads([3, 0], [4, 12]);
    clipGradNorm(qs, 13); // c = 13/(13 + 1e-6) < 1: PyTorch scales here too
    expect(grads(qs)[3]).to.be.below(12);
  });

  it('other norms: Infinity (max |g|), 1 and 3', () => {
    const ps = withGrads([1, -5], [2, 2]);
    expect(clipGradNorm(ps, 100, { normType: Infinity })).to.equal(5);
    expect(clipGradNorm(ps, 100, { normType: 1 })).to.equal(10);
    expect(clipGradNorm(ps, 100, { normType: 3 })).to.be.closeTo(Math.cbrt(1 + 125 + 8 + 8), 1e-13);
    expect(clipGradNorm(ps, 2.5, { normType: Infinity })).to.equal(5);
    grads(ps).forEach((g, i) => expect(g).to.be.closeTo([1, -5, 2, 2][i]! * (2.5 / (5 + 1e-6)), 1e-15));
  });

  it('skips parameters without a gradient; accepts named parameters; float32 gradients scale in place', () => {
    const [p, q] = withGrads([6, 8], [0]);
    q!.grad = null;
    const f = tensor([0, 0], [2], { requiresGrad: true });
    f.grad = tensor([0, 0], [2]);
    const g32 = f.grad.data;
    expect(clipGradNorm([{ name: 'p', tensor: p! }, q!, f], 5)).to.equal(10);
    expect(q!.grad).to.equal(null);
    expect(p!.grad!.data[0]).to.be.closeTo(3, 1e-6);
    expect(f.grad.data).to.equal(g32);
    expect(clipGradNorm([q!], 1)).to.equal(0);
  });

  it('a non-finite norm is a NonFiniteError by default (gradients untouched); with errorIfNonfinite false it scales by NaN', () => {
    const ps = withGrads([1, NaN], [2, 2]);
    expect(() => clipGradNorm(ps, 1)).to.throw(NonFiniteError, /total 2-norm of the gradients is NaN/);
    expect(grads(ps)[0]).to.equal(1);
    expect(Number.isNaN(clipGradNorm(ps, 1, { errorIfNonfinite: false }))).to.equal(true);
    expect(Number.isNaN(grads(ps)[0]!)).to.equal(true);
  });

  it('validates its arguments', () => {
    const ps = withGrads([1], [1]);
    expect(() => clipGradNorm(ps, 0)).to.throw(DomainError, /maxNorm must be in \(0, Infinity\), got 0/);
    expect(() => clipGradNorm(ps, 1, { normType: -2 })).to.throw(DomainError, /options\.normType must be in \(0, Infinity\), got -2/);
    expect(() => clipGradNorm(ps, 1, { norm: 2 } as never)).to.throw(DomainError, /unknown option options\.norm for clipGradNorm/);
    expect(() => clipGradNorm([1 as never], 1)).to.throw(DomainError, /params\[0\] must be a Tensor/);
  });
});
