import { expect } from 'chai';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/index.js';
import { createStream } from '../../../src/init/index.js';
import { classificationDataset, DataLoader, permutation, regressionDataset } from '../../../src/nn/index.js';
import { Tensor } from '../../../src/tensor/index.js';

/** n samples of 3 features; sample i is (i, 10 i, 100 i), label i mod 4. */
function indexed(n: number) {
  const x = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) x.set([i, 10 * i, 100 * i], 3 * i);
  return classificationDataset(x, [n, 3], Int32Array.from({ length: n }, (_, i) => i % 4));
}

/** The dataset indices of every batch of an epoch, read back from the batch contents (x[:, 0] = index). */
const epochIndices = (loader: DataLoader, e: number): number[][] =>
  [...loader.epoch(e)].map((b) => Array.from({ length: b.x.shape[0]! }, (_, k) => b.x.data[3 * k]!));

describe('nn/data: Dataset and DataLoader', () => {
  it('every sample exactly once per epoch, rows and labels kept together, last batch partial', () => {
    const d = indexed(23);
    const loader = new DataLoader(d, { batchSize: 5, seed: 11 });
    expect(loader.length).to.equal(5);
    const batches = [...loader.epoch(0)];
    expect(batches.map((b) => b.x.shape)).to.deep.equal([[5, 3], [5, 3], [5, 3], [5, 3], [3, 3]]);
    const seen = batches.flatMap((b) => Array.from(b.indices));
    expect(seen.slice().sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 23 }, (_, i) => i));
    for (const b of batches) {
      b.indices.forEach((i, k) => {
        expect(Array.from(b.x.data.subarray(3 * k, 3 * k + 3))).to.deep.equal([i, 10 * i, 100 * i]);
        expect((b.y as Int32Array)[k]).to.equal(i % 4);
      });
    }
    expect(seen).to.not.deep.equal(Array.from({ length: 23 }, (_, i) => i)); // shuffled
  });

  it('same seed → same batches; another epoch → another order; epoch e is the Fisher–Yates permutation of stream e', () => {
    const d = indexed(40);
    const a = new DataLoader(d, { batchSize: 8, seed: 5 });
    const b = new DataLoader(d, { batchSize: 8, seed: 5 });
    expect(epochIndices(a, 3)).to.deep.equal(epochIndices(b, 3));
    expect(epochIndices(a, 0)).to.not.deep.equal(epochIndices(a, 1));
    expect(epochIndices(a, 0)).to.not.deep.equal(epochIndices(new DataLoader(d, { batchSize: 8, seed: 6 }), 0));
    // epoch 2 replayed on its own equals epoch 2 after epochs 0 and 1
    expect(Array.from(a.order(2))).to.deep.equal(Array.from(permutation(40, createStream(5, 2))));
    // independent Fisher–Yates: for i = n−1 … 1 swap i with nextInt(i + 1)
    const rng = createStream(5, 2);
    const p = Array.from({ length: 40 }, (_, i) => i);
    for (let i = 39; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    expect(epochIndices(a, 2).flat()).to.deep.equal(p);
  });

  it('dropLast drops the partial batch; shuffle false keeps dataset order and needs no seed', () => {
    const d = indexed(23);
    const drop = new DataLoader(d, { batchSize: 5, seed: 1, dropLast: true });
    expect(drop.length).to.equal(4);
    expect(epochIndices(drop, 0).map((b) => b.length)).to.deep.equal([5, 5, 5, 5]);
    const ordered = new DataLoader(d, { batchSize: 10, shuffle: false });
    expect(epochIndices(ordered, 7)).to.deep.equal([
      Array.from({ length: 10 }, (_, i) => i),
      Array.from({ length: 10 }, (_, i) => i + 10),
      [20, 21, 22],
    ]);
  });

  it('regression sets give target tensors; dtype float64 applies to x and targets; batches are fresh copies', () => {
    const x = Float32Array.from([0, 1, 2, 3, 4, 5]);
    const t = Float32Array.from([10, 11, 12, 13, 14, 15]);
    const d = regressionDataset(x, [3, 2], t, [2]);
    const loader = new DataLoader(d, { batchSize: 2, shuffle: false, dtype: 'float64' });
    const [first] = [...loader.epoch(0)];
    expect(first!.x.dtype).to.equal('float64');
    expect(first!.y).to.be.instanceOf(Tensor);
    expect((first!.y as Tensor).shape).to.deep.equal([2, 2]);
    expect(Array.from((first!.y as Tensor).data)).to.deep.equal([10, 11, 12, 13]);
    first!.x.data[0] = 99;
    expect(x[0]).to.equal(0);
  });

  it('validates datasets and loader options with typed errors', () => {
    expect(() => classificationDataset(new Float32Array(5), [2, 3], new Uint8Array(2))).to.throw(ShapeError, /x must hold 6 values for shape \[2, 3\], got 5/);
    expect(() => classificationDataset(new Float32Array(6), [2, 3], new Uint8Array(3))).to.throw(ShapeError, /one label per sample \(2\), got 3/);
    expect(() => classificationDataset(new Float32Array(6), [2, 3], Uint8Array.from([0, 4]), 3)).to.throw(DomainError, /labels\[1\] must be a class index in \[0, 2\], got 4/);
    expect(() => classificationDataset(Float32Array.from([0, NaN]), [2, 1], new Uint8Array(2))).to.throw(NonFiniteError, /x\[1\] must be finite/);
    expect(() => classificationDataset(new Float32Array(2), [2], new Uint8Array(2))).to.throw(ShapeError, /shape must be an array of at least 2 positive integer/);
    expect(() => regressionDataset(new Float32Array(2), [2, 1], new Float32Array(3), [1])).to.throw(ShapeError, /targets must hold 2 values/);
    expect(classificationDataset(new Float32Array(4), [4, 1], Uint8Array.from([0, 2, 1, 0])).y.classes).to.equal(3);
    const d = indexed(4);
    expect(() => new DataLoader(d, { batchSize: 2 })).to.throw(DomainError, /options\.seed is required when options\.shuffle is true/);
    expect(() => new DataLoader(d, { batchSize: 0, seed: 1 })).to.throw(DomainError, /options\.batchSize must be a positive integer, got 0/);
    expect(() => new DataLoader(d, { batchSize: 2, seed: 1, droplast: true } as never)).to.throw(DomainError, /unknown option options\.droplast for DataLoader \(did you mean dropLast\?\)/);
    expect(() => new DataLoader(d, { batchSize: 2, seed: 1.5 })).to.throw(DomainError, /options\.seed must be an integer/);
    expect(() => new DataLoader(d, { batchSize: 2, seed: 1 }).order(-1)).to.throw(DomainError, /epoch must be an integer ≥ 0, got -1/);
  });

  it('DataLoader checks the layout of its dataset before anything else (issue 11)', () => {
    const opts = { batchSize: 2, seed: 1 };
    const d = indexed(4);
    expect(() => new DataLoader(undefined as never, opts)).to.throw(DomainError, /^dataset must be a Dataset \{ x, shape, y \} \(e\.g\. from classificationDataset\), got undefined$/);
    expect(() => new DataLoader({ ...d, y: undefined } as never, opts)).to.throw(DomainError, /^dataset\.y must be class labels \{ kind: 'labels', values, classes \} or targets \{ kind: 'targets', values, shape \}, got undefined$/);
    expect(() => new DataLoader({ ...d, shape: [4, 0] } as never, opts)).to.throw(ShapeError, /^dataset\.shape must be an array of at least 2 positive integer\(s\), got \[4, 0\]$/);
    expect(() => new DataLoader({ ...d, shape: [5, 3] } as never, opts)).to.throw(ShapeError, /^dataset\.x must be a Float32Array of 15 values for shape \[5, 3\], got Float32Array\(12\)/);
    expect(() => new DataLoader({ ...d, y: { ...d.y, values: new Uint8Array(3) } } as never, opts)).to.throw(ShapeError, /^dataset\.y\.values must be a Uint8Array or Int32Array of 4 labels \(one per sample\)/);
    expect(() => new DataLoader({ ...d, y: { ...d.y, classes: 0 } } as never, opts)).to.throw(DomainError, /^dataset\.y\.classes must be a positive integer, got 0$/);
    const r = regressionDataset(new Float32Array(4), [2, 2], new Float32Array(6), [3]);
    expect(() => new DataLoader({ ...r, y: { ...r.y, shape: [2] } } as never, opts)).to.throw(ShapeError, /^dataset\.y\.values must be a Float32Array of 4 targets \(n·Π y\.shape\), got Float32Array\(6\)/);
    expect(() => new DataLoader({ ...r, y: { ...r.y, shape: 3 } } as never, opts)).to.throw(ShapeError, /^dataset\.y\.shape must be an array of at least 1 positive integer/);
    // The dataset is checked before the options.
    expect(() => new DataLoader(null as never, null as never)).to.throw(DomainError, /^dataset must be a Dataset/);
    expect(new DataLoader(r, opts).length).to.equal(1);
  });
});
