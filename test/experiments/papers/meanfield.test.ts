/**
 * The meanfield preset at its quick size: deterministic for the seeds; every claim (sigmoid variance vs width, outer vs
 * inner γ at init, ReLU variance, accuracy vs γ, outer vs inner γ in training) with its cases and verdicts that follow
 * from the intervals (and from the "did it train" gate); the variance at init falling with γ at every width; tables and
 * figures complete. And the helpers on real numbers: the shared-draw forward against the registry net's plain-loop
 * trace, the ReLU identity Var g = N^(2−2γ1−2γ2)·E[C²]·|x|²/4 by Monte Carlo, the slope, the main effects, the gate.
 */
import { expect } from 'chai';
import { createRng, createStream, initializeNetwork, mlpTrace } from '../../../src/init/index.js';
import { MEANFIELD_QUICK, runMeanfield, verdictForDirection, verdictForValue, type PresetResult } from '../../../src/experiments/papers/index.js';
import { meanFieldOutputs, pairKey, predictedSlope, slope, type GammaPair } from '../../../src/experiments/papers/meanfield-init.js';
import { LEARNED, mainEffects, trained, type TrainSweep } from '../../../src/experiments/papers/meanfield-train.js';
import { quickFixture } from './quick.js';

const Q = MEANFIELD_QUICK;
const lo = Q.gammas[0]!, hi = Q.gammas[Q.gammas.length - 1]!;
const ALL: GammaPair[] = [...Q.gammas.map((g): GammaPair => [g, g]), [hi, lo], [lo, hi]];

