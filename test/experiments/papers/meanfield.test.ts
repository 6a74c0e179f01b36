/**
 * The meanfield preset at its quick size (a small MNIST subset): deterministic for the seeds, a case per γ for the
 * variance slope and per step of the γ grid for accuracy, verdicts that follow from the intervals, the variance at
 * init falling with γ at every width (N^(1−2γ): at N ≥ 16 the gap between γ = ½ and γ = 1 is a factor N ≥ 16, far
 * beyond the seed-to-seed spread), and the tables and figures complete.
 */
import { expect } from 'chai';
import { MEANFIELD_QUICK, runMeanfield, verdictForDirection, verdictForValue, type PresetResult } from '../../../src/experiments/papers/index.js';
import { quickFixture } from './quick.js';


describe('experiments/papers: meanfield (quick)', function () {
  this.timeout(60_000);
  const fx = quickFixture(runMeanfield);
  let a: PresetResult;
  before(() => {
    a = fx.result();
  });


  it('states both claims with provenance and cases, verdicts computed from the intervals', () => {
    expect(a.claims.map((c) => c.id)).to.deep.equal(['variance-vs-width', 'accuracy-vs-gamma']);
    const [v, acc] = a.claims;
    expect(v!.cases.map((k) => k.label)).to.deep.equal(MEANFIELD_QUICK.gammas.map((g) => `γ = ${g}`));
    v!.cases.forEach((k, i) => {
      const g = MEANFIELD_QUICK.gammas[i]!;
      expect(k.verdict).to.equal(verdictForValue(k.measured, 1 - 2 * g, { kind: 'absolute', tol: 0.1 }).verdict);
    });
    expect(acc!.cases).to.have.length(MEANFIELD_QUICK.gammas.length - 1);
    for (const k of acc!.cases) expect(k.verdict).to.equal(verdictForDirection(k.measured, 'greater').verdict);
    for (const c of a.claims) expect(c.provenance).to.match(/\[V-abs\]/);
  });

  it('the output variance at init falls as γ rises, at every width', () => {
    const curves = a.figures[0]!.panels[0]!.curves;
    expect(curves.map((c) => c.name)).to.deep.equal(MEANFIELD_QUICK.gammas.map((g) => `γ = ${g}`));
    for (let i = 0; i < MEANFIELD_QUICK.widths.length; i++) {
      expect(curves[0]!.mean[i]!).to.be.above(curves[2]!.mean[i]!);
    }
  });

  it('accuracies are fractions and the figures and tables are complete', () => {
    const accCurve = a.figures[1]!.panels[0]!.curves[0]!;
    expect(accCurve.x).to.deep.equal(MEANFIELD_QUICK.gammas);
    for (const s of accCurve.seeds) for (const y of s.y) expect(y).to.be.within(0, 1);
    expect(a.tables[0]!.rows).to.have.length(MEANFIELD_QUICK.gammas.length);
    expect(a.tables[1]!.rows).to.have.length(MEANFIELD_QUICK.gammas.length);
  });
});
