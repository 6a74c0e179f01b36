import { expect } from 'chai';
import { DomainError, DTypeError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/init/index.js';
import { Flatten, LeakyReLU, Linear, ReLU, RReLU, Sequential, Sigmoid, Tanh } from '../../src/nn/index.js';
import { type Tensor, tensor } from '../../src/tensor/index.js';

const f64 = { dtype: 'float64' } as const;
const randn = (n: number, seed: number): Float64Array => {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => r.nextNormal());
};

/**
 * Central differences of the scalar L = Σ w ⊙ f(v) in float64 against the autograd gradient dL/dv, entry by entry.
 * h = 1e-6: truncation O(h²) ≈ 1e-12 and rounding ≈ 1e-16/h ≈ 1e-10, so 1e-7 (relative + absolute) is a margin.
 * `grad(f, v)` returns the autograd gradient of the parameter of interest.
 */
function checkGrad(n: number, L: (v: Float64Array) => number, grad: Float64Array | Float32Array, v: Float64Array): void {
  const h = 1e-6;
  for (let i = 0; i < n; i++) {
    const p = v.slice(); p[i] = (p[i] as number) + h;
    const m = v.slice(); m[i] = (m[i] as number) - h;
    const fd = (L(p) - L(m)) / (2 * h);
    expect(Math.abs((grad[i] as number) - fd), `entry ${i}`).to.be.at.most(1e-7 * (1 + Math.abs(fd)));
  }
}

