/**
 * Tensor basics: creation, conversion, reductions' values, dtype handling, autograd bookkeeping
 * (accumulation, seeds, noGrad, detach, zeroGrad), and that ops reach the backend through
 * getBackend() with transpose flags instead of materialized transposes.
 */
import { expect } from 'chai';
import { allocateLike } from '../../src/core/index.js';
import type { Backend, FloatArray, MatmulFlags } from '../../src/kernels/backend.js';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';
import { getBackend, registerBackend, setBackend } from '../../src/kernels/registry.js';
import {
  arange,
  argmax,
  crossEntropy,
  eye,
  full,
  isGradEnabled,
  matmul,
  max,
  noGrad,
  ones,
  relu,
  Tensor,
  tensor,
  zeroGrad,
  zeros,
} from '../../src/tensor/index.js';

describe('tensor creation and conversion', () => {
  it('tensor() accepts nested arrays, flat arrays with a shape, typed arrays and numbers', () => {
    const a = tensor([[1, 2], [3, 4]]);
    expect(a.shape).to.deep.equal([2, 2]);
    expect(a.strides).to.deep.equal([2, 1]);
    expect(a.dtype).to.equal('float32');
    expect(a.data).to.be.instanceOf(Float32Array);
    expect(tensor([1, 2, 3, 4, 5, 6], [3, 2]).toArray()).to.deep.equal([[1, 2], [3, 4], [5, 6]]);
    const f64 = new Float64Array([0.1, 0.2]);
    const b = tensor(f64);
    expect(b.dtype).to.equal('float64');
    expect(b.data).to.not.equal(f64); // tensor() copies; fromNdarray shares
    expect(tensor(Int32Array.from([1, 2]), [1, 2], { dtype: 'float64' }).toArray()).to.deep.equal([[1, 2]]);
    const s = tensor(2.5);
    expect(s.shape).to.deep.equal([]);
    expect(s.item()).to.equal(2.5);
    expect(s.toArray()).to.equal(2.5);
    expect(tensor([[7]]).item()).to.equal(7);
    expect(tensor([]).shape).to.deep.equal([0]);
  });

  it('zeros, ones, full, arange, eye', () => {
    expect(zeros([2, 1]).toArray()).to.deep.equal([[0], [0]]);
    expect(ones([3], { dtype: 'float64' }).toArray()).to.deep.equal([1, 1, 1]);
    expect(full([2], -Infinity).toArray()).to.deep.equal([-Infinity, -Infinity]);
    expect(arange(4).toArray()).to.deep.equal([0, 1, 2, 3]);
    expect(arange(1, 2, 0.25, { dtype: 'float64' }).toArray()).to.deep.equal([1, 1.25, 1.5, 1.75]);
    expect(arange(3, 0, -1).toArray()).to.deep.equal([3, 2, 1]);
    expect(eye(2, 3).toArray()).to.deep.equal([[1, 0, 0], [0, 1, 0]]);
    expect(zeros([2], { requiresGrad: true }).requiresGrad).to.equal(true);
  });

  it('to()/astype cast (differentiably) and keep values', () => {
    const a = tensor([0.1, 1e-3], undefined, { dtype: 'float64', requiresGrad: true });
    const b = a.to('float32');
    expect(b.dtype).to.equal('float32');
    expect(b.toArray()).to.deep.equal([Math.fround(0.1), Math.fround(1e-3)]);
    expect(a.astype('float64')).to.equal(a);
    b.mul(3).sum().backward();
    expect(a.grad!.dtype).to.equal('float64');
    expect(a.grad!.toArray()).to.deep.equal([3, 3]);
  });

  it('toString mentions shape and dtype', () => {
    expect(String(tensor([1, 2]))).to.match(/shape=\[2\], dtype=float32/);
  });
});

