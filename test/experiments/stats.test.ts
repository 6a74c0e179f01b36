import { expect } from 'chai';
import { DomainError } from '../../src/core/errors.js';
import { createRng } from '../../src/init/index.js';
import { fnv1a64, keyedSeed } from '../../src/experiments/seeds.js';
import { mean, pairedDifference, ratioInterval, sampleSd, sideOf, tInterval } from '../../src/experiments/stats.js';
import { regularizedBeta, studentTCdf, studentTQuantile } from '../../src/experiments/student-t.js';

const relClose = (a: number, b: number, tol: number): void => {
  expect(Math.abs(a - b), `${a} vs ${b}`).to.be.at.most(tol * Math.abs(b));
};

describe('experiments/student-t', () => {
  it('matches table values of t_{p,ν} (R qt / Abramowitz & Stegun table 26.10, 9 significant digits)', () => {
    const table: [number, number, number][] = [
      [0.975, 1, 12.7062047], [0.975, 2, 4.30265273], [0.975, 3, 3.18244631], [0.975, 4, 2.77644511], [0.975, 5, 2.57058184],
      [0.975, 10, 2.22813885], [0.975, 30, 2.04227246], [0.95, 5, 2.01504837], [0.995, 2, 9.92484320], [0.999, 10, 4.14370049],
      [0.9, 1, 3.07768354], [0.9, 20, 1.32534071],
    ];
    for (const [p, v, t] of table) {
      relClose(studentTQuantile(p, v), t, 5e-9);
      relClose(studentTQuantile(1 - p, v), -t, 5e-9); // symmetry
    }
    expect(studentTQuantile(0.5, 3)).to.equal(0);
  });

  it('matches the closed forms for ν = 1 (Cauchy) and ν = 2, and inverts its cdf', () => {
    for (const p of [0.01, 0.1, 0.3, 0.45, 0.55, 0.8, 0.975, 0.999]) {
      relClose(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), 1e-12);
      relClose(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-12);
      for (const v of [0.5, 3, 7.5, 100]) relClose(studentTCdf(studentTQuantile(p, v), v), p, 1e-12);
    }
    expect(studentTCdf(Infinity, 2)).to.equal(1);
    expect(studentTCdf(0, 2)).to.equal(0.5);
  });

  it('regularizedBeta: closed forms I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b, I_½(a, a) = ½', () => {
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
      for (const a of [0.5, 1, 2.5, 40]) {
        relClose(regularizedBeta(x, a, 1), x ** a, 1e-13);
        relClose(regularizedBeta(x, 1, a), 1 - (1 - x) ** a, 1e-13);
      }
    }
    for (const a of [0.5, 3, 250]) relClose(regularizedBeta(0.5, a, a), 0.5, 1e-13);
    expect(regularizedBeta(0, 2, 3)).to.equal(0);
    expect(regularizedBeta(1, 2, 3)).to.equal(1);
  });

  it('rejects out-of-domain arguments, naming them', () => {
    expect(() => studentTQuantile(1, 3)).to.throw(DomainError, /p must be a probability in \(0, 1\), got 1/);
    expect(() => studentTQuantile(0.5, 0)).to.throw(DomainError, /df must be a finite number > 0/);
    expect(() => studentTCdf(NaN, 3)).to.throw(DomainError, /t must be a number/);
    expect(() => regularizedBeta(1.5, 1, 1)).to.throw(DomainError, /x must be a number in \[0, 1\]/);
    expect(() => regularizedBeta(0.5, -1, 1)).to.throw(DomainError, /a must be a finite number > 0/);
  });
});

