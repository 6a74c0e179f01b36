// Yu & Spiliopoulos 1/N^γ normalization (src/init/meanfield/; the §6 property tests of the mean-field spec). The
// forward / gradient / SGD functions are the float64 oracle of test/support (what src/nn's tensor version is checked
// against), so their tests here also pin the oracle itself.
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import {
  CENTERED_OUTPUT_SECOND_MOMENT,
  createRng,
  gaussianActivationSecondMoment,
  getInitializer,
  inferredGeneralDepthLearningRates,
  initOutputVariance,
  initPreactivationVariance,
  initializeNetwork,
  meanFieldInit,
  meanFieldLearningRates,
  type DenseLayer,
  type MeanFieldParams,
} from '../../../src/init/index.js';
import { foldMeanFieldFactors, meanFieldForward, meanFieldGradients, meanFieldSgdStep } from '../../support/meanfield-oracle.js';
import { RATE_TABLE, RATE_TABLE_TOLERANCE, RATE_TABLE_WIDTH } from '../../support/meanfield-table.js';

const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const relClose = (a: number, b: number, tol: number, msg?: string): void => {
  expect(Math.abs(a - b) / Math.max(Math.abs(b), 1e-300), `${msg ?? ''} ${a} vs ${b}`).to.be.at.most(tol);
};
const sumOf = (a: ArrayLike<number>, f: (v: number) => number): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += f(a[i]!);
  return s;
};
const randVec = (n: number, seed: number): Float64Array => {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => r.nextNormal());
};

/**
 * Independent forward pass in the *code form* of spec §1.3: the factor multiplies the activations after σ
 * (h ← N^{−γ}·σ(fc(h))) instead of the sum, written with map/reduce over rows. Same function as §1.1.
 */
function codeFormForward(p: MeanFieldParams, x: readonly number[], gammas: readonly number[]): number[] {
  const fc1 = (layer: DenseLayer, h: readonly number[]): number[] =>
    Array.from({ length: layer.shape[0] }, (_, j) => h.reduce((s, v, i) => s + layer.W[j * layer.shape[1] + i]! * v, layer.b ? layer.b[j]! : 0));
  let h: number[] = [...x];
  p.layers.forEach((layer, l) => {
    if (l === p.layers.length - 1) h = fc1(layer, h);
    else h = fc1(layer, h).map((z) => Math.pow(layer.shape[0], -gammas[l]!) * sig(z));
  });
  return h;
}

