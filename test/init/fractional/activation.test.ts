// Fractional moment-preserving init (Gürbüzbalaban & Hu), docs/schemes/fractional.md: activations, their slope
// moments and the route by which M_n(s) is computed.
import { expect } from 'chai';
import { DomainError } from '../../../src/core/errors.js';
import { momentRoute, parseActivation } from '../../../src/init/fractional/activation.js';
import { resolveActivation, type FractionalActivationSpec } from '../../../src/init/fractional/index.js';
import { rel } from './helpers.js';

describe('init/fractional: activations', () => {
  it('slope moments μ = (1 + E[slope²])/2 and κ = 6(1 + E[slope⁴])/(1 + E[slope²])² − 1; names give the defaults', () => {
    const lin = resolveActivation('linear');
    expect([lin.mu, lin.kappa]).to.deep.equal([1, 2]);
    const relu = resolveActivation('relu');
    expect([relu.mu, relu.kappa]).to.deep.equal([0.5, 5]);
    expect(resolveActivation('leaky_relu')).to.deep.equal(resolveActivation({ kind: 'leaky_relu', a: 0.01 }));
    const rr = resolveActivation('rrelu');
    expect([rr.a, rr.u]).to.deep.equal([1 / 8, 1 / 3]);
    // E[A²] and E[A⁴] of A ~ U[l, u] by the midpoint rule
    const m = 200000;
    let e2 = 0;
    let e4 = 0;
    for (let i = 0; i < m; i++) {
      const x = 1 / 8 + ((i + 0.5) / m) * (1 / 3 - 1 / 8);
      e2 += (x * x) / m;
      e4 += (x * x * x * x) / m;
    }
    expect(rel(rr.slope2, e2)).to.be.below(1e-9);
    expect(rel(rr.slope4, e4)).to.be.below(1e-9);
  });

  it('a resolved activation is returned as it is (parsed once)', () => {
    const r = resolveActivation({ kind: 'leaky_relu', a: 0.2 });
    expect(resolveActivation(r)).to.equal(r);
    expect(parseActivation(r, 'options.act', 'f')).to.equal(r);
  });

  it('momentRoute: degenerate slopes fold onto the linear and ReLU closed forms', () => {
    const cases: [FractionalActivationSpec, string][] = [
      ['linear', 'linear'],
      [{ kind: 'leaky_relu', a: 1 }, 'linear'],
      [{ kind: 'rrelu', l: 1, u: 1 }, 'linear'],
      ['relu', 'relu'],
      [{ kind: 'leaky_relu', a: 0 }, 'relu'],
      [{ kind: 'rrelu', l: 0, u: 0 }, 'relu'],
      [{ kind: 'leaky_relu', a: 0.3 }, 'beta-mixture'],
      [{ kind: 'rrelu', l: 0.3, u: 0.3 }, 'beta-mixture'],
      [{ kind: 'rrelu', l: 0, u: 0.3 }, 'laplace'],
      ['rrelu', 'laplace'],
    ];
    for (const [act, route] of cases) expect(momentRoute(resolveActivation(act)), JSON.stringify(act)).to.equal(route);
  });

  it('errors name the activation as the caller wrote it, and the function', () => {
    expect(() => parseActivation({ kind: 'leaky_relu', a: 2 }, 'options.act', 'fractionalMomentNormal')).to.throw(
      DomainError,
      'options.act.a (leaky ReLU slope) must be in [0, 1], got 2',
    );
    expect(() => parseActivation({ kind: 'rrelu', l: 0.5, u: 0.1 }, 'options.act', 'f')).to.throw(
      DomainError,
      'options.act.l must be <= options.act.u (RReLU slope range [l, u]), got l = 0.5, u = 0.1',
    );
    expect(() => parseActivation('gelu', 'options.act', 'f')).to.throw(DomainError, /^options\.act must be one of "linear", "relu", "leaky_relu", "rrelu", got "gelu"$/);
    expect(() => parseActivation({ kind: 'elu' }, 'act', 'f')).to.throw(DomainError, /^act\.kind must be one of/);
    expect(() => parseActivation(3, 'act', 'f')).to.throw(DomainError, 'act must be an activation name or object, got 3');
    expect(() => parseActivation({ kind: 'relu', a: 0.1 }, 'options.act', 'fractionalMomentNormal')).to.throw(
      DomainError,
      'unknown option options.act.a for fractionalMomentNormal; allowed: kind',
    );
  });
});