describe('nn: layers', () => {
  it('Linear: weight from the named initializer and seed (reproducible), zero bias, y = scale·(x Wᵀ) + b (float64, 1e-12)', () => {
    const make = (): Linear => new Linear(3, 2, { seed: 5, dtype: 'float64', scale: 0.5, init: 'he_normal' });
    const lin = make();
    expect(lin.weight.shape).to.deep.equal([2, 3]);
    expect(lin.weight.requiresGrad).to.equal(true);
    expect(Array.from((lin.bias as Tensor).dense())).to.deep.equal([0, 0]);
    expect(Array.from(make().weight.dense())).to.deep.equal(Array.from(lin.weight.dense()));
    (lin.bias as Tensor).data.set([0.25, -1]);
    const xv = randn(12, 1);
    const y = lin.forward(tensor(xv, [4, 3], f64)).dense();
    const W = lin.weight.dense();
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < 2; j++) {
        let s = 0;
        for (let i = 0; i < 3; i++) s += (W[j * 3 + i] as number) * (xv[r * 3 + i] as number);
        const want = 0.5 * s + [0.25, -1][j]!;
        expect(Math.abs((y[r * 2 + j] as number) - want)).to.be.at.most(1e-12 * (1 + Math.abs(want)));
      }
    }
  });

  it('Linear: gradients of x, W and b match central differences (float64)', () => {
    const lin = new Linear(3, 2, { seed: 2, dtype: 'float64', scale: 0.7 });
    const xv = randn(6, 3);
    const wv = randn(4, 4);
    const wt = tensor(wv, [2, 2], f64);
    const x = tensor(xv, [2, 3], { ...f64, requiresGrad: true });
    lin.forward(x).mul(wt).sum().backward();
    const L = (): number => lin.forward(tensor(xv, [2, 3], f64)).mul(wt).sum().item();
    checkGrad(6, (v) => lin.forward(tensor(v, [2, 3], f64)).mul(wt).sum().item(), (x.grad as Tensor).dense(), xv);
    for (const p of [lin.weight, lin.bias as Tensor]) {
      const base = Float64Array.from(p.dense());
      const g = Float64Array.from((p.grad as Tensor).dense());
      checkGrad(base.length, (v) => {
        p.data.set(v);
        const out = L();
        p.data.set(base);
        return out;
      }, g, base);
    }
  });

  it("Linear: init 'torch_default_linear' draws the bias from U(±1/√in); bias: false has none", () => {
    const lin = new Linear(16, 40, { seed: 9, init: 'torch_default_linear', dtype: 'float64' });
    const b = Array.from((lin.bias as Tensor).dense());
    expect(b.every((v) => Math.abs(v) <= 0.25)).to.equal(true);
    expect(new Set(b).size).to.equal(40); // drawn, not zeros
    const nb = new Linear(2, 3, { seed: 1, bias: false });
    expect(nb.bias).to.equal(null);
    expect(nb.namedParameters().map(([n]) => n)).to.deep.equal(['weight']);
  });

  it('Linear: bad arguments and inputs are typed errors', () => {
    expect(() => new Linear(3, 2)).to.throw(DomainError, /seed is required/);
    expect(() => new Linear(0, 2, { seed: 1 })).to.throw(DomainError, /inFeatures/);
    expect(() => new Linear(3, 2, { seed: 1, init: 'meanfield' })).to.throw(DomainError, /network initializer/);
    expect(() => new Linear(3, 2, { seed: 1, init: 'nope' })).to.throw(DomainError, /unknown initializer/);
    expect(() => new Linear(3, 2, { seed: 1, scale: 0 })).to.throw(DomainError, /options.scale/);
    expect(() => new Linear(3, 2, { seed: 1, sede: 1 } as never)).to.throw(DomainError, /sede/);
    const lin = new Linear(3, 2, { seed: 1 });
    expect(() => lin.forward(tensor([1, 2], [1, 2]))).to.throw(ShapeError, /\[batch, 3\]/);
    expect(() => lin.forward(tensor([1, 2, 3], [1, 3], f64))).to.throw(DTypeError, /float32/);
    expect(() => lin.forward([1, 2, 3] as unknown as Tensor)).to.throw(DTypeError, /must be a Tensor/);
  });

  it('ReLU, LeakyReLU, Sigmoid, Tanh, Flatten compute their functions', () => {
    const x = tensor([-2, -0.5, 0, 1.5], [2, 2], f64);
    expect(new ReLU().forward(x).toArray()).to.deep.equal([[0, 0], [0, 1.5]]);
    expect(new LeakyReLU(0.1).forward(x).toArray()).to.deep.equal([[-0.2, -0.05], [0, 1.5]]);
    expect(new Sigmoid().forward(x).dense()[2]).to.equal(0.5);
    expect(new Tanh().forward(x).dense()[3]).to.equal(Math.tanh(1.5));
    expect(new Flatten().forward(tensor(new Float64Array(24), [2, 3, 4])).shape).to.deep.equal([2, 12]);
    expect(() => new LeakyReLU(Number.NaN)).to.throw(DomainError, /slope/);
    expect(() => new ReLU().forward(3 as unknown as Tensor)).to.throw(DTypeError, /ReLU.forward: x/);
  });

  it('RReLU: eval uses the mean slope; training draws slopes in [lower, upper] from a seeded, advancing stream', () => {
    const x = tensor(Float64Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? -1 : 1)), [20, 10], f64);
    const r = new RReLU(0.1, 0.3, { seed: 4 });
    const y1 = Array.from(r.forward(x).dense());
    const y2 = Array.from(r.forward(x).dense());
    const neg1 = y1.filter((_, i) => i % 2 === 0).map((v) => -v);
    expect(neg1.every((a) => a >= 0.1 && a < 0.3)).to.equal(true);
    expect(y1.filter((_, i) => i % 2 === 1).every((v) => v === 1)).to.equal(true);
    expect(new Set(neg1).size).to.equal(100); // one slope per element
    expect(y2).to.not.deep.equal(y1); // the stream advanced
    expect(Array.from(new RReLU(0.1, 0.3, { seed: 4 }).forward(x).dense())).to.deep.equal(y1); // same seed, same slopes
    r.eval();
    expect(r.forward(x).dense()[0]).to.equal(-0.2);
    expect(() => new RReLU(0.3, 0.1, { seed: 1 })).to.throw(DomainError, /upper must be ≥ lower/);
    expect(() => new RReLU(-0.1, 0.2, { seed: 1 })).to.throw(DomainError, /lower must be in/);
    expect(() => new RReLU()).to.throw(DomainError, /seed is required/);
  });

  it('RReLU: the training gradient matches central differences with the same slopes (float64)', () => {
    const xv = randn(12, 8);
    const wt = tensor(randn(12, 9), [3, 4], f64);
    const x = tensor(xv, [3, 4], { ...f64, requiresGrad: true });
    // A fresh layer with one seed per evaluation gives the same slopes each time.
    const f = (t: Tensor): Tensor => new RReLU(0.1, 0.4, { seed: 11 }).forward(t);
    f(x).mul(wt).sum().backward();
    checkGrad(12, (v) => f(tensor(v, [3, 4], f64)).mul(wt).sum().item(), (x.grad as Tensor).dense(), xv);
  });

  it('Sequential chains its modules; at() checks its index', () => {
    const net = new Sequential(new Flatten(), new Linear(4, 2, { seed: 1, dtype: 'float64' }), new ReLU());
    const y = net.forward(tensor(randn(8, 2), [2, 2, 2], f64));
    expect(y.shape).to.deep.equal([2, 2]);
    expect(net.length).to.equal(3);
    expect(() => net.at(3)).to.throw(DomainError, /\[0, 2\]/);
  });
});
