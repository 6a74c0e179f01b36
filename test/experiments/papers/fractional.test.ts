/**
 * The fractional preset at its quick size: deterministic for the seeds (bit-identical numbers on a rerun, different
 * numbers for other seeds), every claim with a case per activation and s, verdicts that follow from the intervals,
 * and the figures' data complete (a panel per activation, a curve per scheme, a point per layer).
 */
import { expect } from 'chai';
import { FRACTIONAL_QUICK, runFractional, verdictForDirection, type PresetResult } from '../../../src/experiments/papers/index.js';
import { quickFixture } from './quick.js';

const numbers = (r: PresetResult): unknown => ({ ...r, meta: null });

describe('experiments/papers: fractional (quick)', function () {
  this.timeout(60_000);
  const fx = quickFixture(runFractional);
  let a: PresetResult;
  before(() => {
    a = fx.result();
  });

  it('other seeds give other numbers', () => {
    expect(JSON.stringify(numbers(fx.run([3, 4, 5])))).to.not.equal(JSON.stringify(numbers(a)));
  });

  it('states every claim with its provenance, a case per activation and s, and a verdict', () => {
    const acts = ['relu', 'leaky_relu', 'rrelu', 'linear'];
    const s = FRACTIONAL_QUICK.sValues;
    expect(a.claims.map((c) => c.id)).to.deep.equal(['moment', 'near-zero', 'log-normal']);
    for (const c of a.claims) {
      expect(c.provenance).to.match(/\[V:abs\]/);
      expect(c.provenance).to.match(/\[D\]/);
      expect(['held', 'did not hold', 'within noise']).to.include(c.verdict);
    }
    expect(a.claims[0]!.cases.map((k) => k.label)).to.deep.equal(acts.flatMap((x) => s.map((v) => `${x}, s=${v}`)));
    expect(a.claims[1]!.cases).to.have.length(acts.length * s.length);
    // Mean and variance for every fractional s and the s = 2 baseline.
    expect(a.claims[2]!.cases).to.have.length(acts.length * (s.length + 1) * 2);
    for (const c of a.claims) for (const k of c.cases) expect(k.measured.n).to.equal(3);
  });

  it('the near-zero verdicts follow from the paired intervals', () => {
    for (const k of a.claims[1]!.cases) expect(k.verdict).to.equal(verdictForDirection(k.measured, 'greater').verdict);
  });

  it("the preset's verdict combines its claims", () => {
    const vs = a.claims.map((c) => c.verdict);
    const expected = vs.includes('did not hold') ? 'did not hold' : vs.every((v) => v === 'held') ? 'held' : 'within noise';
    expect(a.verdict).to.equal(expected);
  });

  it('the figures hold a panel per activation, a curve per scheme, a point per layer and seed', () => {
    expect(a.figures.map((f) => f.id)).to.deep.equal(['fractional-moment', 'fractional-nearzero']);
    for (const f of a.figures) {
      expect(f.panels.map((p) => p.title)).to.deep.equal(['relu', 'leaky_relu', 'rrelu', 'linear']);
      for (const p of f.panels) {
        expect(p.curves).to.have.length(FRACTIONAL_QUICK.sValues.length + 1);
        for (const c of p.curves) {
          expect(c.x).to.have.length(FRACTIONAL_QUICK.depth);
          expect(c.seeds.map((sd) => sd.y.length)).to.deep.equal([FRACTIONAL_QUICK.depth, FRACTIONAL_QUICK.depth, FRACTIONAL_QUICK.depth]);
          expect(c.mean.every(Number.isFinite)).to.equal(true);
        }
      }
    }
    expect(a.tables[0]!.rows).to.have.length(4 * (FRACTIONAL_QUICK.sValues.length + 1));
  });

  it('a fraction of near-zero outputs lies in [0, 1] and the moment ratio starts near 1 at layer 1', () => {
    for (const p of a.figures[1]!.panels) for (const c of p.curves) for (const y of c.mean) expect(y).to.be.within(0, 1);
    // Layer 1: E‖x_1‖^s/‖x_0‖^s = 1 exactly in expectation. One sample's sd is at most √(κ/n) = √(5/16) ≈ 0.56 (s = 2,
    // ReLU); the 4 inputs of a network share its weights, so count 24 independent networks per seed: the mean over 3
    // seeds has sd ≤ 0.56/√72 ≈ 0.07, and ±0.3 is over 4 sd.
    for (const p of a.figures[0]!.panels) for (const c of p.curves) expect(Math.abs(c.mean[0]! - 1)).to.be.below(0.3);
  });
});