describe('init/meanfield: learning rates (spec §3.2, §6.1)', () => {
  it('reproduce the spec table for N = 100 (MLP2, MLP3) to its 4 digits', () => {
    for (const [g, want] of RATE_TABLE) {
      const widths = [784, ...g.map(() => RATE_TABLE_WIDTH), 10];
      const got = meanFieldLearningRates(widths, g);
      expect(got.length).to.equal(want.length);
      got.forEach((a, i) => relClose(a, want[i]!, RATE_TABLE_TOLERANCE, `γ=${g} group ${i}`));
    }
  });

  it('MLP3 γ = 0.7: α_1 = 10^−3.6, α_2 = 10^−1.6, α_3 = 10^−0.4, α_C = 10^−1.2 (float64 exact)', () => {
    const got = meanFieldLearningRates([784, 100, 100, 100, 10], 0.7);
    [-3.6, -1.6, -0.4, -1.2].forEach((e, i) => relClose(got[i]!, Math.pow(10, e), 1e-12));
  });

  const hidden3 = fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }));
  const gamma = fc.double({ min: 0.5, max: 1, noNaN: true });

  it('all γ = 1/2: α_C = α_3 = 1/N3, α_2 = 1/N3², α_1 = 1/(N2 N3²); all γ = 1: α_C = 1, α_3 = N2, α_2 = N1N2/N3, α_1 = N1/N3', () => {
    fc.assert(
      fc.property(hidden3, ([n1, n2, n3]) => {
        const w = [3, n1, n2, n3, 1];
        const h = meanFieldLearningRates(w, 0.5);
        [1 / (n2 * n3 * n3), 1 / (n3 * n3), 1 / n3, 1 / n3].forEach((v, i) => relClose(h[i]!, v, 1e-12));
        const m = meanFieldLearningRates(w, [1, 1, 1]);
        [n1 / n3, (n1 * n2) / n3, n2, 1].forEach((v, i) => relClose(m[i]!, v, 1e-12));
      }),
      { numRuns: 100 },
    );
  });

  it('shallow: α_W = α_C = α0·N^{2γ−2}; alpha0 scales every rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e5 }), gamma, fc.double({ min: 0.01, max: 100, noNaN: true }), (n, g, a0) => {
        const r = meanFieldLearningRates([7, n, 2], g, { alpha0: a0 });
        relClose(r[0]!, a0 * Math.pow(n, 2 * g - 2), 1e-12);
        relClose(r[1]!, a0 * Math.pow(n, 2 * g - 2), 1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('every α is non-decreasing in every γ_m; α_C depends only on (N_L, γ_L) (property, L = 1, 2, 3)', () => {
    const arb = fc.integer({ min: 1, max: 3 }).chain((L) =>
      fc.record({
        ns: fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: L, maxLength: L }),
        gs: fc.array(gamma, { minLength: L, maxLength: L }),
        others: fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: L, maxLength: L }),
        othersG: fc.array(gamma, { minLength: L, maxLength: L }),
        m: fc.integer({ min: 0, max: L - 1 }),
        dg: fc.double({ min: 0, max: 0.5, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ ns, gs, others, othersG, m, dg }) => {
        const L = ns.length;
        const w = [4, ...ns, 3];
        const base = meanFieldLearningRates(w, gs);
        const up = [...gs];
        up[m] = Math.min(1, gs[m]! + dg);
        const raised = meanFieldLearningRates(w, up);
        raised.forEach((a, i) => expect(a, `group ${i}`).to.be.at.least(base[i]! * (1 - 1e-12)));
        // change every inner width and γ: α_C must not move
        const w2 = [9, ...others.slice(0, L - 1), ns[L - 1]!, 5];
        const g2 = [...othersG.slice(0, L - 1), gs[L - 1]!];
        relClose(meanFieldLearningRates(w2, g2)[L]!, base[L]!, 1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it('the general-depth rule (inferred) matches every verified formula for L = 1, 2, 3', () => {
    const arb = fc.integer({ min: 1, max: 3 }).chain((L) =>
      fc.tuple(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: L, maxLength: L }), fc.array(gamma, { minLength: L, maxLength: L })),
    );
    fc.assert(
      fc.property(arb, ([ns, gs]) => {
        const w = [2, ...ns, 1];
        const v = meanFieldLearningRates(w, gs);
        const inf = inferredGeneralDepthLearningRates(w, gs);
        v.forEach((a, i) => relClose(inf[i]!, a, 1e-12));
      }),
      { numRuns: 200 },
    );
  });

  it('deeper than 3 hidden layers: the verified function refuses and points to the inferred one', () => {
    const w = [5, 10, 20, 30, 40, 1];
    expect(() => meanFieldLearningRates(w, 1)).to.throw(DomainError, /verified formulas exist only for 1–3 hidden layers.*\(inferred\)/);
    const r = inferredGeneralDepthLearningRates(w, [0.5, 0.6, 0.7, 0.8]);
    expect(r).to.have.length(5);
    relClose(r[4]!, Math.pow(40, 2 * 0.8 - 2), 1e-12); // α_C = N_L^{2γ_L−2} at any depth under the rule
  });
});

describe('init/meanfield: initialization (spec §2)', () => {
  const widths = [6, 40, 30, 50, 2];

  it('same seed ⇒ bit-identical params; different seeds differ; the bias option never changes the weights', () => {
    const a = meanFieldInit(widths, createRng(17), { outputInit: 'centered', bias: 'torch-default', dtype: 'float64' });
    const b = meanFieldInit(widths, createRng(17), { outputInit: 'centered', bias: 'torch-default', dtype: 'float64' });
    const c = meanFieldInit(widths, createRng(18), { outputInit: 'centered', bias: 'torch-default', dtype: 'float64' });
    const d = meanFieldInit(widths, createRng(17), { outputInit: 'centered', dtype: 'float64' });
    a.layers.forEach((layer, l) => {
      expect(Buffer.from(layer.W.buffer).equals(Buffer.from(b.layers[l]!.W.buffer)), `W${l}`).to.equal(true);
      expect(Buffer.from(layer.b!.buffer).equals(Buffer.from(b.layers[l]!.b!.buffer)), `b${l}`).to.equal(true);
      expect(Buffer.from(layer.W.buffer).equals(Buffer.from(c.layers[l]!.W.buffer)), `W${l} other seed`).to.equal(false);
      expect(Buffer.from(layer.W.buffer).equals(Buffer.from(d.layers[l]!.W.buffer)), `W${l} without bias`).to.equal(true);
      expect(d.layers[l]!.b).to.equal(undefined);
    });
  });

  it('hidden weights N(0,1), output U(0,1) (authors-code) or U(−1,1) (centered), torch-default biases in ±1/√fan_in', () => {
    const w = [50, 200, 300, 1];
    const p = meanFieldInit(w, createRng(3), { bias: 'torch-default' });
    expect(p.layers[0]!.W).to.be.instanceOf(Float32Array);
    // hidden: 10 000 + 60 000 draws; mean SE = 1/√n, variance SE ≈ √(2/n): 5 SE bounds
    for (const layer of p.layers.slice(0, 2)) {
      const n = layer.W.length;
      const mean = sumOf(layer.W, (v) => v) / n;
      const m2 = sumOf(layer.W, (v) => v * v) / n;
      expect(Math.abs(mean)).to.be.below(5 / Math.sqrt(n));
      expect(Math.abs(m2 - 1)).to.be.below(5 * Math.sqrt(2 / n));
    }
    const C = p.layers[2]!.W;
    expect(Math.min(...C)).to.be.at.least(0);
    expect(Math.max(...C)).to.be.at.most(1);
    const pc = meanFieldInit([4, 3, 5000], createRng(4), { outputInit: 'centered', dtype: 'float64' });
    // C is the [5000, 3] output layer here: 15 000 U(−1,1) draws, E = 0, E[C²] = 1/3 (Var of C² = 4/45)
    const Cc = pc.layers[1]!.W;
    const n = Cc.length;
    expect(Math.min(...Cc)).to.be.at.least(-1);
    expect(Math.abs(sumOf(Cc, (v) => v) / n)).to.be.below(5 * Math.sqrt(1 / 3 / n));
    expect(Math.abs(sumOf(Cc, (v) => v * v) / n - CENTERED_OUTPUT_SECOND_MOMENT)).to.be.below(5 * Math.sqrt(4 / 45 / n));
    p.layers.forEach((layer) => {
      const k = 1 / Math.sqrt(layer.shape[1]);
      for (const v of layer.b!) expect(Math.abs(v)).to.be.at.most(Math.fround(k));
    });
  });
});

describe('init/meanfield: forward pass (spec §1, §6.3)', () => {
  it('matches an independent code-form computation (factor after σ), with and without biases, L = 1, 2, 3', () => {
    const cases: [number[], number[]][] = [
      [[3, 7, 2], [0.6]],
      [[4, 9, 5, 1], [0.5, 1]],
      [[5, 8, 6, 7, 3], [0.7, 0.55, 0.9]],
    ];
    for (const [w, g] of cases) {
      for (const bias of ['none', 'torch-default'] as const) {
        const p = meanFieldInit(w, createRng(w.length), { outputInit: 'centered', bias, dtype: 'float64' });
        const B = 4;
        const x = randVec(B * w[0]!, 99);
        const got = meanFieldForward(p, x, { gammas: g }).output;
        const K = w[w.length - 1]!;
        for (let r = 0; r < B; r++) {
          const want = codeFormForward(p, Array.from(x.subarray(r * w[0]!, (r + 1) * w[0]!)), g);
          want.forEach((v, k) => expect(Math.abs(got[r * K + k]! - v), `${w} ${bias}`).to.be.at.most(1e-13 * (1 + Math.abs(v))));
        }
      }
    }
  });

  it('C·c multiplies g by c; γ_L + δ multiplies g by N_L^{−δ} (property)', () => {
    const w = [3, 6, 5, 12, 2];
    const p = meanFieldInit(w, createRng(5), { outputInit: 'centered', dtype: 'float64' });
    const x = randVec(3, 6);
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0.5, max: 0.8, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true }), (c, g, dlt) => {
        const g0 = meanFieldForward(p, x, { gammas: [0.8, 0.6, g] }).output;
        const C = p.layers[3]!;
        const scaled: MeanFieldParams = { widths: p.widths, layers: [...p.layers.slice(0, 3), { ...C, W: C.W.map((v) => c * v) }] };
        const gc = meanFieldForward(scaled, x, { gammas: [0.8, 0.6, g] }).output;
        const gd = meanFieldForward(p, x, { gammas: [0.8, 0.6, g + dlt] }).output;
        for (let k = 0; k < 2; k++) {
          expect(Math.abs(gc[k]! - c * g0[k]!)).to.be.at.most(1e-13 * (1 + Math.abs(c * g0[k]!)));
          expect(Math.abs(gd[k]! - Math.pow(12, -dlt) * g0[k]!)).to.be.at.most(1e-13 * (1 + Math.abs(g0[k]!)));
        }
      }),
      { numRuns: 50 },
    );
  });

  it('folding the factors into the weights gives the same function (standard sigmoid MLP); the registry entry folds likewise', () => {
    const w = [4, 10, 8, 3];
    const g = [0.75, 0.6];
    const p = meanFieldInit(w, createRng(21), { bias: 'torch-default', dtype: 'float64' });
    const folded = foldMeanFieldFactors(p, { gammas: g });
    const x = Array.from(randVec(4, 22));
    const plain = (layers: readonly DenseLayer[]): number[] => codeFormForward({ widths: w, layers }, x, [0, 0]); // N^0 = 1: no factors
    const want = meanFieldForward(p, x, { gammas: g }).output;
    plain(folded).forEach((v, k) => expect(Math.abs(v - want[k]!)).to.be.below(1e-13));
    const reg = initializeNetwork('meanfield', [[10, 4], [8, 10], [3, 8]], createRng(21), { gammas: g, bias: 'torch-default', fold: true, dtype: 'float64' });
    const raw = initializeNetwork('meanfield', [[10, 4], [8, 10], [3, 8]], createRng(21), { bias: 'torch-default', dtype: 'float64' });
    reg.forEach((l, i) => {
      expect(Array.from(l.W)).to.deep.equal(Array.from(folded[i]!.W));
      expect(Array.from(raw[i]!.W)).to.deep.equal(Array.from(p.layers[i]!.W)); // fold: false returns the raw draws
    });
    // default gammas = 1 (mean-field)
    const d1 = initializeNetwork('meanfield', [[10, 4], [3, 10]], createRng(2), { fold: true, dtype: 'float64' });
    const d2 = initializeNetwork('meanfield', [[10, 4], [3, 10]], createRng(2), { fold: true, gammas: [1], dtype: 'float64' });
    expect(Array.from(d1[1]!.W)).to.deep.equal(Array.from(d2[1]!.W));
  });
});

