/** Zero-copy interop with the `ndarray` package, both directions, including strided views. */
import { expect } from 'chai';
import ndarray from 'ndarray';
import { DTypeError } from '../../src/core/errors.js';
import { fromNdarray, matmul, relu, tensor, toNdarray } from '../../src/tensor/index.js';

describe('tensor <-> ndarray', () => {
  it('fromNdarray shares memory with a contiguous ndarray (both directions)', () => {
    const nd = ndarray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const t = fromNdarray(nd);
    expect(t.dtype).to.equal('float64');
    expect(t.data).to.equal(nd.data);
    expect(t.toArray()).to.deep.equal([[1, 2, 3], [4, 5, 6]]);
    nd.set(1, 2, 60);
    expect(t.toArray()).to.deep.equal([[1, 2, 3], [4, 5, 60]]);
    t.data[0] = -1;
    expect(nd.get(0, 0)).to.equal(-1);
  });

  it('fromNdarray of a transposed / offset / stepped ndarray view respects strides and offset', () => {
    const base = ndarray(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), [3, 4]);
    const tr = fromNdarray(base.transpose(1, 0));
    expect(tr.shape).to.deep.equal([4, 3]);
    expect(tr.isContiguous()).to.equal(false);
    expect(tr.toArray()).to.deep.equal([[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]]);
    base.set(2, 1, 90); // element (1, 2) of the transposed view
    expect((tr.toArray() as number[][])[1][2]).to.equal(90);

    const sliced = fromNdarray(base.hi(3, 3).lo(1, 1)); // rows 1..2, cols 1..2: offset view
    expect(sliced.offset).to.equal(5);
    expect(sliced.toArray()).to.deep.equal([[5, 6], [90, 10]]);
    const stepped = fromNdarray(base.step(1, -1)); // negative stride
    expect((stepped.toArray() as number[][])[0]).to.deep.equal([3, 2, 1, 0]);

    // Ops read strided views correctly (matmul gets the transpose flag, relu a dense copy).
    expect(matmul(tr, tensor([[1], [0], [0]])).toArray()).to.deep.equal([[0], [1], [2], [3]]);
    expect(relu(sliced.neg()).toArray()).to.deep.equal([[0, 0], [0, 0]]);
  });

  it('toNdarray shares memory, including for a transposed Tensor view', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]], undefined, { dtype: 'float64' });
    const nd = t.toNdarray();
    expect(nd.data).to.equal(t.data);
    expect(nd.get(1, 0)).to.equal(4);
    nd.set(0, 1, 20);
    expect(t.toArray()).to.deep.equal([[1, 20, 3], [4, 5, 6]]);

    const ndT = toNdarray(t.transpose());
    expect(ndT.shape).to.deep.equal([3, 2]);
    expect(ndT.get(1, 0)).to.equal(20);
    ndT.set(2, 1, 600); // t[1][2]
    expect((t.toArray() as number[][])[1][2]).to.equal(600);

    // Round trip keeps the view identity.
    const back = fromNdarray(ndT);
    expect(back.data).to.equal(t.data);
    expect(back.strides).to.deep.equal(t.transpose().strides);
  });

  it('rejects ndarrays not backed by Float32Array/Float64Array', () => {
    expect(() => fromNdarray(ndarray(new Int32Array(4), [2, 2]))).to.throw(DTypeError, /nd\.data/);
    expect(() => fromNdarray(ndarray([1, 2, 3, 4], [2, 2]))).to.throw(DTypeError, /nd\.data/);
  });
});
