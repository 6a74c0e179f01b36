// LPS-R (reconstruction of the LPS initialization of Chen, Hao & He; docs/schemes/lps.md): whole networks, lpsInitMLP.
// Reference numbers quoted below come from the spec's float64 prototype, not from the paper.
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import { type Batch, type DenseLayer, mlpForwardBatch } from '../../../src/init/support/mlp.js';
import { lpsDense } from '../../../src/init/lps/dense.js';
import { lpsInitMLP } from '../../../src/init/lps/network.js';
import { createRng } from '../../../src/init/support/rng.js';
import { randomBatch } from './lps-helpers.js';

const archArb = fc.record({
  widths: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 6 }),
  rows: fc.integer({ min: 1, max: 40 }),
  mode: fc.constantFrom('faithful' as const, 'plus' as const),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  duplicate: fc.boolean(),
});

describe('init/lps: LPS-R (reconstruction) dense layers', () => {
  it('interpolates its anchors (≤ 1e-9, float64), keeps anchor signs, rescales to mean z² = q', () => {
    fc.assert(
      fc.property(archArb, ({ widths, rows, mode, seed, duplicate }) => {
        const rng = createRng(seed);
        const X = randomBatch(rng, rows, widths[0]!);
        if (duplicate && rows > 2) {
          // rank-deficient data: duplicate rows and a constant-zero feature
          const d = X.data as Float64Array;
          d.copyWithin(0, widths[0]!, 2 * widths[0]!);
          for (let r = 0; r < rows; r++) d[r * widths[0]!] = 0;
        }
        const q = 1.5;
        const res = lpsInitMLP(widths, X, createRng(seed + 1), { mode, dtype: 'float64', q, allowSmallBatch: true });
        expect(res.mlp.length).to.equal(widths.length - 1);
        const pre = mlpForwardBatch(res.mlp, X);
        res.hidden.forEach((h, l) => {
          const m = widths[l + 1]!;
          const n = widths[l]!;
          expect(h.k).to.be.at.most(Math.min(n + 1, rows));
          expect(h.k).to.be.at.least(1);
          expect(h.anchors.length).to.equal(h.k);
          expect(new Set(h.anchors).size).to.equal(h.k);
          expect(h.scale).to.be.above(0);
          h.anchors.forEach((s, a) => {
            for (let j = 0; j < m; j++) {
              const t = h.targets[a * m + j]!;
              const z = pre[l]![s * m + j]!;
              expect(Math.abs(z - t)).to.be.at.most(1e-9 * Math.max(1, Math.abs(t)));
              if (mode === 'plus') expect(t).to.be.above(0);
              expect(Math.sign(z)).to.equal(Math.sign(t));
            }
          });
          let ms = 0;
          for (const z of pre[l]!) ms += z * z;
          expect(Math.abs(ms / pre[l]!.length - q)).to.be.at.most(1e-10 * q);
          for (const w of res.mlp[l]!.W) expect(Number.isFinite(w)).to.equal(true);
        });
      }),
      { seed: 401, numRuns: 80 },
    );
  });

  it('LPS-R+: no hidden unit is dead on the batch; kMax bounds the number of anchors', () => {
    fc.assert(
      fc.property(archArb, ({ widths, rows, seed }) => {
        const X = randomBatch(createRng(seed), rows, widths[0]!);
        const res = lpsInitMLP(widths, X, createRng(seed + 1), { mode: 'plus', dtype: 'float64', kMax: 4, allowSmallBatch: true });
        const pre = mlpForwardBatch(res.mlp, X);
        res.hidden.forEach((h, l) => {
          expect(h.k).to.be.at.most(4);
          const m = widths[l + 1]!;
          for (let j = 0; j < m; j++) {
            let alive = false;
            for (let r = 0; r < rows; r++) if (pre[l]![r * m + j]! > 0) alive = true;
            expect(alive).to.equal(true);
          }
        });
      }),
      { seed: 402, numRuns: 60 },
    );
  });

  it('is deterministic for a seed and batch; another seed gives other anchors / weights', () => {
    const X = randomBatch(createRng(1), 50, 4);
    const a = lpsInitMLP([4, 6, 5, 2], X, createRng(42));
    const b = lpsInitMLP([4, 6, 5, 2], X, createRng(42));
    const c = lpsInitMLP([4, 6, 5, 2], X, createRng(43));
    a.mlp.forEach((layer, l) => {
      expect(Array.from(layer.W)).to.deep.equal(Array.from(b.mlp[l]!.W));
      expect(Array.from(layer.b!)).to.deep.equal(Array.from(b.mlp[l]!.b!));
    });
    expect(Array.from(a.mlp[0]!.W)).to.not.deep.equal(Array.from(c.mlp[0]!.W));
    expect(a.mlp[0]!.W).to.be.instanceOf(Float32Array); // float32 storage by default
    // output layer: He-normal, zero bias
    expect(Array.from(a.mlp[2]!.b!)).to.deep.equal([0, 0]);
  });

  it('input-scale equivariance (square case): W_1 → W_1/α, b_1 and all batch pre-activations unchanged', () => {
    const X = randomBatch(createRng(3), 40, 5);
    const alpha = 7.25;
    const Xs: Batch = { rows: 40, cols: 5, data: Float64Array.from(X.data, (x) => alpha * x) };
    const a = lpsInitMLP([5, 7, 6, 2], X, createRng(10), { dtype: 'float64' });
    const b = lpsInitMLP([5, 7, 6, 2], Xs, createRng(10), { dtype: 'float64' });
    for (let i = 0; i < a.mlp[0]!.W.length; i++) expect(Math.abs(b.mlp[0]!.W[i]! * alpha - a.mlp[0]!.W[i]!)).to.be.at.most(1e-9 * Math.abs(a.mlp[0]!.W[i]!) + 1e-12);
    const pa = mlpForwardBatch(a.mlp, X);
    const pb = mlpForwardBatch(b.mlp, Xs);
    for (let l = 0; l < 2; l++) for (let i = 0; i < pa[l]!.length; i++) expect(Math.abs(pa[l]![i]! - pb[l]![i]!)).to.be.at.most(1e-9 * Math.max(1, Math.abs(pa[l]![i]!)));
  });
});