describe('tensor reductions and selections', () => {
  const x = tensor([[1, 5, 3], [4, 2, 6]], undefined, { dtype: 'float64' });
  it('sum / mean over all, an axis, negative axes, several axes, keepdims', () => {
    expect(x.sum().item()).to.equal(21);
    expect(x.sum(0).toArray()).to.deep.equal([5, 7, 9]);
    expect(x.sum(-1, true).toArray()).to.deep.equal([[9], [12]]);
    expect(x.sum([0, 1], true).toArray()).to.deep.equal([[21]]);
    expect(x.mean().item()).to.equal(3.5);
    expect(x.mean(1).toArray()).to.deep.equal([3, 4]);
    expect(x.transpose().sum(0).toArray()).to.deep.equal([9, 12]);
  });
  it('max / argmax along an axis and overall; NaN wins; results carry no history', () => {
    expect(max(x, 1).toArray()).to.deep.equal([5, 6]);
    expect(argmax(x, 1).toArray()).to.deep.equal([1, 2]);
    expect(argmax(x, 0, true).toArray()).to.deep.equal([[1, 0, 1]]);
    expect(x.max().item()).to.equal(6);
    expect(x.argmax().item()).to.equal(5);
    expect(argmax(tensor([1, NaN, 3])).item()).to.equal(1);
    const g = tensor([1, 2], undefined, { requiresGrad: true });
    expect(g.max(0).requiresGrad).to.equal(false);
  });
  it('crossEntropy value equals the textbook formula; labels may be a tensor', () => {
    const z = tensor([[2, 1, 0], [0, 0, 3]], undefined, { dtype: 'float64' });
    const ref = (Math.log(Math.exp(2) + Math.exp(1) + 1) - 2 + Math.log(2 + Math.exp(3)) - 0) / 2;
    expect(crossEntropy(z, [0, 1]).item()).to.be.closeTo(ref, 1e-14);
    expect(crossEntropy(z, tensor([0, 1])).item()).to.be.closeTo(ref, 1e-14);
  });
});

describe('autograd bookkeeping', () => {
  it('gradients accumulate across backward calls until zeroGrad', () => {
    const w = tensor([1, 2], undefined, { dtype: 'float64', requiresGrad: true });
    w.mul(w).sum().backward();
    expect(w.grad!.toArray()).to.deep.equal([2, 4]);
    w.mul(w).sum().backward();
    expect(w.grad!.toArray()).to.deep.equal([4, 8]);
    w.zeroGrad();
    expect(w.grad).to.equal(null);
    const v = tensor([1], undefined, { requiresGrad: true });
    v.scale(3).sum().backward();
    zeroGrad([w, v]);
    expect(v.grad).to.equal(null);
  });

  it('backward(seed) for non-scalar outputs; intermediates keep no grad; leaf grads are own copies', () => {
    const x = tensor([1, 2, 3], undefined, { dtype: 'float64', requiresGrad: true });
    const y = x.mul(2);
    const seed = tensor([1, 0, -1], undefined, { dtype: 'float64' });
    y.backward(seed);
    expect(x.grad!.toArray()).to.deep.equal([2, 0, -2]);
    expect(y.grad).to.equal(null);
    // A pass-through gradient must not alias the seed: mutating the seed leaves x.grad intact.
    const z = tensor([5], undefined, { requiresGrad: true });
    const s2 = tensor([7]);
    z.add(0).backward(s2);
    s2.data[0] = 0;
    expect(z.grad!.item()).to.equal(7);
  });

  it('a value used twice receives the sum of both paths; inputs without requiresGrad get none', () => {
    const x = tensor([3], undefined, { dtype: 'float64', requiresGrad: true });
    const c = tensor([2], undefined, { dtype: 'float64' });
    x.mul(c).add(x.exp()).sum().backward();
    expect(x.grad!.item()).to.be.closeTo(2 + Math.exp(3), 1e-12);
    expect(c.grad).to.equal(null);
  });

  it('noGrad records nothing and restores the previous state; detach cuts history', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const y = noGrad(() => {
      expect(isGradEnabled()).to.equal(false);
      return x.mul(2);
    });
    expect(isGradEnabled()).to.equal(true);
    expect(y.requiresGrad).to.equal(false);
    expect(y.node).to.equal(null);
    expect(() => noGrad(() => { throw new Error('boom'); })).to.throw('boom');
    expect(isGradEnabled()).to.equal(true);
    const d = x.mul(3).detach();
    expect(d.requiresGrad).to.equal(false);
    expect(d.node).to.equal(null);
    expect(x.mul(3).requiresGrad).to.equal(true);
  });

  it('handles a deep graph without recursion limits', () => {
    const x = tensor([1], undefined, { dtype: 'float64', requiresGrad: true });
    let y: Tensor = x;
    for (let i = 0; i < 20000; i++) y = y.add(1);
    y.sum().backward();
    expect(x.grad!.item()).to.equal(1);
  });
});