describe('init/meanfield: gradients and SGD (spec §3.1, §6.2)', () => {
  it('gradient of ½·mean‖y − g‖² equals central finite differences (relative error < 1e-6, float64), L = 1, 2, 3, with biases', () => {
    const cases: [number[], number[]][] = [
      [[3, 6, 2], [0.8]],
      [[3, 5, 4, 1], [0.5, 0.9]],
      [[4, 5, 6, 4, 2], [1, 0.6, 0.75]],
    ];
    for (const [w, g] of cases) {
      const p = meanFieldInit(w, createRng(40 + w.length), { outputInit: 'centered', bias: 'torch-default', dtype: 'float64' });
      const B = 3;
      const K = w[w.length - 1]!;
      const x = randVec(B * w[0]!, 1);
      const y = randVec(B * K, 2);
      const loss = (q: MeanFieldParams): number => {
        const out = meanFieldForward(q, x, { gammas: g }).output;
        let s = 0;
        for (let i = 0; i < out.length; i++) s += 0.5 * (y[i]! - out[i]!) ** 2;
        return s / B;
      };
      const grads = meanFieldGradients(p, x, y, { gammas: g });
      const h = 1e-5;
      p.layers.forEach((layer, l) => {
        for (const key of ['W', 'b'] as const) {
          const arr = layer[key] as Float64Array;
          const an = grads[l]![key]!;
          let num2 = 0;
          let den2 = 0;
          for (let i = 0; i < arr.length; i++) {
            const v = arr[i]!;
            arr[i] = v + h;
            const lp = loss(p);
            arr[i] = v - h;
            const lm = loss(p);
            arr[i] = v;
            const fd = (lp - lm) / (2 * h);
            num2 += (fd - an[i]!) ** 2;
            den2 += an[i]! ** 2;
          }
          expect(Math.sqrt(num2 / den2), `${w} layer ${l} ${key}`).to.be.below(1e-6);
        }
      });
    }
  });

  it("one SGD step equals the README's explicit 3-layer updates (§3.1) with the §3.2 rates", () => {
    const w = [4, 7, 6, 5, 1];
    const g = [0.7, 0.55, 0.9];
    const [N1, N2, N3] = [7, 6, 5];
    const p = meanFieldInit(w, createRng(8), { outputInit: 'centered', dtype: 'float64' });
    const x = Array.from(randVec(4, 9));
    const yk = 0.3;
    const rates = meanFieldLearningRates(w, g);
    const [a1, a2, a3, aC] = rates as [number, number, number, number];
    const [W1, W2, W3, C] = p.layers.map((l) => l.W) as [Float64Array, Float64Array, Float64Array, Float64Array];
    const f1 = Math.pow(N1, -g[0]!);
    const f2 = Math.pow(N2, -g[1]!);
    const f3 = Math.pow(N3, -g[2]!);
    const H1 = Array.from({ length: N1 }, (_, v) => sig(x.reduce((s, xi, i) => s + W1[v * 4 + i]! * xi, 0)));
    const Z2 = Array.from({ length: N2 }, (_, j) => f1 * H1.reduce((s, h, v) => s + W2[j * N1 + v]! * h, 0));
    const H2 = Z2.map(sig);
    const Z3 = Array.from({ length: N3 }, (_, i) => f2 * H2.reduce((s, h, j) => s + W3[i * N2 + j]! * h, 0));
    const H3 = Z3.map(sig);
    const gk = f3 * H3.reduce((s, h, i) => s + C[i]! * h, 0);
    const e = yk - gk;
    const ds = (h: number): number => h * (1 - h); // σ'(z) = σ(z)(1 − σ(z))
    const dC = H3.map((h) => (aC / Math.pow(N3, g[2]!)) * e * h);
    const dW3 = Array.from({ length: N3 * N2 }, (_, k) => {
      const [i, j] = [Math.floor(k / N2), k % N2];
      return (a3 / (Math.pow(N2, g[1]!) * Math.pow(N3, g[2]!))) * e * C[i]! * ds(H3[i]!) * H2[j]!;
    });
    const back3 = (j: number): number => f3 * H3.reduce((s, h, i) => s + C[i]! * ds(h) * W3[i * N2 + j]!, 0);
    const dW2 = Array.from({ length: N2 * N1 }, (_, k) => {
      const [j, v] = [Math.floor(k / N1), k % N1];
      return (a2 / (Math.pow(N1, g[0]!) * Math.pow(N2, g[1]!))) * e * back3(j) * ds(H2[j]!) * H1[v]!;
    });
    const dW1 = Array.from({ length: N1 * 4 }, (_, k) => {
      const [v, c] = [Math.floor(k / 4), k % 4];
      const inner = f3 * H3.reduce((s, h, i) => s + C[i]! * ds(h) * f2 * H2.reduce((t, h2, j) => t + W3[i * N2 + j]! * ds(h2) * W2[j * N1 + v]!, 0), 0);
      return (a1 / Math.pow(N1, g[0]!)) * e * inner * ds(H1[v]!) * x[c]!;
    });
    const next = meanFieldSgdStep(p, x, [yk], { gammas: g, rates });
    [dW1, dW2, dW3, dC].forEach((want, l) => {
      const got = next.layers[l]!.W;
      const old = p.layers[l]!.W;
      want.forEach((dv, i) => expect(Math.abs(got[i]! - old[i]! - dv), `layer ${l} [${i}]`).to.be.at.most(1e-12 * (Math.abs(dv) + 1e-12) + 1e-15));
    });
  });

  it('one-step output change of the C group: N_L·α_C·‖∇_C g‖² = mean_i H_i² ≈ E[σ(Z^L)²] ≈ 1/4, for every N and γ (§6.7)', () => {
    for (const n of [50, 200, 800]) {
      for (const gL of [0.5, 0.75, 1]) {
        const w = [5, n, n, 1];
        const g = [0.8, gL];
        const p = meanFieldInit(w, createRng(n), { outputInit: 'centered', dtype: 'float64' });
        const x = randVec(5, 3);
        const fwd = meanFieldForward(p, x, { gammas: g });
        // y = g + 1 makes ∂/∂θ ½(y − g)² = −∇θ g
        const grads = meanFieldGradients(p, x, [fwd.output[0]! + 1], { gammas: g });
        const rates = meanFieldLearningRates(w, g);
        const change = n * rates[2]! * grads[2]!.W.reduce((s, v) => s + v * v, 0);
        const h = fwd.hidden[1]!;
        relClose(change, h.reduce((s, v) => s + v * v, 0) / n, 1e-12);
        expect(Math.abs(change - 0.25) / 0.25, `N=${n} γ_L=${gL}`).to.be.below(0.1);
      }
    }
  });
});