describe('init/lps: dying ReLU on the narrow-deep setting of spec §6.3', () => {
  it('LPS-R faithful has a lower dead-unit rate than He (N = 2, L = 10, 200-point grid, 100 seeds)', () => {
    // Setting of spec §6.3: 1-D input on 200 points in [−√3, √3], 10 hidden layers of width 2, linear output.
    // He0 = N(0, 2/fan_in) weights, zero biases. Prototype reference (500 seeds): dead-unit fraction He0 0.68,
    // LPS-R faithful 0.11, LPS-R+ 0; deadLayer He0 0.922, LPS-R faithful 0.120.
    // Tolerance: the per-seed dead fraction lies in [0, 1], so its std is ≤ 0.5 and the standard error of a
    // 100-seed mean is ≤ 0.05; the gap must exceed 5 combined standard errors, 5·sqrt(2)·0.05 ≈ 0.354.
    const seeds = 100;
    const N = 2;
    const L = 10;
    const grid: Batch = { rows: 200, cols: 1, data: Float64Array.from({ length: 200 }, (_, i) => -Math.sqrt(3) + (2 * Math.sqrt(3) * i) / 199) };
    const widths = [1, ...new Array<number>(L).fill(N), 1];
    const rate = { he: 0, lps: 0, plus: 0, heLayer: 0, lpsLayer: 0 };
    for (let s = 0; s < seeds; s++) {
      const rng = createRng(1000 + s);
      const he: DenseLayer[] = widths.slice(1).map((out, l) => {
        const nin = widths[l]!;
        return { shape: [out, nin], W: Float64Array.from({ length: out * nin }, () => Math.sqrt(2 / nin) * rng.nextNormal()), b: new Float64Array(out) };
      });
      const lps = lpsInitMLP(widths, grid, createRng(5000 + s), { dtype: 'float64' }).mlp;
      const plus = lpsInitMLP(widths, grid, createRng(9000 + s), { dtype: 'float64', mode: 'plus' }).mlp;
      const dh = deadStats(he, grid);
      const dl = deadStats(lps, grid);
      rate.he += dh.fraction / seeds;
      rate.lps += dl.fraction / seeds;
      rate.plus += deadStats(plus, grid).fraction / seeds;
      rate.heLayer += (dh.deadLayer ? 1 : 0) / seeds;
      rate.lpsLayer += (dl.deadLayer ? 1 : 0) / seeds;
    }
    expect(rate.he - rate.lps).to.be.above(0.354);
    expect(rate.plus).to.equal(0);
    // loose agreement with the prototype (5 standard errors of a 100-seed mean, ≤ 0.25)
    expect(Math.abs(rate.he - 0.68)).to.be.at.most(0.25);
    expect(Math.abs(rate.lps - 0.11)).to.be.at.most(0.25);
    expect(rate.heLayer).to.be.above(rate.lpsLayer);
    if (process.env['INITLAB_VERBOSE']) console.log(`dead-unit rate He0 ${rate.he.toFixed(3)}, LPS-R ${rate.lps.toFixed(3)}, LPS-R+ ${rate.plus}; deadLayer He0 ${rate.heLayer}, LPS-R ${rate.lpsLayer}`);
  });
});