describe('experiments/papers: meanfield (quick)', function () {
  this.timeout(60_000);
  const fx = quickFixture(runMeanfield);
  let a: PresetResult;
  before(() => {
    a = fx.result();
  });

  it('states the five claims with provenance and a case per configuration', () => {
    expect(a.claims.map((c) => c.id)).to.deep.equal(['variance-vs-width', 'outer-vs-inner-init', 'relu-variance-vs-width', 'accuracy-vs-gamma', 'outer-vs-inner-training']);
    const [v, oi, relu, acc, oit] = a.claims;
    expect(v!.cases.map((k) => k.label)).to.deep.equal(Q.gammas.map((g) => `γ = ${g}`));
    expect(oi!.cases).to.have.length(3);
    expect(relu!.cases.map((k) => k.label)).to.deep.equal(ALL.map((p) => `(γ1, γ2) = (${p[0]}, ${p[1]})`));
    expect(acc!.cases).to.have.length(2 * (Q.gammas.length - 1));
    expect(oit!.cases).to.have.length(1);
    for (const c of [v!, oi!, acc!, oit!]) expect(c.provenance).to.match(/\[V-abs\]/);
    expect(relu!.provenance).to.match(/initlab's extension/).and.to.match(/\[I\]/);
  });

  it('slope verdicts follow from the intervals and the bands fixed in the code', () => {
    const band = { kind: 'absolute', tol: 0.1 } as const;
    a.claims[0]!.cases.forEach((k, i) => expect(k.verdict).to.equal(verdictForValue(k.measured, 1 - 2 * Q.gammas[i]!, band).verdict));
    a.claims[2]!.cases.forEach((k, i) => expect(k.verdict).to.equal(verdictForValue(k.measured, 2 - 2 * ALL[i]![0] - 2 * ALL[i]![1], band).verdict));
    const [inner, ratio, outer] = a.claims[1]!.cases;
    expect(inner!.verdict).to.equal(verdictForValue(inner!.measured, 0, band).verdict);
    expect(ratio!.verdict).to.equal(verdictForValue(ratio!.measured, 1, { kind: 'ratio', factor: 2 }).verdict);
    expect(outer!.verdict).to.equal(verdictForValue(outer!.measured, -2 * (hi - lo), band).verdict);
    // The outer γ multiplies g by N^(−Δγ2) on the same draws: its slope change is exact (to rounding) at every seed.
    expect(outer!.measured.mean).to.be.closeTo(-2 * (hi - lo), 1e-9);
    expect(outer!.measured.sd).to.be.below(1e-9);
  });

  it('accuracy verdicts: a direction on the paired interval when both nets trained, "not tested" otherwise', () => {
    const curves = a.figures[2]!.panels[0]!.curves;
    expect(curves.map((c) => c.name)).to.deep.equal(['sigmoid', 'ReLU']);
    a.claims[3]!.cases.forEach((k, i) => {
      const curve = curves[Math.floor(i / (Q.gammas.length - 1))]!;
      const j = i % (Q.gammas.length - 1);
      const ok = curve.mean[j]! >= LEARNED && curve.mean[j + 1]! >= LEARNED;
      if (ok) expect(k.verdict).to.equal(verdictForDirection(k.measured, 'greater').verdict);
      else expect([k.verdict, k.reason.startsWith('not tested')]).to.deep.equal(['within noise', true]);
    });
  });

  it('the output variance at init falls as γ rises, at every width, for both activations', () => {
    for (const panel of a.figures[0]!.panels) {
      const byName = new Map(panel.curves.map((c) => [c.name, c]));
      const at = (g: number) => byName.get(`(γ1, γ2) = (${g}, ${g})`)!;
      for (let i = 0; i < Q.init.widths.length; i++) {
        expect(at(lo).mean[i]!).to.be.above(at(Q.gammas[1]!).mean[i]!);
        expect(at(Q.gammas[1]!).mean[i]!).to.be.above(at(hi).mean[i]!);
      }
    }
  });

  it('tables and figures are complete; accuracies are fractions', () => {
    expect(a.tables.map((t) => t.rows.length)).to.deep.equal([ALL.length, ALL.length, Q.gammas.length + ALL.length, 3]);
    for (const t of a.tables) for (const r of t.rows) expect(r).to.have.length(t.head.length);
    expect(a.figures.map((f) => f.id)).to.deep.equal(['meanfield-variance', 'meanfield-slope-inner', 'meanfield-accuracy', 'meanfield-accuracy-inner']);
    expect(a.figures[0]!.panels.map((p) => p.title)).to.deep.equal(['sigmoid', 'ReLU']);
    for (const f of a.figures) {
      for (const p of f.panels) {
        for (const c of p.curves) {
          expect(c.mean).to.have.length(c.x.length);
          expect(c.seeds).to.have.length(3);
          if (f.yTitle === 'test accuracy') for (const s of c.seeds) for (const y of s.y) expect(y).to.be.within(0, 1);
        }
      }
    }
  });
});

describe('experiments/papers: meanfield helpers', () => {
  const d = 784;
  const input = (seed: number): Float64Array => {
    const r = createRng(seed);
    return Float64Array.from({ length: d }, () => r.nextNormal());
  };

  it('meanFieldOutputs equals the plain-loop trace of the registry net built with those γ (sigmoid and ReLU, 1e-12)', () => {
    const N = 12;
    const x = input(3);
    const pairs: GammaPair[] = [[0.5, 0.5], [0.7, 1], [1, 0.5]];
    for (const act of ['sigmoid', 'relu'] as const) {
      const shared = initializeNetwork('meanfield', [[N, d], [N, N], [10, N]], createStream(9n, 0), { outputInit: 'centered', dtype: 'float64' });
      const outs = meanFieldOutputs(shared, x, act, pairs);
      pairs.forEach((p, i) => {
        const net = initializeNetwork('meanfield', [[N, d], [N, N], [10, N]], createStream(9n, 0), { gammas: [p[0], p[1]], outputInit: 'centered', dtype: 'float64' });
        const ref = mlpTrace(net, x, 1, act).pre[2]!;
        for (let k = 0; k < 10; k++) expect(outs[i]![k]!).to.be.closeTo(ref[k]!, 1e-12 * (1 + Math.abs(ref[k]!)));
      });
    }
  });

  it('ReLU: without biases g depends on γ1 + γ2 only, and E[g²] = N^(2−2γ1−2γ2)·(1/3)·|x|²/4', () => {
    const N = 48, nets = 300;
    const x = input(5);
    const x2 = x.reduce((s, v) => s + v * v, 0);
    const pairs: GammaPair[] = [[1, 0.5], [0.5, 1], [0.7, 0.7]];
    let s = 0;
    for (let k = 0; k < nets; k++) {
      const net = initializeNetwork('meanfield', [[N, d], [N, N], [10, N]], createStream(11n, k), { outputInit: 'centered', dtype: 'float64' });
      const [g1, g2, g3] = meanFieldOutputs(net, x, 'relu', pairs);
      for (let j = 0; j < 10; j++) {
        expect(g1![j]!).to.be.closeTo(g2![j]!, 1e-12 * (1 + Math.abs(g1![j]!)));
        s += g3![j]! * g3![j]!;
      }
    }
    const predicted = Math.pow(N, 2 - 2.8) * (1 / 3) * (x2 / 4);
    // Per net, the mean of the 10 g_k² has relative sd ≈ 0.75 (measured 0.76 here): given the hidden layers the g_k are
    // independent and roughly Gaussian (√(2/10) ≈ 0.45), and |H¹|², |H²|² are sums of N = 48 terms relu(z)² with
    // relative sd √(5/4)/(1/2)/√48 ≈ 0.32 each. Over 300 nets: sd ≈ 0.75/√300 ≈ 0.044; the band is 4 sd ≈ 0.18.
    expect(s / (nets * 10) / predicted).to.be.within(1 - 0.18, 1 + 0.18);
  });

  it('predicted slopes: 1 − 2γ2 (sigmoid), 2 − 2γ1 − 2γ2 (ReLU); slope is exact on a power law', () => {
    expect(predictedSlope('sigmoid', [1, 0.5])).to.equal(0);
    expect(predictedSlope('sigmoid', [0.5, 1])).to.equal(-1);
    expect(predictedSlope('relu', [1, 0.5])).to.equal(-1);
    expect(predictedSlope('relu', [0.7, 0.7])).to.be.closeTo(-0.8, 1e-15);
    const N = [16, 64, 256];
    expect(slope(N.map(Math.log), N.map((n) => Math.log(3 * Math.pow(n, -0.6))))).to.be.closeTo(-0.6, 1e-12);
  });

  it('main effects of the 2×2 design and the "trained" gate', () => {
    const acc = (ll: number, hl: number, lh: number, hh: number): TrainSweep => new Map([['relu', new Map([
      [pairKey([0.5, 0.5]), [{ seed: 0, accuracy: ll, loss: 1 }]], [pairKey([1, 0.5]), [{ seed: 0, accuracy: hl, loss: 1 }]],
      [pairKey([0.5, 1]), [{ seed: 0, accuracy: lh, loss: 1 }]], [pairKey([1, 1]), [{ seed: 0, accuracy: hh, loss: 1 }]],
    ])]]);
    const [e] = mainEffects(acc(0.5, 0.6, 0.8, 0.9), 'relu', 0.5, 1);
    expect(e!.outer).to.be.closeTo(0.3, 1e-12);
    expect(e!.inner).to.be.closeTo(0.1, 1e-12);
    expect(e!.value).to.be.closeTo(0.2, 1e-12);
    const [f] = mainEffects(acc(0.5, 0.2, 0.6, 0.3), 'relu', 0.5, 1);
    expect(f!.value).to.be.closeTo(0.1 - 0.3, 1e-12);
    expect(trained(acc(0.5, 0.6, 0.8, 0.9), 'relu', [[0.5, 0.5], [1, 1]])).to.equal(true);
    expect(trained(acc(0.5, 0.6, 0.8, LEARNED - 0.01), 'relu', [[0.5, 0.5], [1, 1]])).to.equal(false);
  });
});
