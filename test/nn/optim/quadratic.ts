/**
 * Test helpers for the optimizers: a separable quadratic loss L(θ) = Σ_i (a_i θ_i² / 2 + c_i θ_i) whose gradient
 * a ⊙ θ + c the references compute by hand, while the optimizers get it from autograd.
 */
import { expect } from 'chai';
import { type Tensor, tensor } from '../../../src/tensor/index.js';

export interface Quadratic {
  readonly a: number[];
  readonly c: number[];
}

/** The loss as a graph of tensor ops (so `backward` produces the gradient the optimizer reads). */
export function quadraticLoss(p: Tensor, q: Quadratic): Tensor {
  const a = tensor(q.a, [q.a.length], { dtype: p.dtype });
  const c = tensor(q.c, [q.c.length], { dtype: p.dtype });
  return p.mul(p).mul(a).scale(0.5).add(p.mul(c)).sum();
}

/** ∂L/∂θ = a ⊙ θ + c, by hand. */
export const quadraticGrad = (theta: readonly number[], q: Quadratic): number[] => theta.map((t, i) => q.a[i]! * t + q.c[i]!);

/** |got − want| ≤ tol·(1 + |want|) elementwise. */
export function expectClose(got: ArrayLike<number>, want: readonly number[], tol: number, what = 'value'): void {
  expect(got.length, `${what}: length`).to.equal(want.length);
  want.forEach((w, i) => {
    const g = got[i]!;
    expect(Math.abs(g - w), `${what}[${i}]: got ${g}, want ${w}`).to.be.at.most(tol * (1 + Math.abs(w)));
  });
}
