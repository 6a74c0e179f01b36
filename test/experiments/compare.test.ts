import { expect } from 'chai';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import {
  accuracyFinding, budgetCurve, budgetGrid, compareFindings, DEFAULT_COMPARE, DEFAULT_PROPAGATE, loadCompareMnist, lrGroups, rankByAccuracy, runCompare, runPropagate, schemeSpec, windowedLoss,
  type CompareConfig, type CompareProgress, type CompareResult, type PropagateConfig, type SchemeResult, type SchemeSpec,
} from '../../src/experiments/compare/index.js';
import { lrMultipliers, meanFieldLearningRates, mlpOps, scalingReport } from '../../src/init/index.js';
import { gaussianBlobs, Linear, mlp } from '../../src/nn/index.js';

// Three well-separated blobs in 6-D: a 6 → 8 → 8 → 3 ReLU net learns them in a few steps.
const blobs = gaussianBlobs(360, { seed: 11, centers: 3, dim: 6, box: 4 });
const head = (n: number, from: number) => ({
  x: blobs.x.slice(from * 6, (from + n) * 6), shape: [n, 6], y: { kind: 'labels' as const, values: blobs.y.values.slice(from, from + n), classes: 3 },
});
const data = { train: head(260, 0), test: head(100, 260) };

const he = schemeSpec('kaiming_normal');
const lecun = schemeSpec('lecun_normal');
const frac = schemeSpec('fractional', { s: 1, act: 'relu' });
const geo = schemeSpec('geometric');
const mf = schemeSpec('meanfield', { gammas: 0.5, outputInit: 'centered' });

const tiny: CompareConfig = {
  ...DEFAULT_COMPARE,
  data: 'gaussianBlobs(360, seed 11)',
  widths: [6, 8, 8, 3],
  schemes: [he, lecun, frac, geo, mf],
  seeds: [1, 2, 3],
  signalBatches: 2,
  signalBatchSize: 16,
  steps: 12,
  batchSize: 16,
  logEvery: 5,
  testSize: 100,
  trainSize: 200,
  anchorBatchSize: 20,
};

/** A result without its timings (the only numbers allowed to differ between two runs). */
function numbers(r: CompareResult): unknown {
  return {
    schemes: r.schemes.map((s) => ({ ...s, runs: s.runs.map((run) => ('train' in run ? { ...run, train: { ...run.train, millis: 0 } } : run)) })),
    ranking: r.ranking,
    findings: r.findings,
  };
}
const rowOf = (r: CompareResult, id: string): unknown => (numbers({ ...r, schemes: r.schemes.filter((s) => s.scheme.id === id) }) as { schemes: unknown[] }).schemes[0];

