/**
 * Argument checks of the dataset helpers and the IDX parser: wrong kinds of argument are typed errors naming the
 * argument, the allowed range and the value given (never a TypeError, a RangeError or a hang).
 */
import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/index.js';
import { createRng, type RandomSource } from '../../../src/init/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classificationDataset, DataFileError, datasetSize, parseIdx, permutation, readIdx } from '../../../src/nn/index.js';

/** IDX bytes of unsigned bytes: magic 0x0000 08 r, r big-endian dims, then Π dims bytes 0, 1, 2, … */
function idx(dims: number[]): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x800 + dims.length);
  dims.forEach((d, k) => v.setUint32(4 + 4 * k, d));
  for (let i = 0; i < size; i++) out[4 + 4 * dims.length + i] = i % 256;
  return out;
}

describe('nn/data: argument checks', () => {
  it('datasetSize needs a dataset whose shape starts with a positive sample count', () => {
    const d = classificationDataset(new Float32Array(6), [3, 2], new Uint8Array(3));
    expect(datasetSize(d)).to.equal(3);
    expect(() => datasetSize(undefined as never)).to.throw(DomainError, /^d must be a dataset \{ x, shape, y \} \(e\.g\. from classificationDataset\), got undefined$/);
    expect(() => datasetSize((() => 1) as never)).to.throw(DomainError, /got function$/);
    expect(() => datasetSize({} as never)).to.throw(ShapeError, /^d\.shape must be an array \[n, …\] whose n \(the number of samples\) is a positive integer, got undefined$/);
    expect(() => datasetSize({ shape: [0, 2] } as never)).to.throw(ShapeError, /got \[0, 2\]$/);
    expect(() => datasetSize({ shape: ['3'] } as never)).to.throw(ShapeError, /got \["3"\]$/);
  });

  it('permutation: n an integer in [0, 2^31], rng a RandomSource drawing in range; valid draws unchanged', () => {
    expect(() => permutation(1e308, createRng(1))).to.throw(DomainError, /^n must be an integer in \[0, 2147483648\] \(indices are Int32\), got 1e\+308$/);
    expect(() => permutation([Infinity] as never, createRng(1))).to.throw(DomainError, /^n must be a finite number, got \[Infinity\]$/);
    expect(() => permutation(-1, createRng(1))).to.throw(DomainError, /^n must be a non-negative integer, got -1$/);
    expect(() => permutation(2.5, createRng(1))).to.throw(DomainError, /^n must be a non-negative integer, got 2\.5$/);
    expect(() => permutation(2, new Float32Array(1) as never)).to.throw(DomainError, /^rng must be a RandomSource.*missing/);
    const nan: RandomSource = { nextUint32: () => NaN, nextFloat64: () => NaN, nextInt: () => NaN, nextNormal: () => NaN };
    expect(() => permutation(3, nan)).to.throw(DomainError, /^rng\.nextInt\(3\) must return an integer in \[0, 2\], got NaN$/);
    const over: RandomSource = { ...nan, nextInt: (k) => k };
    expect(() => permutation(3, over)).to.throw(DomainError, /^rng\.nextInt\(3\) must return an integer in \[0, 2\], got 3$/);
    expect(permutation(0, createRng(1))).to.deep.equal(new Int32Array(0));
    // Fisher–Yates with a source that always picks the top index j = i is the identity; j = 0 rotates.
    expect([...permutation(4, { ...nan, nextInt: (k) => k - 1 })]).to.deep.equal([0, 1, 2, 3]);
    expect([...permutation(4, { ...nan, nextInt: () => 0 })]).to.deep.equal([1, 2, 3, 0]);
    const p = permutation(50, createRng(7));
    expect([...p].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
  });

  it('parseIdx: bytes a Uint8Array, file a string, expect { rank in [0, 255], dims? }', () => {
    const ok = idx([2, 3]);
    expect(parseIdx(ok, 'f', { rank: 2, dims: [null, 3] }).dims).to.deep.equal([2, 3]);
    expect(() => parseIdx(Infinity as never, 'f', { rank: 1 })).to.throw(DomainError, /^bytes must be a Uint8Array \(the file's contents\), got Infinity$/);
    expect(() => parseIdx(ok, 7 as never, { rank: 2 })).to.throw(DomainError, /^file must be a string .* got 7$/);
    expect(() => parseIdx(ok, 'f', undefined as never)).to.throw(DomainError, /^expect\.rank is required/);
    expect(() => parseIdx(ok, 'f', null as never)).to.throw(DomainError, /^expect must be an object, got null$/);
    expect(() => parseIdx(ok, 'f', { rank: 2, dim: [2] } as never)).to.throw(DomainError, /^unknown option expect\.dim for parseIdx \(did you mean dims\?\)/);
    expect(() => parseIdx(ok, 'f', { rank: 256 })).to.throw(DomainError, /^expect\.rank must be an integer in \[0, 255\] \(one byte of the IDX magic number\), got 256$/);
    expect(() => parseIdx(ok, 'f', { rank: 1.5 })).to.throw(DomainError, /^expect\.rank must be a non-negative integer, got 1\.5$/);
    expect(() => parseIdx(ok, 'f', { rank: 2, dims: [2, 3, 4] })).to.throw(DomainError, /^expect\.dims must be an array of at most expect\.rank = 2 entries/);
    expect(() => parseIdx(ok, 'f', { rank: 2, dims: 2 } as never)).to.throw(DomainError, /^expect\.dims must be .* got 2$/);
    expect(() => parseIdx(ok, 'f', { rank: 2, dims: [-0.5] })).to.throw(DomainError, /^expect\.dims\[0\] must be a non-negative integer or null \(any size\), got -0\.5$/);
    // File contents stay DataFileErrors.
    expect(() => parseIdx(ok, 'f', { rank: 2, dims: [3] })).to.throw(DataFileError, /^f: dimension 0 is 2, expected 3/);
    expect(() => parseIdx(ok, 'f', { rank: 1 })).to.throw(DataFileError, /bad magic number/);
  });

  it('readIdx: file a non-empty path string (a number is not read as a file descriptor), expect checked before reading (issue 11)', () => {
    for (const bad of [0, 2, -1, '', Buffer.from('f'), new URL('file:///tmp/x')]) {
      expect(() => readIdx(bad as never, { rank: 1 })).to.throw(DomainError, /^file must be a non-empty path string, got /);
    }
    // A missing file with a bad expectation: the expectation is judged first, so nothing is read.
    expect(() => readIdx('/nonexistent/initlab.idx', { rank: 256 })).to.throw(DomainError, /^expect\.rank must be an integer in \[0, 255\]/);
    expect(() => readIdx('/nonexistent/initlab.idx', { rank: 2, dim: [2] } as never)).to.throw(DomainError, /^unknown option expect\.dim for readIdx/);
    expect(() => readIdx('/nonexistent/initlab.idx', { rank: 1 })).to.throw(DataFileError, /^\/nonexistent\/initlab\.idx: file not found$/);
    const dir = mkdtempSync(join(tmpdir(), 'initlab-readidx-'));
    try {
      const file = join(dir, 'a.idx');
      writeFileSync(file, idx([2, 3]));
      const got = readIdx(file, { rank: 2, dims: [2, null] });
      expect(got.dims).to.deep.equal([2, 3]);
      expect(Array.from(got.data)).to.deep.equal([0, 1, 2, 3, 4, 5]);
      expect(() => readIdx(file, { rank: 2, dims: [3] })).to.throw(DataFileError, /a\.idx: dimension 0 is 2, expected 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
