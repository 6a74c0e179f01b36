// LSUV (src/init/lsuv): unit output variance per layer on a batch, the typed non-convergence error, the entry.
import { expect } from 'chai';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import {
  createRng, initializeNetwork, LsuvConvergenceError, lsuvInit, mlpTrace, type LayerTensors,
} from '../../../src/init/index.js';
import { Linear, mlp } from '../../../src/nn/index.js';

/** Population variance, computed here independently of the scheme. */
const variance = (z: ArrayLike<number>): number => {
  const a = Array.from(z);
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  return a.reduce((s, v) => s + (v - m) * (v - m), 0) / a.length;
};

/** A batch of `rows` samples of `cols` features: N(0, scale²) draws from a fixed seed. */
const batchOf = (rows: number, cols: number, seed: number, scale = 1) => {
  const r = createRng(seed);
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => scale * r.nextNormal()) };
};

/** Var(z_l) of every layer's output on the batch, through the reference forward pass. */
const layerVariances = (layers: LayerTensors[], b: { rows: number; data: Float64Array }, act: 'relu' | 'tanh' = 'relu'): number[] =>
  mlpTrace(layers, b.data, b.rows, act).pre.map(variance);

describe('init/lsuv: layer-sequential unit variance (Mishkin & Matas)', () => {
  const widths = [12, 40, 30, 20, 5];
  const batch = batchOf(64, 12, 1, 3); // inputs of variance 9: the orthogonal start is far from unit variance

  it('every layer output (the linear output included) has variance within tol of 1 on the batch', () => {
    for (const tol of [0.1, 1e-3]) {
      for (const act of ['relu', 'tanh'] as const) {
        const r = lsuvInit(widths, batch, createRng(2), { tol, activation: act, dtype: 'float64' });
        const v = layerVariances(r.layers, batch, act);
        v.forEach((x, l) => expect(Math.abs(x - 1), `tol ${tol}, ${act}, layer ${l}: ${x}`).to.be.below(tol));
        r.variances.forEach((x, l) => expect(x).to.be.closeTo(v[l]!, 1e-12));
      }
    }
    // the start is off (variance ≈ 9 at layer 0), so each layer takes one rescale and one verifying pass
    expect(lsuvInit(widths, batch, createRng(2)).passes).to.deep.equal([2, 2, 2, 2]);
  });

  it('float32 storage: the returned weights themselves pass (the variance is measured on the stored weights)', () => {
    const r = lsuvInit(widths, batch, createRng(4), { tol: 1e-4 });
    expect(r.layers[0]!.W).to.be.instanceOf(Float32Array);
    layerVariances(r.layers, batch).forEach((x, l) => expect(Math.abs(x - 1), `layer ${l}`).to.be.below(1e-4));
  });

  it('each W_l is the orthogonal entry’s matrix (stream l) times one positive factor; biases are zero', () => {
    const shapes = widths.slice(1).map((n, l) => [n, widths[l]!]);
    const ortho = initializeNetwork('orthogonal', shapes, createRng(9), { dtype: 'float64' });
    const r = lsuvInit(widths, batch, createRng(9), { dtype: 'float64' });
    r.layers.forEach((layer, l) => {
      const c = layer.W[0]! / ortho[l]!.W[0]!;
      expect(c, `layer ${l}`).to.be.above(0);
      layer.W.forEach((w, i) => expect(w).to.be.closeTo(c * ortho[l]!.W[i]!, 1e-12 * Math.abs(c)));
      expect(Array.from(layer.b!).every((v) => v === 0)).to.equal(true);
    });
  });

  it('non-convergence is an LsuvConvergenceError naming the layer, the variance reached and the tolerance', () => {
    // a constant (all-zero) batch: layer 0 outputs 0 everywhere, variance 0, nothing to rescale
    const zero = { rows: 8, cols: 12, data: new Float64Array(96) };
    let err: unknown;
    try { lsuvInit(widths, zero, createRng(1)); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(LsuvConvergenceError).and.instanceOf(DomainError);
    const e0 = err as LsuvConvergenceError;
    expect([e0.layer, e0.variance, e0.tol, e0.passes]).to.deep.equal([0, 0, 0.1, 1]);
    expect(e0.message).to.match(/layer 0 to 1 within tol 0.1: variance reached 0 \(the output is constant/);
    // maxIter = 1 with a tight tol: one pass may measure but not verify a rescale (inputs of variance 9)
    expect(() => lsuvInit(widths, batch, createRng(1), { maxIter: 1, tol: 1e-6 }))
      .to.throw(LsuvConvergenceError, /layer 0 to 1 within tol 0.000001: variance reached \d+\.\d+ after 1 pass/);
    // one sample and one output unit: the last layer's output is a single number, variance 0 (layer 1, not layer 0)
    try { lsuvInit([12, 40, 1], batchOf(1, 12, 3), createRng(1)); } catch (e) { err = e; }
    expect((err as LsuvConvergenceError).layer).to.equal(1);
    expect((err as LsuvConvergenceError).variance).to.equal(0);
  });

  it('options are checked before anything else; bad widths and batches are typed errors', () => {
    const junk = { rows: 1, cols: 1, data: [Number.NaN] };
    expect(() => lsuvInit([1, 1], junk, createRng(1), { tol: 0 })).to.throw(DomainError, /options.tol must be in \(0, 1\), got 0/);
    expect(() => lsuvInit([1, 1], junk, createRng(1), { tol: 1 })).to.throw(DomainError, /options.tol/);
    expect(() => lsuvInit([1, 1], junk, createRng(1), { maxIter: 0 })).to.throw(DomainError, /options.maxIter must be a positive integer, got 0/);
    expect(() => lsuvInit([1, 1], junk, createRng(1), { maxIter: 1001 })).to.throw(DomainError, /options.maxIter must be an integer in \[1, 1000\], got 1001/);
    expect(() => lsuvInit([1, 1], junk, createRng(1), { activation: 'gelu' as never })).to.throw(DomainError, /options.activation/);
    expect(() => lsuvInit([1, 1], junk, createRng(1), { tolerance: 0.1 } as never)).to.throw(DomainError, /tolerance/);
    expect(() => lsuvInit([1, 1], junk, createRng(1))).to.throw(NonFiniteError, /batch.data\[0\] must be finite, got NaN/);
    expect(() => lsuvInit([2, 3], batchOf(4, 3, 1), createRng(1))).to.throw(ShapeError, /batch.cols must equal widths\[0\] = 2, got 3/);
    expect(() => lsuvInit([2], batchOf(4, 2, 1), createRng(1))).to.throw(ShapeError, /widths must be/);
    expect(() => lsuvInit([2, 0], batchOf(4, 2, 1), createRng(1))).to.throw(DomainError, /widths\[1\] must be a positive integer/);
  });

  it('same seed and batch, bit-identical; another seed, different', () => {
    const a = lsuvInit(widths, batch, createRng(21));
    const b = lsuvInit(widths, batch, createRng(21));
    const c = lsuvInit(widths, batch, createRng(22));
    a.layers.forEach((l, i) => expect(Array.from(l.W)).to.deep.equal(Array.from(b.layers[i]!.W)));
    expect(Array.from(a.layers[0]!.W)).to.not.deep.equal(Array.from(c.layers[0]!.W));
  });

  it('the lsuv entry reads context.data (trailing dimensions flattened) and works through mlp({ init: "lsuv", data })', () => {
    const shapes = widths.slice(1).map((n, l) => [n, widths[l]!]);
    const data = { x: batch.data, shape: [64, 3, 4] };
    const ref = lsuvInit(widths, batch, createRng(8));
    const viaEntry = initializeNetwork('lsuv', shapes, createRng(8), {}, { data });
    viaEntry.forEach((l, i) => expect(Array.from(l.W)).to.deep.equal(Array.from(ref.layers[i]!.W)));
    expect(() => initializeNetwork('lsuv', shapes, createRng(8))).to.throw(ShapeError, /context.data .* is required by lsuv/);
    expect(() => initializeNetwork('lsuv', shapes, createRng(8), { tol: 2 }, { data })).to.throw(DomainError, /options.tol/);
    const net = mlp({ widths, init: 'lsuv', data: { x: batch.data, shape: [64, 12] }, seed: 8, dtype: 'float64' });
    const linears = net.children().filter((m): m is Linear => m instanceof Linear);
    linears.forEach((l, i) => expect(Array.from(l.weight.dense())).to.deep.equal(Array.from(ref.layers[i]!.W)));
    expect(linears.every((l) => l.scale === 1)).to.equal(true);
  });
});
