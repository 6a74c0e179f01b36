/**
 * The verdict logic on synthetic intervals: each of the three outcomes for a predicted value (absolute and ratio
 * bands) and for a direction, the edges of the bands, undefined intervals, the combination of cases, and bad input.
 */
import { expect } from 'chai';
import { DomainError } from '../../../src/core/errors.js';
import { tInterval } from '../../../src/experiments/stats.js';
import { bandRange, bandText, combineVerdicts, verdictForDirection, verdictForValue } from '../../../src/experiments/papers/verdict.js';

const iv = (lo: number, hi: number, mean = (lo + hi) / 2) => ({ mean, lo, hi, sd: 1, n: 5 });

describe('experiments/papers: verdicts', () => {
  it('a predicted value: held inside the band, did not hold outside, within noise across an edge (absolute band)', () => {
    const band = { kind: 'absolute', tol: 0.1 } as const;
    expect(verdictForValue(iv(0.95, 1.05), 1, band).verdict).to.equal('held');
    expect(verdictForValue(iv(1.2, 1.4), 1, band).verdict).to.equal('did not hold');
    expect(verdictForValue(iv(0.5, 0.8), 1, band).verdict).to.equal('did not hold');
    expect(verdictForValue(iv(1.05, 1.3), 1, band).verdict).to.equal('within noise');
    // An interval wider than the band contains the prediction but cannot support it.
    expect(verdictForValue(iv(0.5, 1.5), 1, band).verdict).to.equal('within noise');
    // The band's edges are inside it.
    expect(verdictForValue(iv(0.9, 1.1), 1, band).verdict).to.equal('held');
  });

  it('a ratio band is multiplicative around a positive prediction', () => {
    const band = { kind: 'ratio', factor: 2 } as const;
    expect(bandRange(4, band)).to.deep.equal([2, 8]);
    expect(verdictForValue(iv(2.5, 7), 4, band).verdict).to.equal('held');
    expect(verdictForValue(iv(9, 12), 4, band).verdict).to.equal('did not hold');
    expect(verdictForValue(iv(1, 3), 4, band).verdict).to.equal('within noise');
    expect(bandText(band)).to.equal('×/÷2');
    expect(bandText({ kind: 'absolute', tol: 0.25 })).to.equal('±0.25');
  });

  it('the reason names the interval and the band', () => {
    const v = verdictForValue(iv(1.2, 1.4), 1, { kind: 'absolute', tol: 0.1 });
    expect(v.reason).to.equal('the interval [1.2, 1.4] lies outside 1 ±0.1 = [0.9, 1.1]');
  });

  it('intervals from real samples: a tight sample near the prediction holds, one far off does not', () => {
    // t-interval of 5 values with sd ≈ 0.016: half-width ≈ 2.78·0.016/√5 ≈ 0.02, well inside ±0.1.
    expect(verdictForValue(tInterval([0.98, 1.0, 1.02, 0.99, 1.01], 0.95), 1, { kind: 'absolute', tol: 0.1 }).verdict).to.equal('held');
    expect(verdictForValue(tInterval([1.48, 1.5, 1.52, 1.49, 1.51], 0.95), 1, { kind: 'absolute', tol: 0.1 }).verdict).to.equal('did not hold');
  });

  it('an undefined interval (one seed, or a non-finite value) is within noise', () => {
    expect(verdictForValue(tInterval([1], 0.95), 1, { kind: 'absolute', tol: 0.1 }).verdict).to.equal('within noise');
    expect(verdictForDirection(tInterval([1, NaN, 2], 0.95), 'greater').verdict).to.equal('within noise');
  });

  it('a direction: held on the claimed side, did not hold on the other, within noise when the interval contains the margin', () => {
    expect(verdictForDirection(iv(0.1, 0.4), 'greater').verdict).to.equal('held');
    expect(verdictForDirection(iv(-0.4, -0.1), 'greater').verdict).to.equal('did not hold');
    expect(verdictForDirection(iv(-0.1, 0.3), 'greater').verdict).to.equal('within noise');
    expect(verdictForDirection(iv(-0.4, -0.1), 'less').verdict).to.equal('held');
    expect(verdictForDirection(iv(0.1, 0.4), 'less').verdict).to.equal('did not hold');
    expect(verdictForDirection(iv(-0.1, 0.3), 'less').verdict).to.equal('within noise');
    // A margin: an effect smaller than the claimed minimum does not hold.
    expect(verdictForDirection(iv(0.1, 0.4), 'greater', 0.5).verdict).to.equal('did not hold');
    expect(verdictForDirection(iv(0.1, 0.4), 'greater', 0.2).verdict).to.equal('within noise');
  });

  it('combined: any case that did not hold decides; all held is held; otherwise within noise', () => {
    expect(combineVerdicts(['held', 'held'])).to.equal('held');
    expect(combineVerdicts(['held', 'within noise'])).to.equal('within noise');
    expect(combineVerdicts(['within noise', 'did not hold', 'held'])).to.equal('did not hold');
  });

  it('bad input is a DomainError naming the argument', () => {
    expect(() => verdictForValue(iv(0, 1), Number.NaN, { kind: 'absolute', tol: 1 })).to.throw(DomainError, /predicted/);
    expect(() => verdictForValue(iv(0, 1), 1, { kind: 'ratio', factor: 1 })).to.throw(DomainError, /band.factor must be a finite number > 1, got 1/);
    expect(() => verdictForValue(iv(0, 1), -1, { kind: 'ratio', factor: 2 })).to.throw(DomainError, /predicted > 0/);
    expect(() => verdictForValue(iv(0, 1), 1, { kind: 'absolute', tol: -1 })).to.throw(DomainError, /band.tol/);
    expect(() => verdictForValue({ lo: 0 } as never, 1, { kind: 'absolute', tol: 1 })).to.throw(DomainError, /iv must be an interval/);
    expect(() => verdictForDirection(iv(0, 1), 'up' as never)).to.throw(DomainError, /direction/);
    expect(() => combineVerdicts([])).to.throw(DomainError, /non-empty/);
  });
});
