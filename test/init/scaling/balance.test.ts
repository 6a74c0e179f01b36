// Defazio & Bottou scaling calculus (docs/schemes/scaling.md): balancing helpers and the measurements they use
// (reconstruction). The balancing properties themselves are in scaling.test.ts.
import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import { balancedOps, balanceWeights, mlpOps, outputScaleFactor, scalingReport, secondMoment, type ScalingOp } from '../../../src/init/scaling/index.js';

describe('init/scaling: balancing helpers', () => {
  const ops = mlpOps([4, 6, 3]);
  const report = scalingReport(ops, { inputShape: [4], scheme: 'fan_in' });

  it('secondMoment is mean(x²) (one definition for src/init and src/nn)', () => {
    expect(secondMoment([1, -2, 2])).to.equal(3);
    expect(secondMoment(Float32Array.from([0.5]))).to.equal(0.25);
    expect(() => secondMoment([])).to.throw(ShapeError, 'secondMoment needs a non-empty array');
  });

  it('balancedOps sets weightVar on the weight ops only, and rejects a report of another architecture', () => {
    const b = balancedOps(ops, report);
    expect(b[1]).to.deep.equal({ kind: 'relu' });
    expect((b[0] as { weightVar: number }).weightVar).to.equal(report.layers[0]!.balancedVar);
    const other: ScalingOp[] = [{ kind: 'relu' }, ...ops];
    expect(() => balancedOps(other, report)).to.throw(DomainError, /ops\[0\] is a "relu" op, not a weight layer/);
  });

  it('outputScaleFactor: opts.balanced must be a boolean', () => {
    expect(outputScaleFactor(report, 2, { balanced: false })).to.equal(outputScaleFactor(report, 2));
    expect(() => outputScaleFactor(report, 2, { balanced: 1 as unknown as boolean })).to.throw(DomainError, 'opts.balanced must be a boolean (true or false), got 1');
  });

  it('balanceWeights: all-zero weights are a DomainError naming the array; an op key error names balanceWeights', () => {
    const ws = [new Float64Array(24), new Float64Array(18).fill(0.2)];
    expect(() => balanceWeights(ops, ws, { inputShape: [4] })).to.throw(DomainError, 'mean(weights[0]²) must be in (0, Infinity), got 0');
    const bad = [{ kind: 'dense', nIn: 4, nOut: 6, mul: 2 }, ...ops.slice(1)] as unknown as ScalingOp[];
    expect(() => balanceWeights(bad, ws, { inputShape: [4] })).to.throw(DomainError, /^unknown option ops\[0\]\.mul for balanceWeights/);
    expect(() => balanceWeights(ops, ws, { inputShape: [4], scheme: 'given' })).to.throw(DomainError, /unknown option options\.scheme for balanceWeights/);
  });
});
