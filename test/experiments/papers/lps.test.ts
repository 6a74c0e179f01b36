/**
 * The lps preset at its quick size: deterministic for the seeds, a case per width, depth and LPS-R variant, verdicts
 * that follow from the paired intervals, the tables and figure complete; and the plain-loop helpers it trains with
 * (gradient of the hand-written backpropagation against finite differences, the condition number of known matrices).
 */
import { expect } from 'chai';
import { LPS_QUICK, runLps, verdictForDirection, type PresetResult } from '../../../src/experiments/papers/index.js';
import { conditionNumber, mse, trainAdam, type DenseF64 } from '../../../src/experiments/papers/tiny-mlp.js';
import { quickFixture } from './quick.js';


describe('experiments/papers: lps (quick)', function () {
  this.timeout(60_000);
  const fx = quickFixture(runLps);
  let a: PresetResult;
  before(() => {
    a = fx.result();
  });


  it('states both claims with provenance (the reconstruction named), a case per configuration and variant', () => {
    expect(a.claims.map((c) => c.id)).to.deep.equal(['collapse', 'training']);
    for (const c of a.claims) {
      expect(c.provenance).to.match(/\[V:abs\]/);
      expect(c.provenance).to.match(/reconstruction/);
      for (const k of c.cases) expect(k.verdict).to.equal(verdictForDirection(k.measured, 'greater').verdict);
    }
    expect(a.claims[0]!.cases).to.have.length(LPS_QUICK.widths.length * LPS_QUICK.depths.length * 2);
    expect(a.claims[1]!.cases).to.have.length(LPS_QUICK.train.configs.length * 2);
    expect(a.tables[0]!.rows).to.have.length(LPS_QUICK.widths.length * LPS_QUICK.depths.length * 3);
    expect(a.figures[0]!.panels.map((p) => p.title)).to.deep.equal(LPS_QUICK.widths.map((n) => `width ${n}`));
  });

  it('LPS-R+ never collapses at init (every hidden neuron is alive on the batch by construction)', () => {
    const rows = a.tables[0]!.rows.filter((r) => r[1]!.startsWith('LPS-R+'));
    for (const r of rows) expect(r[2]).to.equal('0 [0, 0]');
  });
});

describe('experiments/papers: tiny-mlp', () => {
  it("a step of Adam's gradient matches finite differences of the MSE (sign of the first update)", () => {
    // One Adam step moves each parameter by −lr·sign(g) (m̂/√v̂ = g/|g| at t = 1): compare with the finite-difference sign.
    const net = (): DenseF64[] => [
      { out: 3, inp: 1, W: Float64Array.from([0.5, -0.7, 1.1]), b: Float64Array.from([0.1, 0.2, -0.1]) },
      { out: 1, inp: 3, W: Float64Array.from([0.3, -0.4, 0.9]), b: Float64Array.from([0.05]) },
    ];
    const x = Float64Array.from([-1, -0.3, 0.4, 1.2]);
    const y = x.map(Math.abs);
    const before = net();
    const after = net();
    trainAdam(after, x, y, 1, 1e-3);
    const h = 1e-6;
    before.forEach((L, l) => {
      for (const [name, arr] of [['W', L.W], ['b', L.b]] as const) {
        for (let i = 0; i < arr.length; i++) {
          const p = net(), m = net();
          (name === 'W' ? p[l]!.W : p[l]!.b)[i] += h;
          (name === 'W' ? m[l]!.W : m[l]!.b)[i] -= h;
          const g = (mse(p, x, y) - mse(m, x, y)) / (2 * h);
          const moved = (name === 'W' ? after[l]!.W : after[l]!.b)[i]! - arr[i]!;
          if (Math.abs(g) > 1e-6) expect(Math.sign(moved), `${name}${l}[${i}]`).to.equal(-Math.sign(g));
        }
      }
    });
  });

  it('condition numbers of known matrices', () => {
    expect(conditionNumber(Float64Array.from([1, 0, 0, 1]), 2)).to.be.closeTo(1, 1e-12);
    expect(conditionNumber(Float64Array.from([3, 0, 0, 0.5]), 2)).to.be.closeTo(6, 1e-9);
    // A rotation times diag(2, 1): singular values 2 and 1.
    const c = Math.cos(0.3), s = Math.sin(0.3);
    expect(conditionNumber(Float64Array.from([2 * c, -s, 2 * s, c]), 2)).to.be.closeTo(2, 1e-9);
    expect(conditionNumber(Float64Array.from([1, 2, 2, 4]), 2)).to.equal(Infinity);
  });
});
