/**
 * The geometric preset at its quick size (one MNIST batch): deterministic for the seeds, one γ per weight layer for
 * each of the four fan modes, both claims with verdicts computed from the intervals, the table and figure complete.
 */
import { expect } from 'chai';
import { GEOMETRIC_QUICK, runGeometric, verdictForDirection, verdictForValue, type PresetResult } from '../../../src/experiments/papers/index.js';
import { quickFixture } from './quick.js';

describe('experiments/papers: geometric (quick)', function () {
  this.timeout(60_000);
  const fx = quickFixture(runGeometric);
  let a: PresetResult;
  before(() => {
    a = fx.result();
  });

  it('states both claims, with verdicts computed from the intervals', () => {
    expect(a.claims.map((c) => c.id)).to.deep.equal(['balance', 'beats-alternatives']);
    const [bal, beats] = a.claims;
    expect(bal!.cases[0]!.verdict).to.equal(verdictForValue(bal!.cases[0]!.measured, 1, { kind: 'ratio', factor: 2 }).verdict);
    expect(beats!.cases.map((k) => k.label)).to.deep.equal(['fan-in (He) − geometric', 'fan-out − geometric', 'arithmetic mean (Glorot-type) − geometric']);
    for (const k of beats!.cases) expect(k.verdict).to.equal(verdictForDirection(k.measured, 'greater').verdict);
  });

  it('one positive γ per weight layer for every mode and seed', () => {
    const layers = GEOMETRIC_QUICK.widths.length - 1;
    const curves = a.figures[0]!.panels[0]!.curves;
    expect(curves).to.have.length(4);
    for (const c of curves) {
      expect(c.x).to.deep.equal(Array.from({ length: layers }, (_, l) => l + 1));
      for (const s of c.seeds) for (const y of s.y) expect(y).to.be.above(0);
    }
    expect(a.tables[0]!.head).to.have.length(layers + 2);
  });
});
