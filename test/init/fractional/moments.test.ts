// Fractional moment-preserving init (Gürbüzbalaban & Hu), docs/schemes/fractional.md; property numbers and tables
// follow the scheme's spec (§2–§6). "fractional-moment σ_s for RReLU / leaky ReLU (derived; the paper's exact
// statement is unverified)". Reference tables of the spec are test fixtures (derived there), not paper results.
import { expect } from 'chai';
import { DomainError } from '../../../src/core/errors.js';
import { logMomentLaplace, logMomentM, momentM } from '../../../src/init/fractional/index.js';
import { ALL, RELU } from './helpers.js';

describe('init/fractional: M_n(s), exact forms and the Laplace integral (§6 item 4)', () => {
  it('4. closed forms / Beta mixture and the Laplace integral agree to 1e-10 (n ∈ {1, 2, 5, 16, 64, 784}, s ∈ [0.001, 1.999])', () => {
    let worst = 0;
    for (const [, act] of ALL.slice(0, 4))
      for (const n of [1, 2, 5, 16, 64, 784])
        for (const s of [0.001, 0.01, 0.3, 0.9, 1.5, 1.999]) {
          worst = Math.max(worst, Math.abs(Math.expm1(logMomentM(act, n, s) - logMomentLaplace(act, n, s))));
        }
    expect(worst).to.be.below(1e-10);
  });

  it('M_n(s) = exp(ln M_n(s)); s = 2 gives n·μ exactly on both routes', () => {
    for (const [, act] of ALL)
      for (const n of [1, 9, 64]) {
        expect(momentM(act, n, 0.7)).to.equal(Math.exp(logMomentM(act, n, 0.7)));
        expect(logMomentM(act, n, 2)).to.equal(logMomentLaplace(act, n, 2));
      }
  });

  it('each public function validates (act, n, s) and names itself for an unknown activation key', () => {
    for (const [name, f] of [
      ['logMomentM', logMomentM],
      ['momentM', momentM],
      ['logMomentLaplace', logMomentLaplace],
    ] as const) {
      expect(() => f(RELU, 16, 0), name).to.throw(DomainError, 's must be in (0, 2], got 0');
      expect(() => f(RELU, 0, 1), name).to.throw(DomainError, 'n (layer width) must be a positive integer, got 0');
      expect(() => f({ kind: 'leaky_relu', slope: 0.1 } as unknown as 'relu', 16, 1), name).to.throw(
        DomainError,
        `unknown option act.slope for ${name}; allowed: kind, a`,
      );
    }
  });
});