describe('init/meanfield: variance at initialization (spec §4.3, §6.4–6.6)', () => {
  /**
   * R independent inits with mean-zero C (U(−1,1)), N(0,1) hidden weights, no bias, fixed x. Returns the sample
   * E[g²] (g is exactly mean-zero, so its variance is estimated by the mean of g² about 0), the per-rep mean of
   * (H^L)², per-rep E[(Z^{ℓ+1}_0)²] and mean of (H^ℓ)² for ℓ = 1.
   */
  function monteCarlo(w: number[], g: number[], R: number, seed: number) {
    const L = w.length - 2;
    const x = randVec(w[0]!, 7).map((v) => v / Math.sqrt(w[0]!));
    const master = createRng(seed);
    const g2 = new Float64Array(R);
    const mL = new Float64Array(R);
    const z2 = new Float64Array(R);
    const m1 = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      const p = meanFieldInit(w, master, { outputInit: 'centered', dtype: 'float64' });
      const f = meanFieldForward(p, x, { gammas: g });
      g2[r] = f.output[0]! ** 2;
      const hL = f.hidden[L - 1]!;
      mL[r] = hL.reduce((s, v) => s + v * v, 0) / hL.length;
      if (L >= 2) {
        z2[r] = f.pre[1]![0]! ** 2;
        m1[r] = f.hidden[0]!.reduce((s, v) => s + v * v, 0) / w[1]!;
      }
    }
    return { x, g2, mL, z2, m1 };
  }
  const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  /** Standard error of the mean of i.i.d. samples a (sample sd / √R). */
  const se = (a: Float64Array): number => {
    const m = mean(a);
    return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1) / a.length);
  };
  /**
   * Tolerance from the sample size: the estimate E^[g²] = mean of R i.i.d. g² has SE sd(g²)/√R (this is √((μ4 − σ⁴)/R)
   * with the fourth moment taken from the sample itself, so heavy tails widen it); the prediction uses m̂ = E^[(H^L)²]
   * with SE k·sd(m_r)/√R. The two are combined in quadrature and we allow 4 SE (two-sided normal tail 6e-5). With
   * R = 3000 and near-Gaussian g this is ≈ 4·√(2/3000) ≈ 10% of the value; the test also asserts it stays below 12%
   * so it cannot pass by being vacuous.
   */
  function expectIdentity(est: Float64Array, pred: (m: number) => number, mSamples: Float64Array, msg: string): void {
    const m = mean(mSamples);
    const p = pred(m);
    const k = pred(1) - pred(0);
    const tol = 4 * Math.hypot(se(est), k * se(mSamples));
    expect(tol / p, `${msg}: tolerance`).to.be.below(0.12);
    expect(Math.abs(mean(est) - p), `${msg}: ${mean(est)} vs ${p} ± ${tol}`).to.be.at.most(tol);
  }

  it('Var[g_0(x)] = N_L^{1−2γ_L}·E[C²]·E[σ(Z^L)²] (exact identity; Monte Carlo, R = 3000) and Var[Z^2] = N_1^{1−2γ_1}·E[(H^1)²]', () => {
    const R = 3000;
    const configs: [number[], number[]][] = [
      [[4, 12, 12, 24, 1], [0.5, 0.5, 0.5]],
      [[4, 12, 12, 24, 1], [1, 1, 1]],
      [[4, 16, 40, 1], [0.7, 0.85]],
    ];
    for (const [w, g] of configs) {
      const mc = monteCarlo(w, g, R, 1000 + w.length);
      expectIdentity(mc.g2, (m) => initOutputVariance(w, g, { activationSecondMoment: m }), mc.mL, `output ${g}`);
      expectIdentity(mc.z2, (m) => initPreactivationVariance(w, g, 1, m), mc.m1, `Z^2 ${g}`);
    }
  });

  it('one hidden layer: the x-only form of initOutputVariance (quadrature) matches Monte Carlo', () => {
    const w = [3, 30, 1];
    const mc = monteCarlo(w, [0.75], 3000, 77);
    const pred = initOutputVariance(w, 0.75, { x: mc.x });
    const tol = 4 * se(mc.g2);
    expect(tol / pred).to.be.below(0.12);
    expect(Math.abs(mean(mc.g2) - pred)).to.be.at.most(tol);
  });

  it('outer γ dominates: inner γ moves only the O(1) prefactor (< 2×); raising γ_L by Δ divides Var by N_L^{2Δ} (§6.5)', () => {
    const R = 1500;
    const base = [4, 12, 12, 32, 1];
    const pref = (g: number[]): number => {
      const mc = monteCarlo(base, g, R, 5);
      return mean(mc.mL); // Var·N_L^{2γ_L−1}/E[C²] by the identity
    };
    const lo = pref([0.5, 0.5, 0.75]);
    const hi = pref([1, 1, 0.75]);
    expect(Math.max(lo, hi) / Math.min(lo, hi)).to.be.below(2);
    for (const m of [lo, hi]) expect(m).to.be.within(0, 1);
    // with the same inner part, E[σ(Z^L)²] does not depend on γ_L: the ratio is exactly N_L^{−2Δ}
    const v1 = initOutputVariance(base, [0.6, 0.6, 0.6], { activationSecondMoment: lo });
    const v2 = initOutputVariance(base, [0.6, 0.6, 0.9], { activationSecondMoment: lo });
    relClose(v2 / v1, Math.pow(32, -0.6), 1e-12);
  });

  it('gaussianActivationSecondMoment: σ(0)² at v = 0, symmetric identities, agrees with an independent Simpson rule', () => {
    expect(gaussianActivationSecondMoment(0)).to.equal(0.25);
    // independent check: composite Simpson in the unstandardized variable u = √v·z on [−12√v, 12√v] (other grid, other variable)
    for (const v of [0.01, 1, 4, 100]) {
      const s = Math.sqrt(v);
      const n = 20000;
      const a = -12 * s;
      const hh = (24 * s) / n;
      let acc = 0;
      for (let i = 0; i <= n; i++) {
        const u = a + i * hh;
        const f = sig(u) ** 2 * Math.exp((-u * u) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
        acc += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * f;
      }
      relClose(gaussianActivationSecondMoment(v), (acc * hh) / 3, 1e-10, `v=${v}`);
      // E[σ(Z)] = 1/2 by symmetry ⇒ E[σ²] + E[σ(Z)σ(−Z)] = 1/2; and E[σ²] ∈ [1/4, 1/2)
      expect(gaussianActivationSecondMoment(v)).to.be.within(0.25, 0.5);
    }
    relClose(gaussianActivationSecondMoment(1, { activation: 'tanh' }), 0.394294668, 1e-6); // E[tanh(Z)²], Z ~ N(0,1)
  });
});