/** Wraps the CPU kernels and records every call, to prove ops go through getBackend(). */
class SpyBackend implements Backend {
  readonly name = 'spy';
  readonly calls: string[] = [];
  readonly matmulFlags: MatmulFlags[] = [];
  private readonly cpu = new CpuBackend();
  describe(): string {
    return 'spy over cpu';
  }
  matmul(a: FloatArray, b: FloatArray, m: number, k: number, n: number, flags: MatmulFlags = {}): FloatArray {
    this.calls.push('matmul');
    this.matmulFlags.push({ transposeA: flags.transposeA === true, transposeB: flags.transposeB === true });
    return this.cpu.matmul(a, b, m, k, n, flags);
  }
  relu(x: FloatArray): FloatArray {
    this.calls.push('relu');
    return this.cpu.relu(x);
  }
  reluBackward(x: FloatArray, dy: FloatArray): FloatArray {
    this.calls.push('reluBackward');
    return this.cpu.reluBackward(x, dy);
  }
  addBias(x: FloatArray, bias: FloatArray, rows: number, cols: number): FloatArray {
    this.calls.push('addBias');
    return this.cpu.addBias(x, bias, rows, cols);
  }
  linear(): FloatArray {
    this.calls.push('linear');
    return allocateLike(new Float32Array(0), 0);
  }
}

describe('tensor ops run on the active backend', () => {
  let previous: Backend;
  let spy: SpyBackend;
  beforeEach(() => {
    previous = getBackend();
    spy = new SpyBackend();
    registerBackend('spy', () => spy);
    setBackend('spy');
  });
  afterEach(() => {
    setBackend(previous.name);
  });

  it('matmul forward/backward, relu forward/backward and bias add call the backend; backward uses transpose flags', () => {
    const x = tensor([[1, -2, 3], [-4, 5, -6]], undefined, { requiresGrad: true });
    const w = tensor([[1, 0], [0, 1], [1, 1]], undefined, { requiresGrad: true });
    const b = tensor([0.5, -0.5], undefined, { requiresGrad: true });
    const h = relu(matmul(x, w).add(b));
    expect(spy.calls).to.deep.equal(['matmul', 'addBias', 'relu']);
    expect(spy.matmulFlags[0]).to.deep.equal({ transposeA: false, transposeB: false });
    h.sum().backward();
    expect(spy.calls.filter((c) => c === 'reluBackward')).to.have.length(1);
    expect(spy.calls.filter((c) => c === 'matmul')).to.have.length(3);
    // dX = G Wᵀ and dW = Xᵀ G: flags, not copies.
    expect(spy.matmulFlags.slice(1)).to.deep.include.members([
      { transposeA: false, transposeB: true },
      { transposeA: true, transposeB: false },
    ]);
    // A transposed view operand is passed with the flag, not materialized.
    spy.matmulFlags.length = 0;
    matmul(w.transpose(), x.transpose());
    expect(spy.matmulFlags).to.deep.equal([{ transposeA: true, transposeB: true }]);
  });
});
