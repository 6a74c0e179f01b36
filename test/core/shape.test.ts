// src/core/shape.ts and the allocator: the one element-count limit (MAX_ELEMENTS), stated in every message.
import { expect } from 'chai';
import { ShapeError } from '../../src/core/errors.js';
import { allocate, checkElementCount, checkShape, MAX_ELEMENTS, numel } from '../../src/core/index.js';

describe('core/shape: element-count limits', () => {
  it('MAX_ELEMENTS is 2^32, and Node refuses a typed array one element longer', () => {
    expect(MAX_ELEMENTS).to.equal(2 ** 32);
    // The length check comes before any allocation, so this costs nothing.
    expect(() => new Float32Array(MAX_ELEMENTS + 1)).to.throw(RangeError);
  });

  it('checkElementCount names the thing, the count and the limit', () => {
    expect(checkElementCount('shape', MAX_ELEMENTS)).to.equal(MAX_ELEMENTS);
    expect(() => checkElementCount('shape', MAX_ELEMENTS + 1)).to.throw(
      ShapeError,
      /^shape has too many elements \(4294967297\) to allocate: the limit is MAX_ELEMENTS = 4294967296 \(2\^32/,
    );
    expect(() => checkElementCount('x', Infinity)).to.throw(ShapeError, /\(Infinity\).*MAX_ELEMENTS = 4294967296/);
    expect(() => checkElementCount('x', NaN)).to.throw(ShapeError, /\(NaN\)/);
  });

  it('checkShape: by default an exact (safe-integer) count, stated with its limit; MAX_ELEMENTS on request', () => {
    // src/init computes fans of shapes it never allocates, so the default only asks for an exact count.
    expect(checkShape([65537, 65537])).to.equal(65537 * 65537);
    expect(() => checkShape([1e300])).to.throw(
      ShapeError,
      /^shape has too many elements \(1e\+300\) to allocate: the limit is Number\.MAX_SAFE_INTEGER = 9007199254740991 \(2\^53 - 1/,
    );
    expect(() => checkShape([65537, 65537], 'shape', 0, Infinity, 1, MAX_ELEMENTS)).to.throw(
      ShapeError,
      /^shape has too many elements \(4295098369\) to allocate: the limit is MAX_ELEMENTS = 4294967296/,
    );
    expect(checkShape([65536, 65536], 'shape', 0, Infinity, 1, MAX_ELEMENTS)).to.equal(MAX_ELEMENTS);
  });

  it('numel: exactly 0 with a zero dim, even when the other dims overflow', () => {
    expect(numel([1e300, 1e300, 0])).to.equal(0);
    expect(numel([])).to.equal(1);
    expect(numel([2, 3])).to.equal(6);
    expect(checkShape([1e300, 1e300, 0], 'shape', 0, Infinity, 0, MAX_ELEMENTS)).to.equal(0);
  });

  it('allocate: a bad size is a ShapeError naming the limit, never the engine RangeError', () => {
    expect(allocate(3, 'float64')).to.be.instanceOf(Float64Array).with.length(3);
    expect(() => allocate(MAX_ELEMENTS + 1)).to.throw(ShapeError, /size has too many elements \(4294967297\).*MAX_ELEMENTS = 4294967296/);
    expect(() => allocate(-1)).to.throw(ShapeError, /^size must be a non-negative integer, got -1$/);
    expect(() => allocate(1.5)).to.throw(ShapeError, /got 1\.5/);
  });
});
