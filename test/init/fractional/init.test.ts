// Fractional moment-preserving init (Gürbüzbalaban & Hu), docs/schemes/fractional.md; property numbers and tables
// follow the scheme's spec (§2–§6). "fractional-moment σ_s for RReLU / leaky ReLU (derived; the paper's exact
// statement is unverified)". Reference tables of the spec are test fixtures (derived there), not paper results.
import { expect } from 'chai';
import { DomainError, DTypeError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import { fractionalMomentNormal, parseFractionalOptions, resolveActivation, sigmaS } from '../../../src/init/fractional/index.js';
import { createRng, type RandomSource } from '../../../src/init/support/rng.js';
import { meanSe, rel, RELU } from './helpers.js';

describe('init/fractional: fractionalMomentNormal', () => {
  it('15. fractionalMomentNormal: same seed ⇒ identical; variance σ_s² within 4 s.e.; fan_in / fan_out; authors-code', () => {
    const a = fractionalMomentNormal([300, 200], createRng(9), { act: RELU, s: 0.8 });
    const b = fractionalMomentNormal([300, 200], createRng(9), { act: RELU, s: 0.8 });
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).to.equal(true);
    const c = fractionalMomentNormal([300, 200], createRng(10), { act: RELU, s: 0.8 });
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).to.equal(false);
    const sig = sigmaS(RELU, 200, 0.8);
    const sq = Array.from(a, (v) => v * v);
    const { mean, se } = meanSe(sq);
    expect(Math.abs(mean - sig * sig)).to.be.below(4 * se);
    const fo = fractionalMomentNormal([300, 200], createRng(9), { act: RELU, s: 0.8, mode: 'fan_out', dtype: 'float64' });
    expect(rel(fo[0]!, (a[0]! * sigmaS(RELU, 300, 0.8)) / sig)).to.be.below(1e-6);
    const ac = fractionalMomentNormal([64, 64], createRng(3), { act: RELU, s: 0.8, compat: 'authors-code', dtype: 'float64' });
    expect(rel(ac[0]!, createRng(3).nextNormal() * 0.1788362990978062)).to.be.below(1e-12);
  });

  it('bad input: typed errors naming the argument and the allowed range', () => {
    expect(() => fractionalMomentNormal([4], createRng(0))).to.throw(ShapeError, /rank >= 2/);
    expect(() => fractionalMomentNormal([4, 4], createRng(0), { s: 3 })).to.throw(DomainError, /s must be in \(0, 2\]/);
    expect(() => fractionalMomentNormal([4, 4], createRng(0), { mode: 'fan_avg' as 'fan_in' })).to.throw(DomainError, /mode/);
  });
});

describe('init/fractional: parseFractionalOptions (options parsed once, at the boundary)', () => {
  /** A random source that fails the test if it is used. */
  const untouched = (): RandomSource => {
    const fail = (): never => {
      throw new Error('the random source was used');
    };
    return { nextUint32: fail, nextFloat64: fail, nextNormal: fail, nextInt: fail };
  };

  it('defaults: relu, s = 1, fan_in, torch layout, exact, float32', () => {
    expect(parseFractionalOptions({})).to.deep.equal({
      act: resolveActivation('relu'),
      s: 1,
      mode: 'fan_in',
      layout: 'torch',
      compat: 'exact',
      dtype: 'float32',
    });
    const o = parseFractionalOptions({ act: { kind: 'leaky_relu', a: 0.2 }, s: 1.5, mode: 'fan_out', layout: 'keras', compat: 'authors-code', dtype: 'float64' });
    expect(o).to.deep.equal({ act: resolveActivation({ kind: 'leaky_relu', a: 0.2 }), s: 1.5, mode: 'fan_out', layout: 'keras', compat: 'authors-code', dtype: 'float64' });
  });

  it('a bad s is a DomainError naming options.s, the range (0, 2] and the value, before any work', () => {
    for (const s of [0, 3, -1]) {
      expect(() => parseFractionalOptions({ s })).to.throw(DomainError, `options.s must be in (0, 2], got ${s}`);
      // before the shape is looked at and before any draw
      expect(() => fractionalMomentNormal([4], untouched(), { s })).to.throw(DomainError, `options.s must be in (0, 2], got ${s}`);
    }
    expect(() => fractionalMomentNormal([4, 4], untouched(), { s: NaN })).to.throw(NonFiniteError, 'options.s must be a finite number, got NaN');
    expect(() => fractionalMomentNormal([4, 4], untouched(), { s: '1' as unknown as number })).to.throw(DomainError, 'options.s must be a finite number, got "1"');
  });

  it('every other bad option names options.<key>; unknown keys are still rejected', () => {
    const r = untouched();
    expect(() => fractionalMomentNormal([4, 4], r, { act: { kind: 'leaky_relu', a: 2 } })).to.throw(DomainError, /^options\.act\.a \(leaky ReLU slope\) must be in \[0, 1\], got 2$/);
    expect(() => fractionalMomentNormal([4, 4], r, { mode: 'fan_avg' as 'fan_in' })).to.throw(DomainError, /^options\.mode must be one of "fan_in", "fan_out", got "fan_avg"$/);
    expect(() => fractionalMomentNormal([4, 4], r, { layout: 'tf' as 'torch' })).to.throw(DomainError, /^options\.layout must be one of/);
    expect(() => fractionalMomentNormal([4, 4], r, { compat: 'paper' as 'exact' })).to.throw(DomainError, /^options\.compat must be one of "exact", "authors-code"/);
    expect(() => fractionalMomentNormal([4, 4], r, { dtype: 'int8' as 'float32' })).to.throw(DTypeError, /^options\.dtype must be one of/);
    expect(() => fractionalMomentNormal([4, 4], r, { act: { kind: 'relu', slope: 0 } as unknown as 'relu' })).to.throw(
      DomainError,
      'unknown option options.act.slope for fractionalMomentNormal; allowed: kind',
    );
    expect(() => fractionalMomentNormal([4, 4], r, { sigma: 1 } as object)).to.throw(
      DomainError,
      'unknown option options.sigma for fractionalMomentNormal; allowed: act, s, mode, layout, compat, dtype',
    );
  });

  it('the initializer draws N(0, σ_s²) with the σ_s of sigmaS for the parsed options (bit-identical)', () => {
    const o = { act: { kind: 'rrelu', l: 0.1, u: 0.4 }, s: 0.6, mode: 'fan_out', dtype: 'float64' } as const;
    const w = fractionalMomentNormal([5, 7], createRng(12), o);
    const sigma = sigmaS(o.act, 5, 0.6);
    const g = createRng(12);
    w.forEach((v) => expect(v).to.equal(0 + sigma * g.nextNormal()));
  });
});
