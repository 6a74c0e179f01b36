/**
 * The argument checks every Backend's kernel methods share (src/kernels/operands.ts), asserted on one backend:
 * each malformed call throws the typed error naming the argument and the value given.
 */
import { expect } from 'chai';
import { DomainError, DTypeError, ShapeError } from '../../src/core/errors.js';
import type { Backend } from '../../src/kernels/backend.js';

/** Calls that lie about their types on purpose: the checks exist for JavaScript callers and junk. */
const junk = <T>(v: unknown): T => v as T;

export function expectOperandChecks(be: Backend): void {
  const f = new Float32Array(6);
  // Operands that are not Float32Array / Float64Array: DTypeError naming the operand.
  expect(() => be.matmul(junk([1, 2, 3, 4, 5, 6]), f, 2, 3, 2)).to.throw(DTypeError, 'matmul: a must be a Float32Array or Float64Array, got [1, 2, 3, 4, 5, 6]');
  expect(() => be.matmul(f, junk(new Int8Array(6)), 2, 3, 2)).to.throw(DTypeError, 'matmul: b must be a Float32Array or Float64Array, got Int8Array(6)');
  expect(() => be.relu(junk(null))).to.throw(DTypeError, 'relu: x must be a Float32Array or Float64Array, got null');
  expect(() => be.reluBackward(f, junk(undefined))).to.throw(DTypeError, 'reluBackward: dy must be a Float32Array or Float64Array, got undefined');
  expect(() => be.addBias(f, junk('b'), 2, 3)).to.throw(DTypeError, 'addBias: bias must be a Float32Array or Float64Array, got "b"');
  expect(() => be.linear(f, f, junk(undefined), 2, 3, 2)).to.throw(DTypeError, 'linear: bias must be a Float32Array or Float64Array, got undefined');
  expect(() => be.linear(junk({}), f, null, 2, 3, 2)).to.throw(DTypeError, 'linear: x must be a Float32Array or Float64Array, got object');
  // Dimensions: non-negative integers (a negative pair would otherwise pass m*k = length), lengths matching.
  expect(() => be.matmul(f, f, -2, -3, -2)).to.throw(ShapeError, 'matmul: m must be a non-negative integer, got -2');
  expect(() => be.matmul(f, f, 2, 3, Number.NaN)).to.throw(ShapeError, 'matmul: n must be a non-negative integer, got NaN');
  expect(() => be.linear(f, f, null, 2, 3, junk('2'))).to.throw(ShapeError, 'linear: n must be a non-negative integer, got "2"');
  expect(() => be.addBias(f, f, 2, 1.5)).to.throw(ShapeError, 'addBias: cols must be a non-negative integer, got 1.5');
  expect(() => be.addBias(f, new Float32Array(3), 3, 3)).to.throw(ShapeError, 'addBias: x must have rows*cols = 9 elements, got Float32Array(6)');
  expect(() => be.reluBackward(f, new Float32Array(5))).to.throw(ShapeError, 'reluBackward: dy must have x.length = 6 elements, got Float32Array(5)');
  expect(() => be.linear(f, f, new Float32Array(3), 2, 3, 2)).to.throw(ShapeError, 'linear: bias must have n = 2 elements, got Float32Array(3)');
  // Flags: an object whose flags are booleans.
  expect(() => be.matmul(f, f, 2, 3, 2, junk(null))).to.throw(DomainError, 'matmul: flags must be an object or undefined, got null');
  expect(() => be.matmul(f, f, 2, 3, 2, junk({ transposeA: 1 }))).to.throw(DomainError, 'matmul: flags.transposeA must be a boolean or undefined, got 1');
  expect(() => be.linear(f, f, null, 2, 3, 2, junk({ relu: 'yes' }))).to.throw(DomainError, 'linear: flags.relu must be a boolean or undefined, got "yes"');
  // The checks reject before work and leave valid calls alone.
  expect(be.matmul(f, f, 2, 3, 2, { transposeA: false, transposeB: undefined }).length).to.equal(4);
}