describe('experiments/compare: runCompare', function () {
  this.timeout(60_000);
  let first: CompareResult;
  const events: CompareProgress[] = [];
  before(() => {
    first = runCompare(tiny, data, { onProgress: (e) => events.push(e), command: 'test' });
  });

  it('is bit-identical when rerun, and a different seed set changes it', () => {
    expect(JSON.stringify(numbers(runCompare(tiny, data)))).to.equal(JSON.stringify(numbers(first)));
    const other = runCompare({ ...tiny, schemes: [he], seeds: [4, 5] }, data);
    expect(JSON.stringify(rowOf(other, he.id))).to.not.equal(JSON.stringify(rowOf(first, he.id)));
  });

  it('records every scheme at every seed: signal at init, loss curve, accuracy; meta and progress', () => {
    expect(first.schemes.map((s) => s.scheme.id)).to.deep.equal(tiny.schemes.map((s) => s.id));
    for (const s of first.schemes) {
      expect(s.runs.map((r) => r.seed)).to.deep.equal([1, 2, 3]);
      for (const run of s.runs) {
        if (!('train' in run)) throw new Error(`${s.scheme.id} failed: ${run.error}`);
        expect(run.signal.secondMoment.length).to.equal(2);
        expect(run.signal.gamma.length).to.equal(3);
        expect(run.train.steps).to.deep.equal([4, 9, 11]); // windows of 5 steps, the last one partial
        expect(run.train.testAccuracy).to.be.within(0, 1);
      }
      expect(s.testAccuracy.n).to.equal(3);
    }
    // He learns the blobs in 12 steps, far above chance (1/3); the ranking is by mean test accuracy
    const acc = (id: string): number => first.schemes.find((s) => s.scheme.id === id)!.testAccuracy.mean;
    expect(acc(he.id)).to.be.above(0.75);
    expect(first.ranking.map(acc)).to.deep.equal([...first.ranking.map(acc)].sort((a, b) => b - a));
    expect(first.meta.command).to.equal('test');
    expect(events.at(-1)).to.deep.equal({ done: 30, total: 30, label: 'done' });
    expect(events.every((e, i) => i === 0 || e.done >= events[i - 1]!.done)).to.equal(true);
  });

  it('keys streams by scheme id and seed: a scheme listed twice gives identical rows, reordering changes nothing', () => {
    const twice = runCompare({ ...tiny, schemes: [lecun, he, lecun] }, data);
    expect(JSON.stringify(rowOf({ ...twice, schemes: [twice.schemes[0]!] }, lecun.id))).to.equal(JSON.stringify(rowOf({ ...twice, schemes: [twice.schemes[2]!] }, lecun.id)));
    for (const s of [lecun, he]) expect(JSON.stringify(rowOf(twice, s.id))).to.equal(JSON.stringify(rowOf(first, s.id)));
    const same = twice.findings.find((f) => f.metric === 'testAccuracy' && f.a === lecun.id && f.b === lecun.id);
    expect(same?.kind).to.equal('noise');
    expect(same?.difference).to.deep.include({ mean: 0, lo: 0, hi: 0 });
  });

  it('records a scheme that throws with its error and goes on', () => {
    const bad = schemeSpec('fractional', { s: 7 });
    const r = runCompare({ ...tiny, schemes: [bad, he], seeds: [1, 2] }, data);
    const row = r.schemes[0]!;
    expect(row.runs.every((run) => 'error' in run && /options.s/.test(run.error))).to.equal(true);
    expect(row.testAccuracy.n).to.equal(0);
    expect(row.preserved.holds).to.equal(false);
    const verdict = r.findings.find((f) => f.metric === 'preserved' && f.a === bad.id);
    expect(verdict?.kind).to.equal('noise');
    expect(verdict?.text).to.match(/no interval \(fewer than two seeds completed/);
    expect(r.ranking).to.deep.equal([he.id, bad.id]);
    expect(r.schemes[1]!.runs.every((run) => 'train' in run)).to.equal(true);
  });

  it('judges each scheme by its own yardstick against the theory', () => {
    const p = (id: string) => first.schemes.find((s) => s.scheme.id === id)!.preserved;
    expect(p(he.id).quantity).to.match(/E\[h²\] at the last over the first hidden layer/);
    expect(p(frac.id).quantity).to.match(/E‖x‖\^s .* \(s = 1\)/);
    expect(p(mf.id).quantity).to.match(/output variance over N_L/);
    expect(p(geo.id).quantity).to.match(/max γ_l \/ min γ_l/);
    for (const s of first.schemes) {
      const { lo, hi } = s.preserved.measured;
      expect(s.preserved.predicted).to.equal(1);
      expect(s.preserved.holds).to.equal(lo <= 1 && 1 <= hi);
      expect(s.preserved.confirmed).to.equal(lo <= 1 && 1 <= hi && lo >= 0.5 && hi <= 2);
    }
    const findings = first.findings.filter((f) => f.metric === 'preserved');
    expect(findings.map((f) => f.a)).to.deep.equal(tiny.schemes.map((s) => s.id));
    const kinds = first.schemes.map((s) => (s.preserved.confirmed ? 'preserves' : s.preserved.holds ? 'noise' : 'fails-to-preserve'));
    expect(findings.map((f) => f.kind)).to.deep.equal(kinds);
    expect(new Set(kinds).size).to.be.above(1); // the tiny run exercises more than one verdict
    findings.filter((f) => f.kind === 'noise').forEach((f) => expect(f.text).to.match(/within noise .* reaches beyond a factor 2/));
  });

  it('lets an exception of onProgress end the run unchanged (not recorded as a scheme error)', () => {
    const boom = new Error('stop');
    let calls = 0;
    const stopAt = (k: number) => () => {
      if (++calls === k) throw boom;
    };
    expect(() => runCompare({ ...tiny, schemes: [he], seeds: [1, 2] }, data, { onProgress: stopAt(2) })).to.throw(boom);
    calls = 0;
    expect(() => runPropagate({ ...DEFAULT_PROPAGATE, inputDim: 6, classes: 3, widths: [4], depths: [2], schemes: [he], batchSize: 8, anchorBatchSize: 8 }, data.train, { onProgress: stopAt(1) })).to.throw(boom);
  });

  it('gives mean-field its per-layer rates and the scaling calculus its multipliers, times config.lr', () => {
    const model = mlp({ widths: tiny.widths, init: 'meanfield', initOptions: mf.options, seed: 1 });
    // two hidden layers: the verified rates of the authors' code
    expect(lrGroups(mf, model, tiny)!.map((g) => g.lr)).to.deep.equal(meanFieldLearningRates(tiny.widths, 0.5).map((r) => r * tiny.lr));
    expect(lrGroups(he, model, tiny)).to.equal(null);
    const sc: SchemeSpec = { ...he, lrRule: 'scaling-calculus' };
    const heNet = mlp({ widths: tiny.widths, init: 'kaiming_normal', seed: 1 });
    const vars = heNet.children().filter((m): m is Linear => m instanceof Linear).map((l) => Array.from(l.weight.dense()).reduce((a, w) => a + w * w, 0) / l.weight.size);
    const expected = lrMultipliers(scalingReport(mlpOps(tiny.widths, vars), { inputShape: [6], scheme: 'given' })).map((m) => m * tiny.lr);
    lrGroups(sc, heNet, tiny)!.forEach((g, l) => expect(Math.abs(g.lr - expected[l]!)).to.be.at.most(1e-12 * expected[l]!));
    const r = runCompare({ ...tiny, schemes: [sc], seeds: [1, 2] }, data);
    expect(r.schemes[0]!.runs.every((run) => 'train' in run)).to.equal(true);
  });

  it('gives μP its MuSGD per-tensor rates relative to its baseWidth (widths 6-8-8-3, base 4: m = 2)', () => {
    const mup = schemeSpec('mup', { baseWidth: 4 });
    expect(mup.lrRule).to.equal('mup');
    const net = mlp({ widths: tiny.widths, init: 'mup', initOptions: mup.options, seed: 1 });
    // MuSGD: input W lr·m_1, hidden W lr·m_2/m_1, readout W lr·m_L; hidden biases lr·m_l, the readout bias lr
    const l = tiny.lr;
    expect(lrGroups(mup, net, tiny)!.map((g) => [g.name, g.lr])).to.deep.equal([
      ['0.weight', 2 * l], ['0.bias', 2 * l], ['2.weight', l], ['2.bias', 2 * l], ['4.weight', 2 * l], ['4.bias', l],
    ]);
    const r = runCompare({ ...tiny, schemes: [mup], seeds: [1, 2] }, data);
    expect(r.schemes[0]!.runs.every((run) => 'train' in run)).to.equal(true);
  });

  it('validates the config and the data before any work, naming the field', () => {
    expect(() => runCompare({ ...tiny, steps: 0 }, data)).to.throw(DomainError, /config.steps must be a positive integer/);
    expect(() => runCompare({ ...tiny, seeds: [1, 1] }, data)).to.throw(DomainError, /config.seeds holds seed 1 twice/);
    expect(() => runCompare({ ...tiny, confidence: 95 }, data)).to.throw(DomainError, /config.confidence must be a number in \(0, 1\)/);
    expect(() => runCompare({ ...tiny, schemes: [{ ...he, name: 'nope' }] }, data)).to.throw(/nope/);
    expect(() => runCompare({ ...tiny, widths: [5, 8, 3] }, data)).to.throw(ShapeError, /data.train must have 5 features/);
    expect(() => runCompare({ ...tiny, trainSize: 40 }, data)).to.throw(DomainError, /config.trainSize must be at least .* = 52/);
    expect(() => runCompare(tiny, data, { onProgres: () => 0 } as never)).to.throw(DomainError, /unknown option options.onProgres/);
  });
});

/** A SchemeResult whose runs have the given test accuracies at seeds 1, 2, … (signal and loss not used). */
function withAccuracies(spec: SchemeSpec, accs: number[]): SchemeResult {
  const iv = { mean: 0, lo: 0, hi: 0, sd: 0, n: 0 };
  const signal = { secondMoment: [1], sMomentRatio: [1], deadFraction: [0], gamma: [1, 1], outputVariance: 1 };
  return {
    scheme: spec,
    runs: accs.map((a, i) => ({ seed: i + 1, signal, train: { steps: [0], loss: [1], testAccuracy: a, testLoss: 1, stopped: null, millis: 0 } })),
    testAccuracy: { ...iv, mean: accs.reduce((s, a) => s + a, 0) / accs.length, n: accs.length },
    finalLoss: iv,
    preserved: { quantity: 'q', measured: iv, predicted: 1, holds: false },
  };
}

describe('experiments/compare: loss curves of a fixed budget', () => {
  const rec = (losses: number[]) => losses.map((loss, step) => ({ step, epoch: 0, loss, lr: [0.1] }));
  it('windowedLoss averages windows of `every` steps; budgetCurve puts them on the full grid, NaN past an early stop', () => {
    expect(windowedLoss(rec([4, 2, 3, 1, 5]), 2)).to.deep.equal({ steps: [1, 3, 4], loss: [3, 2, 5] });
    // A budget of 7 steps in windows of 2: 4 windows ending at steps 1, 3, 5, 6 (0-based).
    expect(budgetGrid(7, 2)).to.deep.equal([1, 3, 5, 6]);
    expect(budgetCurve(rec([4, 2, 3, 1, 5, 7, 9]), 7, 2, false)).to.deep.equal({ steps: [1, 3, 5, 6], loss: [3, 2, 6, 9], final: 9 });
    // Stopped after 3 recorded steps: the partial window is kept, the windows never reached are NaN, no final loss.
    const stopped = budgetCurve(rec([4, 2, 3]), 7, 2, true);
    expect(stopped.steps).to.deep.equal([1, 3, 5, 6]);
    expect(stopped.loss.slice(0, 2)).to.deep.equal([3, 3]);
    expect(stopped.loss.slice(2).every(Number.isNaN)).to.equal(true);
    expect(Number.isNaN(stopped.final)).to.equal(true);
  });
});

describe('experiments/compare: defaults', () => {
  it('DEFAULT_COMPARE and DEFAULT_PROPAGATE are valid configs on MNIST, with He first and distinct scheme ids', () => {
    const mnist = loadCompareMnist({ trainSize: 1900, testSize: 10 });
    expect(mnist.train.shape).to.deep.equal([1900, 784]);
    expect(mnist.test.shape).to.deep.equal([10, 784]);
    expect(Math.abs(mnist.train.x[0]! - (0 - 0.1307) / 0.3081)).to.be.below(1e-6); // a background pixel, standardized
    expect(DEFAULT_COMPARE.schemes[0]!.name).to.equal('kaiming_normal');
    expect(new Set(DEFAULT_COMPARE.schemes.map((s) => s.id)).size).to.equal(DEFAULT_COMPARE.schemes.length);
    // the defaults pass the engine's checks (a one-step, one-seed, one-scheme run on the loaded rows)
    const quick: CompareConfig = { ...DEFAULT_COMPARE, schemes: [he], seeds: [1], steps: 1, logEvery: 1, trainSize: 1900, testSize: 10 };
    expect(runCompare(quick, mnist).schemes[0]!.runs[0]).to.have.property('train');
    expect(runPropagate({ ...DEFAULT_PROPAGATE, schemes: [he], seeds: [1, 2], widths: [16], depths: [2] }, mnist.train).cells.length).to.equal(1);
  });
});

describe('experiments/compare: findings', () => {
  it("says 'beats' only when the paired interval excludes 0, winner first; 'noise' otherwise", () => {
    const a = withAccuracies(he, [0.91, 0.93, 0.92]);
    const b = withAccuracies(lecun, [0.5, 0.53, 0.51]);
    const clear = accuracyFinding(b, a, 0.95);
    expect(clear.kind).to.equal('beats');
    expect([clear.a, clear.b]).to.deep.equal([he.id, lecun.id]);
    expect(clear.difference!.lo).to.be.above(0);
    expect(clear.text).to.match(/beats .* by 40\.7 points/);
    // differences of +2, −1, +0.5 points: the interval straddles 0
    const close = accuracyFinding(a, withAccuracies(frac, [0.89, 0.94, 0.915]), 0.95);
    expect(close.kind).to.equal('noise');
    expect(close.text).to.match(/within noise/);
    const lone = accuracyFinding(withAccuracies(he, [0.9]), withAccuracies(lecun, [0.1]), 0.95);
    expect(lone.kind).to.equal('noise');
    expect(lone.text).to.match(/only 1 common seed/);
    const all = [a, b, withAccuracies(frac, [0.95, 0.96, 0.97])];
    const ranking = rankByAccuracy(all);
    expect(ranking).to.deep.equal([frac.id, he.id, lecun.id]);
    // the top scheme against every other, then the baseline (first) against the rest, then one yardstick per scheme
    expect(compareFindings(all, ranking, 0.95).map((f) => [f.metric, f.a, f.b ?? ''])).to.deep.equal([
      ['testAccuracy', frac.id, he.id], ['testAccuracy', frac.id, lecun.id], ['testAccuracy', he.id, lecun.id],
      ['preserved', he.id, ''], ['preserved', lecun.id, ''], ['preserved', frac.id, ''],
    ]);
  });

  it('corrects for multiplicity: with m comparisons each interval has level 1 − 0.05/m (Bonferroni), so a marginal "beats" becomes noise', () => {
    // Paired differences 3, 2, 4 points: mean 3, sd 1, n = 3. At 95% the t-interval is 3 ± 4.30·1/√3 = [0.52, 5.48]
    // (beats); over 3 comparisons, t(1 − 0.05/6, 2) = 7.65 gives 3 ± 4.42 (contains 0: noise).
    const x = withAccuracies(he, [0.93, 0.92, 0.94]);
    const y = withAccuracies(lecun, [0.9, 0.9, 0.9]);
    const one = accuracyFinding(x, y, 0.95);
    expect(one.kind).to.equal('beats');
    expect(one.difference!.lo).to.be.closeTo(0.03 - 4.3027 / Math.sqrt(3) * 0.01, 1e-4);
    const three = accuracyFinding(x, y, 0.95, 3);
    expect(three.kind).to.equal('noise');
    expect(three.difference!.hi - three.difference!.mean).to.be.closeTo(7.6488 / Math.sqrt(3) * 0.01, 1e-4);
    expect(three.text).to.match(/95% simultaneous CI over 3 comparisons/);
    // compareFindings passes the number of accuracy comparisons it makes to each: top x vs y and z, baseline y vs z
    const all = [y, x, withAccuracies(frac, [0.5, 0.52, 0.51])];
    const f = compareFindings(all, rankByAccuracy(all), 0.95);
    expect(f.filter((k) => k.metric === 'testAccuracy')).to.have.length(3);
    expect(f.filter((k) => k.metric === 'testAccuracy').every((k) => /over 3 comparisons/.test(k.text))).to.equal(true);
  });
});

describe('experiments/compare: runPropagate', function () {
  this.timeout(60_000);
  const cfg: PropagateConfig = {
    ...DEFAULT_PROPAGATE,
    data: 'gaussianBlobs(360, seed 11)', inputDim: 6, classes: 3, widths: [24], depths: [2, 6], schemes: [he, lecun], batchSize: 64, anchorBatchSize: 20,
  };
  it('sweeps depth × width, judges each cell, and is reproducible', () => {
    const r = runPropagate(cfg, data.train);
    expect(r.cells.map((c) => [c.scheme, c.depth, c.width])).to.deep.equal([[he.id, 2, 24], [he.id, 6, 24], [lecun.id, 2, 24], [lecun.id, 6, 24]]);
    for (const c of r.cells) {
      expect(c.runs.map((run) => run.seed)).to.deep.equal([1, 2, 3]);
      expect(c.lastDead.n).to.equal(3);
    }
    // LeCun halves E[h²] per ReLU layer: after 5 more layers the ratio is about 2^−5, far from the theory's 1
    const deepLecun = r.cells[3]!.preserved;
    expect(deepLecun.measured.hi).to.be.below(0.2);
    expect(deepLecun.holds).to.equal(false);
    expect(r.findings.find((f) => f.a === lecun.id)?.kind).to.equal('fails-to-preserve');
    expect(JSON.stringify(runPropagate(cfg, data.train).cells)).to.equal(JSON.stringify(r.cells));
    expect(() => runPropagate({ ...cfg, depths: [] }, data.train)).to.throw(DomainError, /config.depths must be a non-empty array/);
    expect(() => runPropagate({ ...cfg, batchSize: 250 }, data.train)).to.throw(ShapeError, /data must hold at least 270 samples/);
  });

  it('separates He from LeCun by the factor 2^(depth-1) the theory predicts', () => {
    // LeCun's Var = 1/fan_in halves E[h²] at each ReLU layer relative to He's 2/fan_in, so the ratio of the last over
    // the first hidden E[h²] is 2^-(depth-1) times a log-normal factor; with width 24 the per-layer log sd is
    // ≈ sqrt(5/24) ≈ 0.46, so over 5 layers and the mean log over 3 seeds the log-ratio error stays well under 4 (≈ 4 sd).
    const r = runPropagate({ ...cfg, depths: [6] }, data.train);
    const logGain = (id: string): number => {
      const cell = r.cells.find((c) => c.scheme === id)!;
      const logs = cell.runs.map((run) => {
        if (!('signal' in run)) throw new Error(`${id} seed ${run.seed} failed: ${run.error}`);
        const m = run.signal.secondMoment;
        expect(m.length).to.equal(6);
        return Math.log(m[5]! / m[0]!);
      });
      expect(logs).to.have.length(3);
      return logs.reduce((a, b) => a + b, 0) / logs.length;
    };
    expect(Math.abs(logGain(lecun.id) - logGain(he.id) - 5 * Math.log(0.5))).to.be.below(4);
  });
});
