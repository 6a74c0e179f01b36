/**
 * Central finite differences against autograd, in float64: for a scalar loss L(inputs) built from tensor ops,
 * every element of every input's `.grad` (after `L.backward()`) is compared with (L(x + h·e_i) − L(x − h·e_i)) / 2h.
 *
 * Error of the difference quotient: truncation h²·|∂³L|/6 plus rounding ≈ 2·ε·S/(2h), where S bounds the magnitude
 * of the terms summed in L (ε = 2^-52). Callers pass `h` and `tol(fd)` derived from those two terms.
 */
import { expect } from 'chai';
import { noGrad, type Tensor } from '../../src/tensor/index.js';

/** Compare autograd with central differences for `loss` on each tensor of `inputs` (contiguous float64 leaves). */
export function checkGradients(loss: () => Tensor, inputs: readonly Tensor[], h: number, tol: (fd: number) => number, what = ''): void {
  for (const x of inputs) {
    x.zeroGrad();
    expect(x.dtype).to.equal('float64');
    expect(x.isContiguous() && x.offset === 0 && x.node === null).to.equal(true);
  }
  loss().backward();
  const value = (): number => noGrad(() => loss().item());
  inputs.forEach((x, k) => {
    const g = x.grad;
    expect(g, `${what} input ${k} got a gradient`).to.not.equal(null);
    expect(g!.shape).to.deep.equal(x.shape);
    const grad = g!.dense();
    for (let i = 0; i < x.size; i++) {
      const x0 = x.data[i] as number;
      x.data[i] = x0 + h;
      const lp = value();
      x.data[i] = x0 - h;
      const lm = value();
      x.data[i] = x0;
      const fd = (lp - lm) / (2 * h);
      expect(Math.abs((grad[i] as number) - fd), `${what} input ${k}, element ${i}: autograd ${grad[i]} vs fd ${fd}`).to.be.at.most(tol(fd));
    }
  });
}
