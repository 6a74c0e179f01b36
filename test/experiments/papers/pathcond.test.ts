/**
 * The pathcond preset at its quick size: deterministic for the seeds; every claim, table and figure present and
 * well-formed with verdicts recomputed from the intervals; and checks on the real numbers — the rescaled nets compute
 * He's function at init to float32 rounding, PathCond's mean z agrees with the reduced model (recomputed here from
 * the He closed form), z does not move with the weight scale without biases, and the loss curves are the runs'.
 */
import { expect } from 'chai';
import { PATHCOND_QUICK, runPathcond, verdictForDirection, verdictForValue, type PresetResult } from '../../../src/experiments/papers/index.js';
import { heVariances, reducedModelZ } from '../../../src/experiments/papers/pathcond-lambda.js';
import { quickFixture } from './quick.js';

/** He closed form of the reduced model: n_{k−1}σ_k² = 2, so γ_l ∝ 1/n_l and z_l = −Σ_{k≤l}(ln n_k − mean_{m=1..L} ln n_m). */
function heClosedForm(widths: readonly number[]): number[] {
  const logs = widths.slice(1).map(Math.log);
  const m = logs.reduce((a, b) => a + b, 0) / logs.length;
  const z: number[] = [];
  let acc = 0;
  for (let l = 0; l < logs.length - 1; l++) z.push((acc -= logs[l]! - m));
  return z;
}

describe('experiments/papers: pathcond (quick)', function () {
  this.timeout(120_000);
  const fx = quickFixture(runPathcond);
  let a: PresetResult;
  before(() => {
    a = fx.result();
  });
  const claim = (id: string) => a.claims.find((c) => c.id === id)!;
  const figure = (id: string) => a.figures.find((f) => f.id === id)!;

  it('states every claim, each case with a verdict recomputed from its interval and band', () => {
    expect(a.claims.map((c) => c.id)).to.deep.equal(['same-function', 'faster-training', 'reduced-model', 'scale-free-without-bias', 'small-scale-with-bias', 'constant-width']);
    for (const k of claim('same-function').cases) expect(k.verdict).to.equal(verdictForValue(k.measured, 0, { kind: 'absolute', tol: 1e-4 }).verdict);
    expect(claim('faster-training').cases.map((k) => k.label)).to.deep.equal(['He − PathCond after He', 'He − ENorm after He']);
    for (const k of claim('faster-training').cases) expect(k.verdict).to.equal(verdictForDirection(k.measured, 'greater').verdict);
    for (const k of claim('scale-free-without-bias').cases) expect(k.verdict).to.equal(verdictForValue(k.measured, 0, { kind: 'absolute', tol: 0.01 }).verdict);
    for (const k of claim('small-scale-with-bias').cases) expect(k.verdict).to.equal(verdictForDirection(k.measured, 'greater').verdict);
    // reduced model: one case per hidden layer of each non-constant architecture (training net and the 20-…-10 net)
    const train = PATHCOND_QUICK.train.widths, other = PATHCOND_QUICK.lambda.nets[0]!.widths;
    expect(claim('reduced-model').cases).to.have.length(train.length - 2 + other.length - 2);
    for (const c of a.claims) {
      expect(c.cases.length).to.be.above(0);
      expect(c.provenance).to.match(/\[(V-code|D)/);
      for (const k of c.cases) expect(k.measured.n).to.equal(3);
    }
  });

  it('the rescaled nets compute He\'s function at init to float32 rounding (same draw per seed)', () => {
    // float32 storage rounds each weight to a relative 6e-8; through 5 layers the outputs agree to ~1e-6 relative
    for (const k of claim('same-function').cases) {
      expect(k.measured.hi).to.be.below(1e-5);
      expect(k.measured.lo).to.be.at.least(0);
    }
    // one windowed loss curve per init and seed, over the whole budget
    const curves = figure('pathcond-loss').panels[0]!.curves;
    expect(curves.map((c) => c.name)).to.deep.equal(['He (kaiming_normal, zero biases)', 'PathCond after He', 'ENorm after He']);
    for (const c of curves) {
      expect(c.x).to.have.length(PATHCOND_QUICK.train.steps / PATHCOND_QUICK.train.logEvery);
      expect(c.seeds.map((s) => s.seed)).to.deep.equal([0, 1, 2]);
      for (const s of c.seeds) for (const y of s.y) expect(y).to.be.within(0, 10);
    }
  });

  it('the reduced-model prediction is the He closed form, and each seed\'s mean z per layer lies within 0.2 of it on the 20-64-64-64-10 net', () => {
    for (const w of [PATHCOND_QUICK.train.widths, PATHCOND_QUICK.lambda.nets[0]!.widths]) {
      reducedModelZ(w, heVariances(w)).forEach((z, l) => expect(z).to.be.closeTo(heClosedForm(w)[l]!, 1e-12));
    }
    const w = PATHCOND_QUICK.lambda.nets[0]!.widths;
    const pred = heClosedForm(w);
    const panel = figure('pathcond-lambda-arch').panels.find((p) => p.title === w.join('-'))!;
    const converged = panel.curves.find((c) => c.name === 'PathCond converged, no biases')!;
    for (const s of converged.seeds) s.y.forEach((lam, l) => expect(2 * Math.log(lam)).to.be.closeTo(pred[l]!, 0.2));
    const model = panel.curves.find((c) => c.name === 'reduced model')!;
    model.mean.forEach((lam, l) => expect(2 * Math.log(lam)).to.be.closeTo(pred[l]!, 1e-12));
  });

  it('without biases mean |z| is the same at every weight scale, and with zero biases it grows at the small scale', () => {
    const scales = PATHCOND_QUICK.lambda.scales;
    for (const panel of figure('pathcond-lambda-scale').panels) {
      const [none, zeros] = panel.curves;
      expect([none!.name, zeros!.name]).to.deep.equal(['no biases', 'zero biases']);
      expect(none!.x).to.deep.equal(scales);
      for (const s of none!.seeds) for (const y of s.y) expect(y).to.be.closeTo(s.y[0]!, 1e-9);
      for (const s of zeros!.seeds) expect(s.y[0]!).to.be.above(s.y[scales.indexOf(1)]!);
    }
  });

  it('tables: training summary per init, z per layer and network, the scale sweep', () => {
    expect(a.tables).to.have.length(3);
    expect(a.tables[0]!.rows.map((r) => r[0])).to.deep.equal(['He (kaiming_normal, zero biases)', 'PathCond after He', 'ENorm after He']);
    for (const t of a.tables) for (const r of t.rows) expect(r).to.have.length(t.head.length);
    // 2 rows per architecture, 2 more for the trained one (applied PathCond and ENorm)
    expect(a.tables[1]!.rows).to.have.length(2 * 3 + 2);
    expect(a.tables[2]!.rows).to.have.length(2 * 2 * PATHCOND_QUICK.lambda.scales.length);
    expect(a.setup.map(([k]) => k)).to.include.members(['network', 'inits', 'training', 'λ analysis', 'not the paper\'s']);
  });
});
