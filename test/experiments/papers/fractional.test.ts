/**
 * The fractional preset at its quick size: deterministic for the seeds (bit-identical numbers on a rerun, different
 * numbers for other seeds), every claim with a case per activation and s, verdicts that follow from the intervals,
 * and the figures' data complete (a panel per activation, a curve per scheme, a point per layer). The MNIST training
 * part: its claim, table and loss-curve figure well-formed, the fractional weights the He weights scaled by the
 * authors' σ, and both schemes trained on the same batches.
 */
import { expect } from 'chai';
import { FRACTIONAL_QUICK, runFractional, verdictForDirection, type PresetResult } from '../../../src/experiments/papers/index.js';
import {
  AUTHORS_MNIST, fractionalSigma, trainFractionalRun, trainGrid, trainingLayers, TRAIN_SCHEMES,
} from '../../../src/experiments/papers/fractional-train.js';
import { sigmaS } from '../../../src/init/index.js';
import { loadMnist } from '../../../src/nn/index.js';
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
    expect(a.claims.map((c) => c.id)).to.deep.equal(['moment', 'near-zero', 'log-normal', 'mnist-training']);
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
    expect(a.figures.map((f) => f.id)).to.deep.equal(['fractional-moment', 'fractional-nearzero', 'fractional-train-loss']);
    for (const f of a.figures.slice(0, 2)) {
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

  const size = FRACTIONAL_QUICK.train;

  it('states the training claim: two paired cases whose verdicts follow from their intervals over 3 seeds', () => {
    const claim = a.claims.find((c) => c.id === 'mnist-training')!;
    expect(claim.provenance).to.match(/\[V:abs\]/);
    expect(claim.provenance).to.match(/\[V:code\]/);
    expect(claim.cases.map((k) => k.label)).to.deep.equal(['test accuracy: fractional − He', `final training loss (last ${size.logEvery} steps): He − fractional`]);
    for (const k of claim.cases) {
      expect(k.measured.n).to.equal(3);
      expect(Number.isFinite(k.measured.lo) && Number.isFinite(k.measured.hi)).to.equal(true);
      expect(k.verdict).to.equal(verdictForDirection(k.measured, 'greater').verdict);
    }
  });

  it('the table has a row per scheme, with intervals, and the loss-curve figure a curve per scheme on the window grid', () => {
    const t = a.tables[1]!;
    expect(t.rows.map((r) => r[0])).to.deep.equal(TRAIN_SCHEMES.map((sc) => sc.label));
    for (const r of t.rows) {
      expect(r).to.have.length(t.head.length);
      for (const cell of r.slice(2, 6)) expect(cell).to.match(/^[-\d.e]+ \[[-\d.e]+, [-\d.e]+\]$/);
      expect(r[6]).to.equal('0'); // no run stopped
    }
    const f = a.figures[2]!;
    expect(f.panels).to.have.length(1);
    const grid = trainGrid(size);
    expect(grid[grid.length - 1]).to.equal(size.steps - 1); // 0-based index of the budget's last step
    expect(f.panels[0]!.curves.map((c) => c.name)).to.deep.equal(TRAIN_SCHEMES.map((sc) => sc.label));
    for (const c of f.panels[0]!.curves) {
      expect(c.x).to.deep.equal(grid);
      expect(c.seeds.map((sd) => sd.y.length)).to.deep.equal([grid.length, grid.length, grid.length]);
      // Cross-entropy over 10 classes starts near ln 10 ≈ 2.3 and stays finite and positive.
      for (const y of c.mean) expect(y).to.be.within(0, 10);
    }
  });

  it("the fractional weights are He's standard normals scaled by the authors' σ, and the biases are shared", () => {
    const [fr, he] = TRAIN_SCHEMES.map((sc) => trainingLayers(sc, 7));
    expect(fr).to.have.length(AUTHORS_MNIST.widths.length - 1);
    fr!.forEach((layer, l) => {
      const fanIn = AUTHORS_MNIST.widths[l]!;
      // σ² = 2/n + 5(2 − s)/(2n²): the authors' yuanhan_normal_ for ReLU, n = fan_in.
      expect(fractionalSigma(fanIn) ** 2).to.be.closeTo(2 / fanIn + (5 * (2 - 0.8)) / (2 * fanIn ** 2), 1e-15);
      const ratio = sigmaS('relu', fanIn, 0.8, { compat: 'authors-code' }) / Math.sqrt(2 / fanIn);
      const hw = he![l]!.W;
      // float64 draws: w = σ·z for the same z, so w_fr / w_he = σ_fr / σ_he up to rounding (relative 1e-12).
      for (let i = 0; i < layer.W.length; i += 97) expect(layer.W[i]! / hw[i]!).to.be.closeTo(ratio, 1e-12 * ratio);
      expect([...layer.b!]).to.deep.equal([...he![l]!.b!]);
      const bound = 1 / Math.sqrt(fanIn);
      for (const v of layer.b!) expect(Math.abs(v)).to.be.at.most(bound);
    });
  });

  it('both schemes train on the same batches within a seed, other seeds on other batches', () => {
    const train = loadMnist({ split: 'train', normalize: 'half', limit: size.trainSize });
    const test = loadMnist({ split: 'test', normalize: 'half', limit: 50 });
    const tiny = { steps: 4, logEvery: 2, trainSize: size.trainSize, testSize: 50 };
    const [fr, he] = TRAIN_SCHEMES.map((sc) => trainFractionalRun(sc, 3, tiny, train, test));
    const other = trainFractionalRun(TRAIN_SCHEMES[0]!, 4, tiny, train, test);
    expect(fr!.batchDigest).to.equal(he!.batchDigest);
    expect(other.batchDigest).to.not.equal(fr!.batchDigest);
    // Different initial weights, so different losses on the same batches.
    expect(fr!.loss).to.not.deep.equal(he!.loss);
  });

  it('Normalize(0.5, 0.5) maps the pixels onto [−1, 1]: −1 for a black pixel, 1 for a white one', () => {
    const d = loadMnist({ split: 'test', normalize: 'half', limit: 20 });
    let lo = Infinity, hi = -Infinity;
    for (const v of d.x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    expect(lo).to.equal(-1);
    expect(hi).to.equal(1);
    expect(d.shape).to.deep.equal([20, 784]);
  });
});
