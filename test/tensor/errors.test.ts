/** Every misuse raises the right error class, with a message naming the argument at fault. */
import { expect } from 'chai';
import { DomainError, DTypeError, GradError, NonFiniteError, ShapeError } from '../../src/core/errors.js';
import {
  add,
  arange,
  broadcastTo,
  crossEntropy,
  eye,
  full,
  leakyRelu,
  matmul,
  max,
  mse,
  reshape,
  scale,
  sum,
  tensor,
  transpose,
  zeros,
} from '../../src/tensor/index.js';

const m23 = () => tensor([[1, 2, 3], [4, 5, 6]]);

describe('tensor errors', () => {
  it('creation: ragged nesting, wrong element types, bad shapes and dtypes', () => {
    expect(() => tensor([[1, 2], [3]])).to.throw(ShapeError, /values.*ragged.*values\[1\]/);
    expect(() => tensor([[[1], [2]], [[3, 4], [5, 6]]])).to.throw(ShapeError, /values\[1\]/);
    expect(() => tensor([1, 'x' as unknown as number])).to.throw(DTypeError, /values\[1\] must be a number/);
    expect(() => tensor([1, 2, 3], [2, 2])).to.throw(ShapeError, /shape \[2, 2\].*3/);
    // `as never` / `as unknown as`: deliberately bypass the types to reach the runtime checks JS callers hit.
    expect(() => tensor([1, 2], [2], { dtype: 'int32' as never })).to.throw(DTypeError, /opts\.dtype.*"int32"/);
    expect(() => zeros([2, -1])).to.throw(ShapeError, /shape\[1\] must be a non-negative integer, got -1/);
    expect(() => zeros([1.5])).to.throw(ShapeError, /shape\[0\].*1\.5/);
    expect(() => eye(-2)).to.throw(ShapeError, /got -2/);
    expect(() => full([2], NaN)).to.throw(NonFiniteError, /value.*NaN/);
    expect(() => arange(0, 5, 0)).to.throw(DomainError, /step must be non-zero, got 0/);
    expect(() => arange(0, Infinity)).to.throw(NonFiniteError, /stop/);
  });

  it('shape ops: reshape, transpose, broadcastTo, item', () => {
    expect(() => reshape(m23(), [4, 2])).to.throw(ShapeError, /shape must have 6 elements.*\[4, 2\]/);
    expect(() => reshape(m23(), [-1, 4])).to.throw(ShapeError, /cannot be inferred/);
    expect(() => reshape(m23(), [3, -2])).to.throw(ShapeError, /shape\[1\].*-2/);
    expect(() => transpose(tensor([1, 2]))).to.throw(ShapeError, /at least 2 dims.*\[2\]/);
    expect(() => transpose(m23(), 0, 2)).to.throw(ShapeError, /dim1 must be an integer in \[-2, 1\].*got 2/);
    expect(() => broadcastTo(m23(), [3, 3])).to.throw(ShapeError, /broadcastable.*\[2, 3\] and \[3, 3\]/);
    expect(() => broadcastTo(m23(), [3])).to.throw(ShapeError, /shape must be a broadcast/);
    expect(() => m23().item()).to.throw(ShapeError, /item\(\).*exactly 1 element.*\[2, 3\]/);
  });

  it('binary ops: non-broadcastable shapes and mixed dtypes', () => {
    expect(() => add(m23(), tensor([1, 2]))).to.throw(ShapeError, /add: a and b must have broadcastable shapes, got \[2, 3\] and \[2\]/);
    expect(() => m23().mul(zeros([3, 3]))).to.throw(ShapeError, /mul: a and b/);
    const f64 = tensor([1, 2, 3], undefined, { dtype: 'float64' });
    expect(() => add(m23(), f64)).to.throw(DTypeError, /add: b must have a's dtype float32, got float64/);
    expect(() => matmul(m23(), tensor([[1], [2], [3]], undefined, { dtype: 'float64' }))).to.throw(DTypeError, /matmul: b.*dtype/);
    // The explicit cast is the fix the message suggests.
    expect(add(m23(), f64.to('float32')).shape).to.deep.equal([2, 3]);
  });

  it('matmul: rank and inner-dimension mismatches', () => {
    expect(() => matmul(m23(), m23())).to.throw(ShapeError, /b\.shape\[-2\] must equal a\.shape\[-1\] = 3, got 2/);
    expect(() => matmul(tensor([1, 2]), m23())).to.throw(ShapeError, /a must be 2-D or 3-D, got shape \[2\]/);
    expect(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 1]))).to.throw(ShapeError, /batch sizes.*2 and 3/);
  });

  it('reductions: axis out of range or repeated; empty max', () => {
    expect(() => sum(m23(), 2)).to.throw(ShapeError, /axis must be an integer in \[-2, 1\] for a 2-D tensor, got 2/);
    expect(() => m23().mean(-3)).to.throw(ShapeError, /axis.*got -3/);
    expect(() => sum(m23(), [1, -1])).to.throw(ShapeError, /axis must not repeat/);
    expect(() => m23().softmax(5)).to.throw(ShapeError, /axis/);
    expect(() => max(zeros([2, 0]), 1)).to.throw(DomainError, /non-empty axis/);
  });

  it('scalar parameters must be finite', () => {
    expect(() => scale(m23(), NaN)).to.throw(NonFiniteError, /c must be a finite number, got NaN/);
    expect(() => leakyRelu(m23(), Infinity)).to.throw(NonFiniteError, /slope/);
  });

  it('crossEntropy: logits shape, label count, range, integrality, finiteness', () => {
    const z = m23();
    expect(() => crossEntropy(tensor([1, 2, 3]), [0])).to.throw(ShapeError, /logits must be a non-empty 2-D tensor \[N, C\], got shape \[3\]/);
    expect(() => crossEntropy(z, [0])).to.throw(ShapeError, /labels must have one entry per row of logits \(2\), got 1/);
    expect(() => crossEntropy(z, [0, 3])).to.throw(DomainError, /labels\[1\] must be a class index in \[0, 2\], got 3/);
    expect(() => crossEntropy(z, Int32Array.from([-1, 0]))).to.throw(DomainError, /labels\[0\].*got -1/);
    expect(() => crossEntropy(z, [0.5, 1])).to.throw(DTypeError, /labels\[0\] must be an integer class index, got 0\.5/);
    expect(() => crossEntropy(z, [0, NaN])).to.throw(NonFiniteError, /labels\[1\].*NaN/);
    expect(() => crossEntropy(z, tensor([[0, 1]]))).to.throw(ShapeError, /labels must be a 1-D tensor/);
    expect(() => crossEntropy(z, tensor([0, 1.25]))).to.throw(DTypeError, /labels\[1\]/);
    expect(() => crossEntropy(z, 'ab' as never)).to.throw(DTypeError, /labels must be/);
  });

  it('mse: shapes must match exactly', () => {
    expect(() => mse(m23(), tensor([1, 2, 3]))).to.throw(ShapeError, /mse: target must have pred's shape \[2, 3\], got \[3\]/);
  });

  it('autograd misuse', () => {
    const x = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.backward()).to.throw(GradError, /without a seed.*scalar.*\[3\]/);
    expect(() => y.backward(tensor([1, 1]))).to.throw(ShapeError, /seed must have the output's shape \[3\], got \[2\]/);
    expect(() => tensor([1]).sum().backward()).to.throw(GradError, /requiresGrad/);
    expect(() => x.detach().sum().backward()).to.throw(GradError, /requiresGrad/);
  });
});