describe('init/meanfield: output variance after training (spec §6.8–6.9, shallow)', () => {
  /**
   * Shallow net (d = 3 with a constant input), 10 fixed training points, y = sin(x1)·cos(x2), centered C, online SGD
   * with the verified rates N^{2γ−2} for k = t·N steps (t = 2), R runs per width. Var[g(x0)] should scale as
   * N^{1−2γ}. Tolerance of the slope from the sample size: for near-Gaussian g, log of a sample variance over R runs
   * has SE √(2/(R−1)) ≈ 0.116 at R = 150; a least-squares slope over ln N ∈ {ln 16, ln 48, ln 144} (Σ(ln N − mean)² =
   * 2·(ln 3)²) has SE 0.116/√2.41 ≈ 0.075, so ±0.25 is ≈ 3.3 SE (the spec's tolerance for small N and R).
   * The mean of g(x0) must not depend on N: |difference| ≤ 4·√(v_a/R + v_b/R).
   */
  it('Var[g_t(x0)] ∝ N^{1−2γ} (slope ±0.25), falls with t, decreases as γ rises; the mean does not depend on N', () => {
    const pts = Array.from({ length: 10 }, (_, i) => {
      const r = createRng(500 + i);
      return [r.nextNormal(), r.nextNormal(), 1];
    });
    const ys = pts.map((q) => Math.sin(q[0]!) * Math.cos(q[1]!));
    const x0 = [0.3, -0.5, 1];
    const Ns = [16, 48, 144];
    const R = 150;
    const stats = (a: number[]) => {
      const m = a.reduce((s, v) => s + v, 0) / a.length;
      return { m, v: a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1) };
    };
    const varAt144: number[] = [];
    for (const g of [0.5, 0.75, 1]) {
      const trained: { m: number; v: number }[] = [];
      Ns.forEach((N) => {
        const w = [3, N, 1];
        const rates = meanFieldLearningRates(w, g);
        const data = createRng(9000 + N);
        const v0: number[] = [];
        const vt: number[] = [];
        for (let r = 0; r < R; r++) {
          let p = meanFieldInit(w, createRng(N * 100000 + r), { outputInit: 'centered', dtype: 'float64' });
          v0.push(meanFieldForward(p, x0, { gammas: g }).output[0]!);
          for (let k = 0; k < 2 * N; k++) {
            const i = data.nextInt(10);
            p = meanFieldSgdStep(p, pts[i]!, [ys[i]!], { gammas: g, rates });
          }
          vt.push(meanFieldForward(p, x0, { gammas: g }).output[0]!);
        }
        const s0 = stats(v0);
        const st = stats(vt);
        expect(st.v, `γ=${g} N=${N}: variance falls with t`).to.be.below(s0.v);
        trained.push(st);
      });
      const lx = Ns.map(Math.log);
      const ly = trained.map((s) => Math.log(s.v));
      const mx = lx.reduce((a, b) => a + b) / lx.length;
      const my = ly.reduce((a, b) => a + b) / ly.length;
      const slope = lx.reduce((s, x, i) => s + (x - mx) * (ly[i]! - my), 0) / lx.reduce((s, x) => s + (x - mx) ** 2, 0);
      expect(Math.abs(slope - (1 - 2 * g)), `γ=${g}: slope ${slope}`).to.be.at.most(0.25);
      const [a, b] = [trained[0]!, trained[2]!];
      expect(Math.abs(a.m - b.m), `γ=${g}: means`).to.be.at.most(4 * Math.sqrt(a.v / R + b.v / R));
      varAt144.push(trained[2]!.v);
    }
    expect(varAt144[0]!).to.be.above(varAt144[1]!);
    expect(varAt144[1]!).to.be.above(varAt144[2]!);
  });
});

