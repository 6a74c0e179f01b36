/**
 * The geometric preset at its quick size (one MNIST batch, a short training budget): deterministic for the seeds, one
 * γ per weight layer for each of the four fan modes, the four claims with verdicts computed from the intervals, the
 * tables and figures complete, and the learning rates the training used checked against the scaling report.
 */
import { expect } from 'chai';
import { Linear, mlp } from '../../../src/nn/index.js';
import { lrMultipliers, mlpOps, scalingReport, secondMoment } from '../../../src/init/index.js';
import { keyedSeed } from '../../../src/experiments/seeds.js';
import { tInterval } from '../../../src/experiments/stats.js';
import { GEOMETRIC_QUICK, runGeometric, verdictForDirection, verdictForValue, type PresetResult } from '../../../src/experiments/papers/index.js';
import { geometricLrGroups } from '../../../src/experiments/papers/geometric-train.js';
import { ci } from '../../../src/experiments/papers/summary.js';
import { quickFixture } from './quick.js';

const MODES = ['fan_in', 'fan_out', 'fan_avg', 'fan_geo_avg'];
const LABELS = ['fan-in (He)', 'fan-out', 'arithmetic mean (Glorot-type)', 'geometric mean (Defazio & Bottou)'];
const SEEDS = [0, 1, 2];
const W = GEOMETRIC_QUICK.widths;
const T = GEOMETRIC_QUICK.train;

/** The network the preset builds for `mode` and `seed` (its keyed stream). */
const build = (mode: string, seed: number) => mlp({ widths: W, activation: 'relu', init: 'variance_scaling', initOptions: { scale: 2, mode, distribution: 'normal' }, seed: keyedSeed(`geometric/${mode}`, seed) });

/** λ_l computed here from the scaling report of the network's measured weight second moments (spec §6.6). */
function reportMultipliers(mode: string, seed: number): number[] {
  const linears = build(mode, seed).children().filter((m): m is Linear => m instanceof Linear);
  const vars = linears.map((l) => secondMoment(l.weight.dense()) * l.scale ** 2);
  return lrMultipliers(scalingReport(mlpOps(W, vars), { inputShape: [W[0]!], scheme: 'given' }));
}