describe('init/lps: bad input', () => {
  const X = randomBatch(createRng(2), 10, 3);
  it('empty batch: ShapeError naming the batch', () => {
    expect(() => lpsInitMLP([3, 4, 1], { rows: 0, cols: 3, data: new Float64Array(0) }, createRng(1))).to.throw(ShapeError, /batch must contain at least one sample/);
    expect(() => lpsDense({ rows: 0, cols: 3, data: [] }, 2, createRng(1))).to.throw(ShapeError, /features must contain at least one sample/);
  });
  it('too-small batch: ShapeError naming the batch and the needed size (override with allowSmallBatch)', () => {
    expect(() => lpsInitMLP([3, 12, 5, 1], X, createRng(1))).to.throw(ShapeError, /batch is too small: LPS-R needs at least 13 samples/);
    expect(() => lpsInitMLP([3, 12, 5, 1], X, createRng(1), { allowSmallBatch: true })).to.not.throw();
    expect(() => lpsInitMLP([3, 12, 5, 1], X, createRng(1), { mode: 'plus', kMax: 8 })).to.not.throw();
  });
  it('non-finite or mis-sized data, mismatched widths, bad options', () => {
    const bad = Float64Array.from(X.data);
    bad[7] = Infinity;
    expect(() => lpsInitMLP([3, 2, 1], { rows: 10, cols: 3, data: bad }, createRng(1))).to.throw(NonFiniteError, /batch\.data\[2, 1\] must be finite/);
    expect(() => lpsInitMLP([3, 2, 1], { rows: 10, cols: 3, data: new Float64Array(29) }, createRng(1))).to.throw(ShapeError, /batch\.data must have/);
    expect(() => lpsInitMLP([4, 2, 1], X, createRng(1))).to.throw(ShapeError, /batch\.cols must equal widths\[0\] = 4/);
    expect(() => lpsInitMLP([3, 1], X, createRng(1))).to.throw(ShapeError, /widths/);
    expect(() => lpsInitMLP([3, 0, 1], X, createRng(1))).to.throw(ShapeError, /widths\[1\]/);
    expect(() => lpsInitMLP([3, 2, 1], X, createRng(1), { mode: 'exact' as 'plus' })).to.throw(DomainError, /options\.mode/);
    expect(() => lpsInitMLP([3, 2, 1], X, createRng(1), { q: 0 })).to.throw(DomainError, /options\.q/);
    expect(() => lpsInitMLP([3, 2, 1], X, createRng(1), { kMax: 0 })).to.throw(DomainError, /options\.kMax/);
    expect(() => lpsDense(X, 0, createRng(1))).to.throw(ShapeError, /fanOut/);
  });
});

// ----------------------------------------------------------------------------------------------------------------
// Independent helpers

/** Dead hidden units (pre-activation ≤ 0 on every batch sample) and whether some hidden layer is entirely dead. */
function deadStats(net: readonly DenseLayer[], X: Batch): { fraction: number; deadLayer: boolean } {
  const pre = mlpForwardBatch(net, X);
  let dead = 0;
  let total = 0;
  let deadLayer = false;
  for (let l = 0; l < net.length - 1; l++) {
    const m = net[l]!.shape[0];
    let layerDead = 0;
    for (let j = 0; j < m; j++) {
      let alive = false;
      for (let r = 0; r < X.rows; r++) if (pre[l]![r * m + j]! > 0) alive = true;
      if (!alive) layerDead++;
    }
    dead += layerDead;
    total += m;
    if (layerDead === m) deadLayer = true;
  }
  return { fraction: dead / total, deadLayer };
}