describe('init/meanfield: bad input and options', () => {
  const w = [3, 4, 5, 1];
  const p = meanFieldInit(w, createRng(1), { dtype: 'float64' });
  it('γ outside [1/2, 1] is a DomainError naming the argument and the range; NaN/Inf are NonFiniteErrors', () => {
    expect(() => meanFieldLearningRates([3, 4, 5, 6, 1], [1, 0.3, 1])).to.throw(DomainError, 'gammas[1] must be in [1/2, 1], got 0.3');
    expect(() => meanFieldLearningRates(w, 1.01)).to.throw(DomainError, 'gammas must be in [1/2, 1], got 1.01');
    expect(() => meanFieldForward(p, [1, 2, 3], { gammas: [0.5, 0.49] })).to.throw(DomainError, 'options.gammas[1] must be in [1/2, 1], got 0.49');
    expect(() => inferredGeneralDepthLearningRates(w, [0.7, NaN])).to.throw(NonFiniteError, /gammas\[1\]/);
    expect(() => initOutputVariance(w, [Infinity, 1], { activationSecondMoment: 0.3 })).to.throw(NonFiniteError, /gammas\[0\]/);
    expect(() => meanFieldLearningRates(w, [1, 1, 1])).to.throw(ShapeError, /gammas must have one entry per hidden layer \(2/);
    expect(() => initializeNetwork('meanfield', [[4, 3], [1, 4]], createRng(1), { gammas: 0.2 })).to.throw(DomainError, 'options.gammas must be in [1/2, 1], got 0.2');
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((g) => g < 0.5 || g > 1), (g) => {
        expect(() => meanFieldLearningRates(w, [0.75, g])).to.throw(DomainError, /gammas\[1\] must be in \[1\/2, 1\]/);
      }),
      { numRuns: 100 },
    );
  });

  it('non-integer / non-positive widths are ShapeErrors; non-finite widths, x, y, rates are NonFiniteErrors', () => {
    expect(() => meanFieldInit([3, 4.5, 1], createRng(1))).to.throw(ShapeError, 'widths[1] must be a positive integer, got 4.5');
    expect(() => meanFieldInit([3, 0, 1], createRng(1))).to.throw(ShapeError, /widths\[1\]/);
    expect(() => meanFieldLearningRates([3, -2, 1], 1)).to.throw(ShapeError, /widths\[1\]/);
    expect(() => meanFieldLearningRates([3, 1], 1)).to.throw(ShapeError, /at least 3/);
    expect(() => meanFieldInit([3, Infinity, 1], createRng(1))).to.throw(NonFiniteError, /widths\[1\]/);
    expect(() => meanFieldForward(p, [1, NaN, 3], { gammas: 1 })).to.throw(NonFiniteError, /x\[1\]/);
    expect(() => meanFieldForward(p, [1, 2], { gammas: 1 })).to.throw(ShapeError, /multiple of 3/);
    expect(() => meanFieldGradients(p, [1, 2, 3], [Infinity], { gammas: 1 })).to.throw(NonFiniteError, /y\[0\]/);
    expect(() => meanFieldSgdStep(p, [1, 2, 3], [0], { gammas: 1, rates: [1, 1, NaN] })).to.throw(NonFiniteError, /rates\[2\]/);
    expect(() => meanFieldLearningRates(w, 1, { alpha0: -1 })).to.throw(DomainError, /alpha0/);
    expect(() => gaussianActivationSecondMoment(-1)).to.throw(DomainError, /variance/);
    expect(() => initPreactivationVariance(w, 1, 2, 0.3)).to.throw(DomainError, /layer must be an integer in \[1, 1\]/);
    expect(() => initOutputVariance(w, 1)).to.throw(DomainError, /activationSecondMoment for 2 hidden layers/);
    const bad: MeanFieldParams = { widths: w, layers: p.layers.slice(0, 2) };
    expect(() => meanFieldForward(bad, [1, 2, 3], { gammas: 1 })).to.throw(ShapeError, /params\.layers must be an array of 3/);
    const nan: MeanFieldParams = { widths: w, layers: [{ ...p.layers[0]!, W: new Float64Array(12).fill(NaN) }, ...p.layers.slice(1)] };
    expect(() => meanFieldForward(nan, [1, 2, 3], { gammas: 1 })).to.throw(NonFiniteError, /params\.layers\[0\]\.W\[0, 0\] must be finite/);
    expect(() => meanFieldInit(w, createRng(1), { outputInit: 'uniform' as 'centered' })).to.throw(DomainError, /options\.outputInit must be one of/);
  });

  it('every options object rejects unknown keys (DomainError naming key and function)', () => {
    const o = { bogus: 1 } as object;
    const calls: [string, () => unknown][] = [
      ['meanFieldInit', () => meanFieldInit(w, createRng(1), o)],
      ['meanFieldForward', () => meanFieldForward(p, [1, 2, 3], { gammas: 1, ...o })],
      ['meanFieldGradients', () => meanFieldGradients(p, [1, 2, 3], [0], { gammas: 1, ...o })],
      ['meanFieldSgdStep', () => meanFieldSgdStep(p, [1, 2, 3], [0], { gammas: 1, rates: [1, 1, 1], ...o })],
      ['foldMeanFieldFactors', () => foldMeanFieldFactors(p, { gammas: 1, ...o })],
      ['meanFieldLearningRates', () => meanFieldLearningRates(w, 1, o)],
      ['inferredGeneralDepthLearningRates', () => inferredGeneralDepthLearningRates(w, 1, o)],
      ['initOutputVariance', () => initOutputVariance(w, 1, { activationSecondMoment: 0.3, ...o })],
      ['gaussianActivationSecondMoment', () => gaussianActivationSecondMoment(1, o)],
      ['meanfield', () => initializeNetwork('meanfield', [[4, 3], [1, 4]], createRng(1), { bogus: 1 })],
    ];
    for (const [fn, call] of calls) expect(call, fn).to.throw(DomainError, new RegExp(`^unknown option options\\.bogus for ${fn}\\b`));
    expect(() => meanFieldForward(p, [1, 2, 3], {} as { gammas: number })).to.throw(DomainError, /options\.gammas is required/);
  });

  it('registry entry: honest provenance and description (raw weights, how to apply the factors, folded caveat)', () => {
    const e = getInitializer('meanfield');
    expect(e.kind).to.equal('network');
    expect(e.provenance).to.equal('authors-code');
    expect(e.description).to.contain('N_l^(-γ_l)');
    expect(e.description).to.contain('folded: same function at init, different training dynamics');
    expect(e.description).to.contain('inferred');
    expect(e.source).to.contain('2209.01018');
    expect(getInitializer('mean_field')).to.equal(e);
    const a = initializeNetwork('meanfield', [[8, 3], [5, 8], [2, 5]], createRng(9), { gammas: [0.5, 0.9] });
    const b = initializeNetwork('meanfield', [[8, 3], [5, 8], [2, 5]], createRng(9), { gammas: [0.5, 0.9] });
    a.forEach((l, i) => {
      expect(l.W).to.be.instanceOf(Float32Array);
      expect(l.b).to.equal(undefined);
      expect(Array.from(l.W)).to.deep.equal(Array.from(b[i]!.W));
    });
    expect(() => initializeNetwork('meanfield', [[3, 3]], createRng(1))).to.throw(DomainError, /at least one hidden layer/);
  });
});
