/**
 * Hardening of the public tensor API against what a property-based fuzzer throws at it: null and unknown options,
 * wrong option types, shapes beyond what a typed array holds, stride-0 views of 1e18 elements, empty reductions.
 * Every case must be a typed InitlabError naming the argument (never a TypeError / RangeError from the engine).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, DTypeError, InitlabError, NonFiniteError, ShapeError } from '../../src/core/errors.js';
import { MAX_ELEMENTS } from '../../src/core/index.js';
import ndarray from 'ndarray';
import {
  add,
  arange,
  argmax,
  backward,
  broadcastShapes,
  broadcastTo,
  eye,
  fromNdarray,
  full,
  linear,
  logSoftmax,
  logSumExp,
  matmul,
  max,
  mean,
  mse,
  noGrad,
  ones,
  softmax,
  sum,
  sumTo,
  Tensor,
  tensor,
  toNdarray,
  zeroGrad,
  zeros,
} from '../../src/tensor/index.js';

const m23 = () => tensor([[1, 2, 3], [4, 5, 6]]);
const LIMIT = /the limit is MAX_ELEMENTS = 4294967296/;
// `as never`: deliberately bypass the types to reach the runtime checks that JS callers (and the fuzzer) hit.

describe('tensor hardening: options', () => {
  it('null is never "absent": a null options record is a DomainError naming it', () => {
    expect(() => zeros([2], null as never)).to.throw(DomainError, /^opts must be an object, got null$/);
    expect(() => ones([2], null as never)).to.throw(DomainError, /^opts must be an object, got null$/);
    expect(() => full([2], 1, null as never)).to.throw(DomainError, /^opts must be an object, got null$/);
    expect(() => tensor([1], undefined, null as never)).to.throw(DomainError, /^opts must be an object, got null$/);
    expect(() => arange(3, undefined, undefined, null as never)).to.throw(DomainError, /^opts must be an object, got null$/);
    expect(() => eye(2, 2, null as never)).to.throw(DomainError, /^opts must be an object, got null$/);
    expect(() => fromNdarray(ndarray(new Float32Array(2)), null as never)).to.throw(DomainError, /^opts must be an object, got null$/);
    const x = tensor([[1, 2]]);
    const W = tensor([[1, 2]]);
    expect(() => linear(x, W, null, null as never)).to.throw(DomainError, /^options must be an object, got null$/);
    // b is documented nullable: null (or absent) means no bias.
    expect(linear(x, W, null).toArray()).to.deep.equal([[5]]);
    expect(linear(x, W).toArray()).to.deep.equal([[5]]);
  });

  it('unknown option keys name the key, the function and the allowed keys, with a did-you-mean', () => {
    expect(() => tensor([1], undefined, { dtyp: 'float64' } as never)).to.throw(
      DomainError,
      /^unknown option opts\.dtyp for tensor \(did you mean dtype\?\); allowed: dtype, requiresGrad$/,
    );
    expect(() => zeros([2], { requireGrad: true } as never)).to.throw(DomainError, /^unknown option opts\.requireGrad for zeros \(did you mean requiresGrad\?\)/);
    expect(() => ones([2], { bogus: 1 } as never)).to.throw(DomainError, /^unknown option opts\.bogus for ones; allowed: dtype, requiresGrad$/);
    expect(() => full([2], 3, { dtyp: 'float64' } as never)).to.throw(DomainError, /opts\.dtyp for full/);
    expect(() => arange(3, undefined, undefined, { dtyp: 'float64' } as never)).to.throw(DomainError, /opts\.dtyp for arange/);
    expect(() => eye(2, 2, { dtyp: 'float64' } as never)).to.throw(DomainError, /opts\.dtyp for eye/);
    expect(() => fromNdarray(ndarray(new Float32Array(2)), { dtype: 'float32' } as never)).to.throw(
      DomainError,
      /^unknown option opts\.dtype for fromNdarray; allowed: requiresGrad$/,
    );
    const x = tensor([[1, -2]]);
    const W = tensor([[1, 1]]);
    expect(() => linear(x, W, null, { rleu: true } as never)).to.throw(DomainError, /^unknown option options\.rleu for linear \(did you mean relu\?\); allowed: relu$/);
    // Keys set to undefined mean "not given".
    expect(tensor([1], undefined, { dtype: undefined, requiresGrad: undefined }).dtype).to.equal('float32');
  });

  it('option values of the wrong type are typed errors (no truthiness)', () => {
    const x = tensor([[1, -2]]);
    const W = tensor([[1, 1]]);
    expect(() => linear(x, W, null, { relu: 'yes' } as never)).to.throw(DomainError, /^options\.relu must be a boolean \(true or false\), got "yes"$/);
    expect(() => linear(x, W, null, { relu: 1 } as never)).to.throw(DomainError, /options\.relu.*got 1/);
    expect(linear(x, W, null, { relu: true }).toArray()).to.deep.equal([[0]]);
    expect(linear(x, W, null, { relu: false }).toArray()).to.deep.equal([[-1]]);
    expect(() => tensor([1], undefined, { requiresGrad: 'yes' } as never)).to.throw(DomainError, /^opts\.requiresGrad must be a boolean \(true or false\), got "yes"$/);
    expect(() => zeros([1], { requiresGrad: 1 } as never)).to.throw(DomainError, /opts\.requiresGrad.*got 1/);
    expect(() => zeros([1], { dtype: null } as never)).to.throw(DTypeError, /^opts\.dtype must be one of "float32", "float64", got null$/);
    expect(() => fromNdarray(ndarray(new Float32Array(2)), { requiresGrad: 'no' } as never)).to.throw(DomainError, /opts\.requiresGrad/);
    expect(zeros([1], { requiresGrad: true }).requiresGrad).to.equal(true);
  });

  it('whatever the options value, creation either succeeds or throws a DomainError (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (opts) => {
        for (const make of [() => zeros([2], opts as never), () => tensor([1, 2], undefined, opts as never), () => arange(0, 2, 1, opts as never)]) {
          try {
            const t = make();
            expect(t.shape).to.deep.equal([2]);
          } catch (e) {
            expect(e).to.be.instanceOf(DomainError);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('tensor hardening: sizes', () => {
  it('shapes beyond MAX_ELEMENTS are ShapeErrors stating the limit, before any allocation', () => {
    expect(() => zeros([1e300])).to.throw(ShapeError, /^shape has too many elements \(1e\+300\) to allocate: the limit is MAX_ELEMENTS = 4294967296/);
    expect(() => zeros([65537, 65537])).to.throw(ShapeError, /\(4295098369\).*MAX_ELEMENTS = 4294967296/);
    expect(() => full([2 ** 33], 1)).to.throw(ShapeError, LIMIT);
    expect(() => eye(1e5, 1e5)).to.throw(ShapeError, /^\[n, m\] has too many elements \(10000000000\)/);
    expect(() => tensor([1], [1e300, 0, 1e300])).to.throw(ShapeError, /shape \[1e\+300, 0, 1e\+300\] must have as many elements as values \(1\), got 0/);
    // A zero dim makes the count 0, whatever the other dims.
    expect(zeros([0, 1e300]).size).to.equal(0);
  });

  it('arange: a count beyond MAX_ELEMENTS is a ShapeError naming the range and the limit', () => {
    expect(() => arange(1e39)).to.throw(ShapeError, /^arange\(0, 1e\+39, 1\) has too many elements \(1e\+39\) to allocate: the limit is MAX_ELEMENTS = 4294967296/);
    expect(() => arange(-1e308, 1e308)).to.throw(ShapeError, /\(Infinity\).*MAX_ELEMENTS/);
    expect(() => arange(0, 1, 1e-12)).to.throw(ShapeError, LIMIT);
    expect(arange(0, 1, 0.25).toArray()).to.deep.equal([0, 0.25, 0.5, 0.75]);
  });

  it('views obey the limit too, so no op over a stride-0 view can loop 1e18 times', () => {
    const one = tensor([1]);
    expect(() => broadcastTo(one, [1e9, 1e9])).to.throw(ShapeError, /^shape has too many elements \(1000000000000000000\) to allocate: the limit is MAX_ELEMENTS/);
    // The low-level constructor is the last line: a hand-built stride-0 view of 1e18 elements never reaches sum / softmax.
    expect(() => new Tensor(new Float32Array(1), [1e9, 1e9], [0, 0])).to.throw(
      ShapeError,
      /^Tensor shape \[1000000000, 1000000000\] has too many elements \(1000000000000000000\) to allocate: the limit is MAX_ELEMENTS/,
    );
    // A view within the limit still works, and costs no memory.
    const v = broadcastTo(one, [2 ** 16, 2 ** 16]);
    expect(v.size).to.equal(MAX_ELEMENTS);
    expect(v.strides).to.deep.equal([0, 0]);
    expect(sum(broadcastTo(one, [3, 4])).item()).to.equal(12);
  });

  it('results of broadcasting and products beyond the limit are ShapeErrors naming the operation', () => {
    expect(() => add(zeros([1e5, 1]), zeros([1, 1e5]))).to.throw(
      ShapeError,
      /^add: a and b broadcast to \[100000, 100000\], which has too many elements \(10000000000\) to allocate: the limit is MAX_ELEMENTS/,
    );
    expect(() => matmul(zeros([1e5, 1]), zeros([1, 1e5]))).to.throw(ShapeError, /^matmul: the result \[100000, 100000\] has too many elements \(10000000000\).*MAX_ELEMENTS/);
    expect(() => linear(zeros([1e5, 1]), zeros([1e5, 1]))).to.throw(ShapeError, /^linear: the result \[100000, 100000\] has too many elements/);
  });
});

describe('tensor hardening: reductions', () => {
  it('axis must be an integer in [-ndim, ndim), a list of them, or absent: null and strings are ShapeErrors', () => {
    const t = m23();
    expect(() => sum(t, null as never)).to.throw(ShapeError, /^axis must be an integer in \[-2, 1\], a list of them or absent for a 2-D tensor, got null$/);
    expect(() => sum(t, '0' as never)).to.throw(ShapeError, /^axis must be .* got "0"$/);
    expect(() => mean(t, { 0: 1 } as never)).to.throw(ShapeError, /axis must be .* got object/);
    expect(() => sum(t, [0, '1'] as never)).to.throw(ShapeError, /^axis\[1\] must be an integer in \[-2, 1\] for a 2-D tensor, got "1"$/);
    expect(() => sum(t, [0, 2])).to.throw(ShapeError, /^axis\[1\] must be an integer in \[-2, 1\].*got 2$/);
    expect(() => sum(tensor(3), 0)).to.throw(ShapeError, /axis must be none \(the tensor is 0-D\)/);
    expect(() => sum(tensor(3), null as never)).to.throw(ShapeError, /axis must be absent or \[\] for a 0-D tensor, got null/);
    expect(() => max(t, null as never)).to.throw(ShapeError, /^axis must be an integer in \[-2, 1\] for a 2-D tensor, got null$/);
    expect(() => softmax(t, null as never)).to.throw(ShapeError, /axis.*got null/);
    expect(() => logSoftmax(t, '1' as never)).to.throw(ShapeError, /axis.*got "1"/);
    expect(sum(t, [0, 1]).item()).to.equal(21);
    expect(sum(t, -1).toArray()).to.deep.equal([6, 15]);
  });

  it('keepdims must be a boolean: 1 and "yes" are DomainErrors, not coerced', () => {
    const t = m23();
    for (const [name, f] of [
      ['sum', () => sum(t, 0, 1 as never)],
      ['mean', () => mean(t, 0, 'yes' as never)],
      ['max', () => max(t, 0, 1 as never)],
      ['argmax', () => argmax(t, 0, null as never)],
      ['logSumExp', () => logSumExp(t, 0, 1 as never)],
    ] as const) {
      expect(f, name).to.throw(DomainError, /^keepdims must be a boolean \(true or false\), got/);
    }
    expect(sum(t, 0, true).shape).to.deep.equal([1, 3]);
    expect(t.sum(0).shape).to.deep.equal([3]);
  });

  it('whatever axis and keepdims are, sum either succeeds or throws a typed error (property)', () => {
    const t = m23();
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (axis, keepdims) => {
        try {
          sum(t, axis as never, keepdims as never);
        } catch (e) {
          expect(e).to.be.instanceOf(InitlabError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('empty reductions: sum is 0 by convention; mean, mse and max of nothing are DomainErrors', () => {
    expect(sum(zeros([0])).item()).to.equal(0);
    expect(sum(zeros([2, 0]), 1).toArray()).to.deep.equal([0, 0]);
    expect(() => mean(zeros([0]))).to.throw(DomainError, /^mean needs a non-empty reduction, got 0 elements along axes \[0\] of shape \[0\]$/);
    expect(() => mean(zeros([2, 0]), 1)).to.throw(DomainError, /axes \[1\] of shape \[2, 0\]/);
    expect(() => zeros([0]).mean()).to.throw(DomainError, /mean needs a non-empty reduction/);
    expect(() => mse(zeros([0]), zeros([0]))).to.throw(DomainError, /^mse: pred must be non-empty, got shape \[0\] \(0 elements\)$/);
    expect(() => max(zeros([0]))).to.throw(DomainError, /max needs a non-empty axis/);
    // Reducing a non-empty axis of a tensor that is empty elsewhere is fine: an empty result, no NaN.
    expect(mean(zeros([0, 3]), 1).shape).to.deep.equal([0]);
    // log Σ exp over nothing is log 0.
    expect(logSumExp(zeros([2, 0]), 1).toArray()).to.deep.equal([-Infinity, -Infinity]);
  });
});

describe('tensor hardening: messages name what the caller called', () => {
  it('mse with mismatched dtypes names mse, target and pred (not the internal sub)', () => {
    const p = tensor([1, 2]);
    expect(() => mse(p, p.to('float64'))).to.throw(DTypeError, /^mse: target must have pred's dtype float32, got float64 \(cast explicitly with \.to\('float32'\)\)$/);
  });

  it('backward(null) names the seed', () => {
    const x = tensor([1], undefined, { requiresGrad: true });
    expect(() => x.sum().backward(null as never)).to.throw(DTypeError, /^seed must be a Tensor, got null$/);
  });
});

describe('tensor hardening: NaN policy', () => {
  it('data may hold NaN and ±Infinity; NaN propagates', () => {
    const t = tensor([1, NaN, Infinity]);
    expect((t.toArray() as number[])[1]).to.be.NaN;
    expect(sum(t).item()).to.be.NaN;
    expect(fromNdarray(ndarray(Float64Array.from([NaN]))).item()).to.be.NaN;
  });

  it('parameters are checked: full value (no NaN, ±Infinity allowed), arange start / stop / step finite', () => {
    expect(full([2], -Infinity).toArray()).to.deep.equal([-Infinity, -Infinity]);
    expect(() => full([2], NaN)).to.throw(NonFiniteError, /^value must be a number other than NaN, got NaN$/);
    expect(() => full([2], null as never)).to.throw(DomainError, /^value must be a number \(not NaN\), got null$/);
    expect(() => arange(0, 1, NaN)).to.throw(NonFiniteError, /^step must be a finite number, got NaN$/);
    expect(() => arange(NaN)).to.throw(NonFiniteError, /^start must be a finite number, got NaN$/);
    expect(() => arange(0, null as never)).to.throw(DomainError, /^stop must be a finite number, got null$/);
    expect(() => arange(0, 3, null as never)).to.throw(DomainError, /^step must be a finite number, got null$/);
    expect(() => m23().scale(null as never)).to.throw(DomainError, /^c must be a finite number, got null$/);
  });
});

describe('tensor hardening: the low-level Tensor constructor checks the view it wraps', () => {
  it('data must be a Float32Array or Float64Array', () => {
    expect(() => new Tensor([1, 2] as never, [2])).to.throw(DTypeError, /^data must be a Float32Array or a Float64Array, got \[1, 2\]$/);
    expect(() => new Tensor(new Int8Array(2) as never, [2])).to.throw(DTypeError, /got Int8Array\(2\)$/);
    expect(() => new Tensor(null as never, [])).to.throw(DTypeError, /got null$/);
  });

  it('shape must be an array of non-negative integers', () => {
    const d = new Float64Array(5);
    expect(() => new Tensor(d, (() => 1) as never)).to.throw(ShapeError, /^shape must be an array of non-negative integers, got function$/);
    expect(() => new Tensor(d, new Uint32Array([5]) as never)).to.throw(ShapeError, /got Uint32Array\(1\)$/);
    expect(() => new Tensor(d, [2, -1])).to.throw(ShapeError, /^shape\[1\] must be a non-negative integer, got -1 \(in shape = \[2, -1\]\)$/);
    expect(() => new Tensor(d, [2.5])).to.throw(ShapeError, /^shape\[0\] .* got 2\.5/);
    expect(() => new Tensor(d, ['5'] as never)).to.throw(ShapeError, /^shape\[0\] .* got "5"/);
    // A zero dim makes an empty view whatever the other dims (no 0 · Infinity = NaN count).
    expect(new Tensor(d, [1e300, 1e300, 0]).size).to.equal(0);
  });

  it('strides must be one integer per dimension, offset a non-negative integer', () => {
    const d = new Float32Array(6);
    expect(() => new Tensor(d, [2, 3], [3] as never)).to.throw(ShapeError, /^strides must be an array of 2 integer\(s\), one per dimension of shape \[2, 3\], got \[3\]$/);
    expect(() => new Tensor(d, [2, 3], (() => 1) as never)).to.throw(ShapeError, /^strides must be an array of 2 integer\(s\).*got function$/);
    expect(() => new Tensor(d, [2, 3], [3, 0.5])).to.throw(ShapeError, /^strides\[1\] must be an integer, got 0\.5$/);
    expect(() => new Tensor(d, [2, 3], [3, 1], -1)).to.throw(ShapeError, /^offset must be a non-negative integer, got -1$/);
    expect(() => new Tensor(d, [2, 3], undefined, -1e308)).to.throw(ShapeError, /^offset must be a non-negative integer, got -1e\+308$/);
    expect(() => new Tensor(d, [6], undefined, 0, 'yes' as never)).to.throw(DomainError, /^requiresGrad must be a boolean \(true or false\), got "yes"$/);
  });

  it('every element the view addresses must lie inside data (negative strides included)', () => {
    const d = new Float32Array([0, 1, 2, 3, 4, 5]);
    expect(() => new Tensor(d, [4, 4])).to.throw(
      ShapeError,
      /^shape \[4, 4\], strides \(row-major\) and offset 0 address elements 0 to 15 of data, which has 6: the view must lie inside data$/,
    );
    expect(() => new Tensor(d, [3], undefined, 4)).to.throw(ShapeError, /address elements 4 to 6 of data, which has 6/);
    expect(() => new Tensor(d, [3], [-1], 1)).to.throw(ShapeError, /strides \[-1\] and offset 1 address elements -1 to 1 of data/);
    expect(() => new Tensor(d, [2], [1e300])).to.throw(ShapeError, /address elements 0 to 1e\+300 of data/);
    // Views inside data are fine: a reversed view, a transposed view, stride-0 broadcasts, an empty view past the end.
    expect(new Tensor(d, [3], [-2], 4).toArray()).to.deep.equal([4, 2, 0]);
    expect(new Tensor(d, [3, 2], [1, 3]).toArray()).to.deep.equal([[0, 3], [1, 4], [2, 5]]);
    expect(new Tensor(d, [2, 3], [0, 1], 3).toArray()).to.deep.equal([[3, 4, 5], [3, 4, 5]]);
    expect(new Tensor(d, [0, 7], undefined, 6).size).to.equal(0);
    expect(new Tensor(new Float64Array(1), []).item()).to.equal(0);
    expect(() => new Tensor(new Float64Array(0), [])).to.throw(ShapeError, /address elements 0 to 0 of data, which has 0/);
  });

  it('whatever the arguments, the constructor returns or throws an InitlabError (property)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), (shape, strides, offset, rg) => {
        try {
          new Tensor(new Float32Array(4), shape as never, strides as never, offset as never, rg as never);
        } catch (e) {
          expect(e).to.be.instanceOf(InitlabError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('tensor hardening: autograd, broadcasting and ndarray entry points', () => {
  it('backward needs a Tensor root; noGrad a function; zeroGrad an iterable of Tensors (checked before clearing any)', () => {
    expect(() => backward(undefined as never)).to.throw(DTypeError, /^root must be a Tensor, got undefined$/);
    expect(() => backward(null as never)).to.throw(DTypeError, /^root must be a Tensor, got null$/);
    expect(() => noGrad(1e308 as never)).to.throw(DomainError, /^fn must be a function \(run without recording history\), got 1e\+308$/);
    expect(noGrad(() => 7)).to.equal(7);
    expect(() => zeroGrad(null as never)).to.throw(DomainError, /^params must be an iterable of Tensors \(e\.g\. an array\), got null$/);
    expect(() => zeroGrad({} as never)).to.throw(DomainError, /got object$/);
    expect(() => zeroGrad(3 as never)).to.throw(DomainError, /got 3$/);
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    backward(sum(x));
    expect(() => zeroGrad([x, -1e-300] as never)).to.throw(DTypeError, /^params\[1\] must be a Tensor, got -1e-300$/);
    expect(x.grad, 'nothing cleared before the check').to.not.equal(null);
    zeroGrad(new Set([x]));
    expect(x.grad).to.equal(null);
  });

  it('broadcastShapes checks both shapes and the label', () => {
    expect(() => broadcastShapes(null as never, [1, 3])).to.throw(ShapeError, /^a must be an array of non-negative integers, got null$/);
    expect(() => broadcastShapes([2, 1], undefined as never)).to.throw(ShapeError, /^b must be an array .* got undefined$/);
    expect(() => broadcastShapes('float16' as never, [1, 3])).to.throw(ShapeError, /^a must be an array .* got "float16"$/);
    expect(() => broadcastShapes([1, 1], true as never)).to.throw(ShapeError, /^b must be .* got true$/);
    expect(() => broadcastShapes([1, -2], [1])).to.throw(ShapeError, /^a\[1\] must be a non-negative integer, got -2/);
    expect(() => broadcastShapes([2], [3], 7 as never)).to.throw(DomainError, /^what must be a string .* got 7$/);
    expect(broadcastShapes([2, 1], [1, 3])).to.deep.equal([2, 3]);
    expect(broadcastShapes([0, 1], [4])).to.deep.equal([0, 4]);
  });

  it('broadcastTo, sumTo and toNdarray name a non-Tensor operand', () => {
    expect(() => broadcastTo([1, 2] as never, [5, 4])).to.throw(DTypeError, /^broadcastTo: t must be a Tensor, got \[1, 2\]$/);
    expect(() => sumTo(1.000000000001 as never, [1, 6])).to.throw(DTypeError, /^sumTo: t must be a Tensor, got 1\.000000000001$/);
    expect(() => toNdarray('1' as never)).to.throw(DTypeError, /^t must be a Tensor, got "1"$/);
    expect(() => toNdarray(undefined as never)).to.throw(DTypeError, /^t must be a Tensor, got undefined$/);
    expect(sumTo(tensor([[1, 2], [3, 4]]), [1, 2]).toArray()).to.deep.equal([[4, 6]]);
  });

  it('fromNdarray: nd must be an ndarray whose stride and offset lie inside its data', () => {
    expect(() => fromNdarray(undefined as never)).to.throw(DomainError, /^nd must be an ndarray \(an object with data, shape, stride and offset\), got undefined$/);
    expect(() => fromNdarray(null as never)).to.throw(DomainError, /got null$/);
    expect(() => fromNdarray(ndarray(new Float32Array(4), [2, 2], [2, 1], 1))).to.throw(
      ShapeError,
      /^nd\.shape \[2, 2\], nd\.stride \[2, 1\] and nd\.offset 1 address elements 1 to 4 of nd\.data, which has 4/,
    );
    expect(() => fromNdarray({ data: new Float32Array(4), shape: [2], stride: ['1'], offset: 0 } as never)).to.throw(ShapeError, /^nd\.stride\[0\] must be an integer, got "1"$/);
    expect(() => fromNdarray({ data: new Float32Array(4), shape: [2], stride: [1], offset: -1 } as never)).to.throw(ShapeError, /^nd\.offset must be a non-negative integer, got -1$/);
    // A reversed ndarray view (negative stride) is fine and shares memory.
    const rev = ndarray(new Float32Array([1, 2, 3])).step(-1);
    expect(fromNdarray(rev).toArray()).to.deep.equal([3, 2, 1]);
  });
});