describe('experiments/stats', () => {
  it('mean, sample sd and the t interval of a hand example', () => {
    expect(mean([1, 2, 3, 6])).to.equal(3);
    expect(sampleSd([1, 2, 3, 6])).to.equal(Math.sqrt(14 / 3));
    const iv = tInterval([1, 2, 3], 0.95);
    expect(iv.mean).to.equal(2);
    expect(iv.sd).to.equal(1);
    relClose(iv.hi - iv.mean, 4.30265273 / Math.sqrt(3), 5e-9);
    relClose(iv.mean - iv.lo, 4.30265273 / Math.sqrt(3), 5e-9);
    expect(tInterval([5], 0.95)).to.deep.equal({ mean: 5, lo: NaN, hi: NaN, sd: NaN, n: 1 });
    expect(tInterval([], 0.9).n).to.equal(0);
    expect(() => tInterval([1, 2], 1)).to.throw(DomainError, /confidence must be a number in \(0, 1\)/);
    expect(() => mean(['1'] as never)).to.throw(DomainError, /values\[0\] must be a number/);
  });

  it('covers the true mean at its nominal rate on seeded normal samples', () => {
    // 4000 intervals of n = 5 draws of N(3, 2²). The number of covering intervals is Binomial(4000, c): its sd is
    // √(c(1−c)/4000) (0.0034 at c = 0.95, 0.0063 at c = 0.8); the tolerance is 4 sd.
    const rng = createRng(20261129);
    const trials = 4000;
    for (const c of [0.95, 0.8]) {
      let covered = 0;
      for (let k = 0; k < trials; k++) {
        const xs = Array.from({ length: 5 }, () => 3 + 2 * rng.nextNormal());
        const iv = tInterval(xs, c);
        if (iv.lo <= 3 && 3 <= iv.hi) covered++;
      }
      const sd = Math.sqrt((c * (1 - c)) / trials);
      expect(Math.abs(covered / trials - c), `coverage ${covered / trials} at ${c}`).to.be.at.most(4 * sd);
    }
  });

  it('ratioInterval: the t-interval of ln x mapped back, positive and symmetric under x → 1/x; undefined for x ≤ 0', () => {
    // Hand example: ln values 0, ln 2, ln 4 → mean ln 2 (geometric mean 2), s_ln = ln 2, n = 3, t_{0.975,2} = 4.302652730.
    const r = ratioInterval([1, 2, 4], 0.95);
    const half = 4.30265273 * (Math.LN2 / Math.sqrt(3));
    relClose(r.mean, 2, 1e-12);
    relClose(r.lo, Math.exp(Math.LN2 - half), 1e-8);
    relClose(r.hi, Math.exp(Math.LN2 + half), 1e-8);
    relClose(r.sd, sampleSd([1, 2, 4]), 1e-12);
    // The plain interval of these skewed values reaches below 0; the ratio interval stays positive.
    expect(tInterval([1, 2, 4], 0.95).lo).to.be.below(0);
    expect(r.lo).to.be.above(0);
    // Inverting every value inverts the interval: ×k and ÷k are treated alike.
    const inv = ratioInterval([1, 0.5, 0.25], 0.95);
    relClose(inv.lo, 1 / r.hi, 1e-12);
    relClose(inv.hi, 1 / r.lo, 1e-12);
    for (const bad of [[1, 0, 2], [1, -1, 2], [1, Infinity, 2]]) {
      const u = ratioInterval(bad, 0.95);
      expect([u.mean, u.lo, u.hi], String(bad)).to.satisfy((xs: number[]) => xs.every(Number.isNaN));
    }
    const one = ratioInterval([3], 0.95);
    relClose(one.mean, 3, 1e-12);
    expect([one.n, Number.isNaN(one.lo), Number.isNaN(one.hi)]).to.deep.equal([1, true, true]);
    expect(() => ratioInterval([1, 2], 1.5)).to.throw(DomainError, /confidence/);
  });

  it('pairs over the common seeds only; sideOf reads an interval against a value', () => {
    const a = [{ seed: 1, value: 0.9 }, { seed: 2, value: 0.8 }, { seed: 3, value: 0.85 }, { seed: 9, value: 0 }];
    const b = [{ seed: 3, value: 0.8 }, { seed: 1, value: 0.8 }, { seed: 2, value: 0.75 }];
    const d = pairedDifference(a, b, 0.95);
    expect(d.n).to.equal(3);
    relClose(d.mean, (0.1 + 0.05 + 0.05) / 3, 1e-12);
    expect(pairedDifference(a, a, 0.95)).to.deep.equal({ mean: 0, lo: 0, hi: 0, sd: 0, n: 4 });
    expect(() => pairedDifference([{ seed: 1, value: 1 }, { seed: 1, value: 2 }], b, 0.95)).to.throw(DomainError, /a holds seed 1 twice/);
    expect(sideOf({ mean: 1, lo: 0.5, hi: 2, sd: 1, n: 3 }, 0)).to.equal(1);
    expect(sideOf({ mean: -1, lo: -2, hi: -0.5, sd: 1, n: 3 }, 0)).to.equal(-1);
    expect(sideOf({ mean: 0, lo: -1, hi: 1, sd: 1, n: 3 }, 0)).to.equal(0);
    expect(sideOf({ mean: 1, lo: NaN, hi: NaN, sd: NaN, n: 1 }, 0)).to.equal(0);
  });
});

describe('experiments/seeds', () => {
  it('FNV-1a 64 matches the reference values; keyedSeed depends on the key and the seed only', () => {
    expect(fnv1a64('')).to.equal(0xcbf29ce484222325n);
    expect(fnv1a64('a')).to.equal(0xaf63dc4c8601ec8cn);
    expect(fnv1a64('foobar')).to.equal(0x85944171f73967e8n);
    expect(keyedSeed('kaiming_normal', 1)).to.equal(keyedSeed('kaiming_normal', 1));
    const all = ['kaiming_normal', 'lecun_normal', 'fractional:s=1'].flatMap((k) => [0, 1, 2].map((s) => keyedSeed(k, s)));
    expect(new Set(all).size).to.equal(all.length);
    expect(() => keyedSeed('x', -1)).to.throw(DomainError, /seed must be an integer/);
  });
});
