// LPS-R: reconstruction of the LPS initialization of Chen, Hao & He (spec/lps_initialization.md §4, §5, §6).
// Reference numbers quoted below come from the spec's float64 prototype (§6.3), not from the paper.
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import { type Batch, type DenseLayer, mlpForwardBatch } from '../../../src/init/support/mlp.js';
import { type ImageBatch, lpsConv2d, lpsDense, lpsInitMLP } from '../../../src/init/lps/lps.js';
import { createRng, type RandomSource } from '../../../src/init/support/rng.js';

function randomBatch(rng: RandomSource, rows: number, cols: number, scale = 1): Batch {
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => scale * rng.nextNormal()) };
}

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

  it('square case: [W | b] equals a direct Gaussian-elimination solve of A_S Θ = c·T', () => {
    const rng = createRng(5);
    const X = randomBatch(rng, 30, 6);
    const res = lpsDense(X, 4, createRng(6), { dtype: 'float64' });
    expect(res.k).to.equal(7);
    const A = res.anchors.map((s) => [...Array.from({ length: 6 }, (_, i) => X.data[s * 6 + i]!), 1]);
    for (let j = 0; j < 4; j++) {
      const sol = gaussSolve(A, res.anchors.map((_, a) => res.targets[a * 4 + j]!));
      for (let i = 0; i < 6; i++) expect(Math.abs(sol[i]! - res.W[j * 6 + i]!)).to.be.at.most(1e-10 * Math.max(1, Math.abs(sol[i]!)));
      expect(Math.abs(sol[6]! - res.b[j]!)).to.be.at.most(1e-10 * Math.max(1, Math.abs(sol[6]!)));
    }
  });

  it('under-determined LPS-R+: the null-space term leaves the anchor values exact', () => {
    const X = randomBatch(createRng(8), 5, 12);
    const plus = lpsDense(X, 3, createRng(9), { mode: 'plus', dtype: 'float64' });
    expect(plus.k).to.equal(5);
    const A = plus.anchors.map((s) => [...Array.from({ length: 12 }, (_, i) => X.data[s * 12 + i]!), 1]);
    for (let j = 0; j < 3; j++) {
      const theta = [...Array.from({ length: 12 }, (_, i) => plus.W[j * 12 + i]!), plus.b[j]!];
      A.forEach((row, a) => {
        const z = row.reduce((s, x, i) => s + x * theta[i]!, 0);
        expect(Math.abs(z - plus.targets[a * 3 + j]!)).to.be.at.most(1e-9);
      });
    }
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

describe('init/lps: LPS-R (reconstruction) conv2d', () => {
  const makeInput = (seed: number, B: number, C: number, H: number, W: number): ImageBatch => {
    const rng = createRng(seed);
    return { data: Float64Array.from({ length: B * C * H * W }, () => rng.nextNormal()), shape: [B, C, H, W] };
  };

  for (const geom of [
    { kh: 3, kw: 3, stride: 1, pad: 1, maxPatches: 20000 },
    { kh: 3, kw: 2, stride: [2, 1] as const, pad: [1, 0] as const, maxPatches: 20000 },
    { kh: 2, kw: 2, stride: 1, pad: 0, maxPatches: 30 },
  ]) {
    it(`equals a direct convolution at the anchors, mean z² = 1 (kernel ${geom.kh}x${geom.kw}, stride ${JSON.stringify(geom.stride)}, pad ${JSON.stringify(geom.pad)}, maxPatches ${geom.maxPatches})`, () => {
      const input = makeInput(21, 3, 2, 6, 5);
      const cOut = 4;
      const res = lpsConv2d(input, cOut, geom.kh, geom.kw, createRng(22), { stride: geom.stride, pad: geom.pad, dtype: 'float64', maxPatches: geom.maxPatches });
      expect(res.shape).to.deep.equal([cOut, 2, geom.kh, geom.kw]);
      expect(res.W.length).to.equal(cOut * 2 * geom.kh * geom.kw);
      const { out, Ho, Wo } = directConv(input, res.W, res.b, cOut, geom.kh, geom.kw, geom.stride, geom.pad);
      expect([Ho, Wo]).to.deep.equal([...res.outSize]);
      expect(res.k).to.equal(Math.min(2 * geom.kh * geom.kw + 1, geom.maxPatches));
      res.anchorPatches.forEach(([s, oy, ox], a) => {
        for (let co = 0; co < cOut; co++) {
          const z = out[((s * cOut + co) * Ho + oy) * Wo + ox]!;
          const t = res.targets[a * cOut + co]!;
          expect(Math.abs(z - t)).to.be.at.most(1e-9 * Math.max(1, Math.abs(t)));
        }
      });
      if (geom.maxPatches >= 3 * Ho * Wo) {
        let ms = 0;
        for (const z of out) ms += z * z;
        expect(Math.abs(ms / out.length - 1)).to.be.at.most(1e-10);
      }
    });
  }

  it('rejects bad geometry and inputs', () => {
    const input = makeInput(1, 2, 1, 4, 4);
    expect(() => lpsConv2d({ data: new Float64Array(0), shape: [0, 1, 4, 4] }, 2, 3, 3, createRng(1))).to.throw(ShapeError, /input must contain at least one sample/);
    expect(() => lpsConv2d(input, 2, 5, 5, createRng(1))).to.throw(ShapeError, /does not fit/);
    expect(() => lpsConv2d(input, 0, 3, 3, createRng(1))).to.throw(ShapeError, /cOut/);
    expect(() => lpsConv2d(input, 2, 3, 3, createRng(1), { stride: 0 })).to.throw(ShapeError, /options\.stride/);
    const bad = Float64Array.from(input.data);
    bad[5] = Number.NaN;
    expect(() => lpsConv2d({ data: bad, shape: [2, 1, 4, 4] }, 2, 3, 3, createRng(1))).to.throw(NonFiniteError, /input\.data/);
  });
});

describe('init/lps: dying ReLU on the narrow-deep setting of spec §6.3', () => {
  it('faithful mode: a neuron is non-positive on all its k anchors with probability 2^-k (spec §5 item 10)', () => {
    // fan-in 2 on generic data gives k = 3 anchors; 250 seeds × 8 neurons = 2000 independent Bernoulli(1/8) trials.
    // Tolerance: 5 standard errors, 5·sqrt(0.125·0.875/2000) ≈ 0.037.
    let hits = 0;
    let trials = 0;
    for (let s = 0; s < 250; s++) {
      const X = randomBatch(createRng(20000 + s), 12, 2);
      const r = lpsDense(X, 8, createRng(30000 + s), { dtype: 'float64' });
      expect(r.k).to.equal(3);
      for (let j = 0; j < 8; j++) {
        let allNeg = true;
        for (let a = 0; a < r.k; a++) if (r.targets[a * 8 + j]! > 0) allNeg = false;
        hits += allNeg ? 1 : 0;
        trials++;
      }
    }
    expect(Math.abs(hits / trials - 0.125)).to.be.at.most(0.037);
  });

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

/** Direct 2-D convolution (NCHW, weights [cOut, cIn, kh, kw], zero padding), written without im2col. */
function directConv(
  input: ImageBatch,
  W: ArrayLike<number>,
  b: ArrayLike<number>,
  cOut: number,
  kh: number,
  kw: number,
  strideOpt: number | readonly [number, number],
  padOpt: number | readonly [number, number],
): { out: Float64Array; Ho: number; Wo: number } {
  const [B, C, H, Wd] = input.shape;
  const [sh, sw] = typeof strideOpt === 'number' ? [strideOpt, strideOpt] : strideOpt;
  const [ph, pw] = typeof padOpt === 'number' ? [padOpt, padOpt] : padOpt;
  const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1;
  const Wo = Math.floor((Wd + 2 * pw - kw) / sw) + 1;
  const out = new Float64Array(B * cOut * Ho * Wo);
  for (let s = 0; s < B; s++)
    for (let co = 0; co < cOut; co++)
      for (let oy = 0; oy < Ho; oy++)
        for (let ox = 0; ox < Wo; ox++) {
          let acc = b[co]!;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const y = oy * sh + i - ph;
                const x = ox * sw + j - pw;
                if (y < 0 || y >= H || x < 0 || x >= Wd) continue;
                acc += W[((co * C + c) * kh + i) * kw + j]! * input.data[((s * C + c) * H + y) * Wd + x]!;
              }
          out[((s * cOut + co) * Ho + oy) * Wo + ox] = acc;
        }
  return { out, Ho, Wo };
}

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

/** Gaussian elimination with partial pivoting for a square system. */
function gaussSolve(A0: readonly number[][], rhs0: readonly number[]): number[] {
  const n = A0.length;
  const A = A0.map((r) => r.slice());
  const y = rhs0.slice();
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    [y[c], y[piv]] = [y[piv]!, y[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k < n; k++) A[r]![k] -= f * A[c]![k]!;
      y[r] -= f * y[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = y[r]!;
    for (let k = r + 1; k < n; k++) s -= A[r]![k]! * x[k]!;
    x[r] = s / A[r]![r]!;
  }
  return x;
}