describe('experiments/papers: geometric (quick)', function () {
  this.timeout(60_000);
  const fx = quickFixture(runGeometric, SEEDS);
  let a: PresetResult;
  before(() => {
    a = fx.result();
  });

  it('states the four claims, with verdicts computed from the intervals', () => {
    expect(a.claims.map((c) => c.id)).to.deep.equal(['balance', 'beats-alternatives', 'training-geometric-best', 'lr-multipliers']);
    const [bal, beats, best, mult] = a.claims;
    expect(bal!.cases[0]!.verdict).to.equal(verdictForValue(bal!.cases[0]!.measured, 1, { kind: 'ratio', factor: 2 }).verdict);
    expect(beats!.cases.map((k) => k.label)).to.deep.equal(LABELS.slice(0, 3).map((l) => `${l} − geometric`));
    expect(best!.cases.map((k) => k.label)).to.deep.equal(LABELS.slice(0, 3).map((l) => `${l} − geometric`));
    expect(mult!.cases.map((k) => k.label)).to.deep.equal(LABELS.slice(0, 3).map((l) => `${l}: global − multipliers`));
    for (const c of [beats!, best!, mult!]) for (const k of c.cases) expect(k.verdict).to.equal(verdictForDirection(k.measured, 'greater').verdict);
    for (const c of a.claims) expect(c.provenance).to.match(/\[(V|D|I|R|\?)\]/);
  });

  it('the balance interval is the t-interval of log10(max γ / min γ) over seeds, mapped back (never below 0)', () => {
    const geo = a.figures[0]!.panels[0]!.curves.find((c) => c.name === LABELS[3])!;
    const iv = tInterval(geo.seeds.map((s) => Math.log10(Math.max(...s.y) / Math.min(...s.y))), 0.95);
    const m = a.claims[0]!.cases[0]!.measured;
    // ratioInterval works in ln, this check in log10: the same interval up to rounding.
    [[m.mean, 10 ** iv.mean], [m.lo, 10 ** iv.lo], [m.hi, 10 ** iv.hi]].forEach(([got, want]) => expect(Math.abs(got! - want!)).to.be.at.most(1e-12 * want!));
    expect(m.lo).to.be.above(0);
    expect(m.lo).to.be.at.most(m.mean);
    expect(m.hi).to.be.at.least(m.mean);
  });

  it('one positive γ per weight layer for every mode and seed', () => {
    const layers = W.length - 1;
    const curves = a.figures[0]!.panels[0]!.curves;
    expect(curves).to.have.length(4);
    for (const c of curves) {
      expect(c.x).to.deep.equal(Array.from({ length: layers }, (_, l) => l + 1));
      for (const s of c.seeds) for (const y of s.y) expect(y).to.be.above(0);
    }
    expect(a.tables[0]!.head).to.have.length(layers + 2);
  });

  it('training: a loss table of all 8 conditions and a curve figure with one panel per rate condition', () => {
    const table = a.tables[1]!;
    expect(table.rows.map((r) => [r[0], r[1]])).to.deep.equal(LABELS.flatMap((l) => [[l, 'one global rate'], [l, 'LR multipliers λ_l']]));
    for (const r of table.rows) {
      expect(r[2]).to.match(/^[\d.e+-]+ \[[\d.e+-]+, [\d.e+-]+\]$/);
      expect(r[3]).to.match(/^\d of 3$/);
    }
    const fig = a.figures.find((f) => f.id === 'geometric-training')!;
    expect(fig.panels.map((p) => p.title)).to.deep.equal(['one global rate', 'LR multipliers λ_l']);
    const windows = Math.ceil(T.steps / T.logEvery);
    for (const p of fig.panels) {
      expect(p.curves.map((c) => c.name)).to.deep.equal(LABELS);
      for (const c of p.curves) {
        expect(c.x).to.have.length(windows);
        expect(c.seeds.map((s) => s.seed)).to.deep.equal(SEEDS);
        for (const s of c.seeds) for (const y of s.y) expect(y).to.be.above(0);
      }
    }
    expect(a.setup.map((s) => s[0])).to.not.include('not measured yet');
  });

  it('the multipliers applied are lrMultipliers of the scaling report with the measured weight second moments', () => {
    const table = a.tables[2]!;
    MODES.forEach((mode, i) => {
      const per = SEEDS.map((s) => reportMultipliers(mode, s));
      expect(table.rows[i]).to.deep.equal([LABELS[i], ...Array.from({ length: W.length - 1 }, (_, l) => ci(tInterval(per.map((p) => p[l]!), 0.95)))]);
    });
    // Geometric init is balanced, so its λ_l are 1 up to the sampling error of the measured second moments: the
    // smallest layer (256→10) has 2560 weights, relative sd of its second moment √(2/2560) ≈ 2.8%; 0.15 is > 5 sd.
    for (const s of SEEDS) for (const v of reportMultipliers('fan_geo_avg', s)) expect(v).to.be.closeTo(1, 0.15);
    // Fan-in is not: its bottleneck layer (256→16) gets a multiplier far from 1.
    expect(Math.max(...reportMultipliers('fan_in', 0))).to.be.above(3);
  });

  it('the optimizer groups: one rate for every layer without multipliers, lr·λ_l with them', () => {
    const model = build('fan_in', 0);
    const plain = geometricLrGroups(model, W, T.lr, false);
    expect(plain).to.have.length(W.length - 1);
    for (const g of plain) expect(g.lr).to.equal(T.lr);
    const lam = reportMultipliers('fan_in', 0);
    const scaled = geometricLrGroups(model, W, T.lr, true);
    expect(scaled.map((g) => g.lr)).to.deep.equal(lam.map((m) => T.lr * m));
    // Both conditions hand the optimizer every parameter (weight and bias of each layer) exactly once.
    for (const gs of [plain, scaled]) expect(gs.flatMap((g) => g.params).length).to.equal(model.parameters().length);
  });
});
